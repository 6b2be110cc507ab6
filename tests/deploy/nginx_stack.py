"""The production stack of README's "Running it in production", on loopback: gunicorn
(``deploy/gunicorn.conf.py``, production settings, a seeded SQLite database of its own) behind
nginx running ``deploy/nginx/portal.conf``.

nginx runs as the current user under our control (``daemon off``, its own prefix, pid file,
logs and temporary folders), and both servers are stopped whatever happens.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.appserver import (
    BASE_DIR,
    AppServer,
    environ_without_site_settings,
    fetch,
    free_port,
    manage,
)

PORTAL_CONF = BASE_DIR / "deploy" / "nginx" / "portal.conf"
# Sync workers, as deploy/gunicorn.conf.py ships them: two, as on this two-core machine.
WORKERS = 2
# nginx answers over TLS in production and sends X-Forwarded-Proto: https itself; the test
# talks to gunicorn directly only to wait for it and for the contrast.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        message = "nginx is not installed (make test-slowclients installs Debian's nginx-light)"
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def _replace_once(text: str, pattern: str, replacement: str) -> str:
    """``pattern`` replaced where it stands exactly once: if the shipped file changes shape,
    the test says so rather than testing something else."""
    new, count = re.subn(pattern, replacement, text, flags=re.MULTILINE | re.DOTALL)
    if count != 1:
        raise AssertionError(f"{PORTAL_CONF}: expected one match of {pattern!r}, found {count}")
    return new


def render_portal_conf(*, port: int, upstream_port: int) -> str:
    """deploy/nginx/portal.conf as shipped, but for loopback: the TLS server listens on plain
    http at ``port`` (no certificates here; every timeout, limit and proxy setting is kept),
    the redirect server on port 80 is left out, and the upstream is the test's gunicorn."""
    text = PORTAL_CONF.read_text()
    text = _replace_once(text, r"^server \{\n    listen 80;.*?^\}\n", "")
    text = _replace_once(text, r"^    listen 443 ssl http2;$", f"    listen 127.0.0.1:{port};")
    text = _replace_once(text, r"^    listen \[::\]:443 ssl http2;\n", "")
    text = re.sub(r"^    ssl_\w+ .*;\n", "", text, flags=re.MULTILINE)
    return _replace_once(
        text, r"^    server 127\.0\.0\.1:8000;$", f"    server 127.0.0.1:{upstream_port};"
    )


def with_certificate(*, certificate: Path, key: Path) -> str:
    """deploy/nginx/portal.conf as shipped, TLS included, with a certificate of the test's."""
    text = PORTAL_CONF.read_text()
    text = _replace_once(text, r"^    ssl_certificate \S+;$", f"    ssl_certificate {certificate};")
    return _replace_once(text, r"^    ssl_certificate_key \S+;$", f"    ssl_certificate_key {key};")


def nginx_conf(prefix: Path, server_conf: str) -> str:
    """A whole nginx.conf around ``server_conf`` (an http-level file like portal.conf): Debian's
    nginx.conf plays this part in production (its http block includes conf.d/*.conf)."""
    user = ""
    if os.geteuid() == 0:
        # As root nginx would hand its workers to "nobody", who cannot enter pytest's folders.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};\n"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}daemon off;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} info;
events {{
    worker_connections 512;
}}
http {{
    access_log {prefix / "access.log"};
{temp}
{server_conf}
}}
"""


def nginx_command(prefix: Path, server_conf: str) -> list[str]:
    """nginx with its own prefix, configuration and error log (none of /etc/nginx, /var/log),
    after ``nginx -t`` accepted the configuration."""
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(prefix, server_conf))
    command = [nginx_binary(), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    if checked.returncode != 0:
        raise AssertionError(f"nginx -t refused {conf}:\n{checked.stderr}")
    return command


class Nginx:
    """nginx in the foreground, in its own process group, started and stopped by us."""

    def __init__(self, prefix: Path, *, upstream_port: int):
        self.prefix = prefix
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = nginx_command(
            prefix, render_portal_conf(port=self.port, upstream_port=upstream_port)
        )
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped at start:\n{self.error_log()}")
            try:
                if fetch(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx did not answer:\n{self.error_log()}") from None
                time.sleep(0.2)

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text() if path.exists() else ""

    def access_log(self) -> list[str]:
        return (self.prefix / "access.log").read_text().splitlines()

    def stop(self) -> None:
        if self.process.poll() is None:
            # SIGTERM: nginx's fast shutdown (SIGQUIT would wait for the slow connections).
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@dataclass
class Stack:
    gunicorn: AppServer
    nginx: Nginx


def production_env(workdir: Path) -> dict[str, str]:
    """Production settings behind a TLS proxy (nginx), as README documents them, with nothing
    of the caller's Django settings leaking in."""
    var_dir = workdir / "var"
    return environ_without_site_settings() | {
        "DJANGO_SETTINGS_MODULE": "hiratsuka_portal.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "AXES_IPWARE_PROXY_COUNT": "1",
        # No task worker runs here: queued mail stays queued, nothing is sent.
        "EMAIL_HOST": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{workdir / 'portal.sqlite3'}",
        "DJANGO_VAR_DIR": str(var_dir),
        "DJANGO_MEDIA_ROOT": str(var_dir / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(var_dir / "private"),
        "DJANGO_STATIC_ROOT": str(var_dir / "static"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@contextlib.contextmanager
def running_stack(workdir: Path) -> Iterator[Stack]:
    nginx_binary()  # skip (or fail) before the slow set-up if there is no nginx
    env = production_env(workdir)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_seed")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    with contextlib.ExitStack() as stack:
        gunicorn = AppServer(env, workdir / "gunicorn.log", WORKERS, probe_headers=PROXY_HEADERS)
        stack.callback(gunicorn.stop)
        nginx = Nginx(workdir / "nginx", upstream_port=gunicorn.port)
        stack.callback(nginx.stop)
        yield Stack(gunicorn=gunicorn, nginx=nginx)
