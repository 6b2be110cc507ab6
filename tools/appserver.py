"""gunicorn serving the site on a free loopback port, as deployed (``deploy/gunicorn.conf.py``):
started, waited for and stopped by the benchmark (``tools/benchmark.py``) and the two-server
test (``tests/scaleout/``)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = BASE_DIR / "deploy" / "gunicorn.conf.py"
START_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# What configures the site: a server the tests start takes none of it from the caller's shell.
SITE_SETTING_PREFIXES = ("DJANGO_", "GUNICORN_", "PAGE_CACHE", "REDIS_", "AWS_", "AXES_")


def environ_without_site_settings(*names: str) -> dict[str, str]:
    """This process's environment without the site's settings (``SITE_SETTING_PREFIXES``,
    ``DATABASE_URL`` and ``names``): the base of a test server's environment."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(SITE_SETTING_PREFIXES) and key not in {"DATABASE_URL", *names}
    }


def manage(env: dict[str, str], *args: str) -> None:
    """``manage.py`` with the server's environment (migrate, collectstatic, …): an error
    stops the caller with the command's output."""
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}"
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    """One GET: its status and headers (redirects and errors are answers too)."""
    # The URLs are the tool's own http://127.0.0.1 servers, never user input.
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with _opener.open(request, timeout=120) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


class AppServer:
    """gunicorn serving the site, started and stopped by us (its own process group).

    ``probe_headers`` go with the /healthz requests that tell when it is up: behind a TLS proxy
    (``DJANGO_BEHIND_TLS_PROXY``) a plain request is redirected to https, so the caller playing
    the proxy says ``X-Forwarded-Proto: https`` there too.
    """

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        workers: int,
        *,
        probe_headers: dict[str, str] | None = None,
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.workers = workers
        env = env | {"GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": str(workers)}
        with log.open("w") as stream:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "hiratsuka_portal.wsgi"],
                cwd=BASE_DIR,
                env=env,
                stdout=stream,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {log}:\n{log.read_text()}")
            try:
                if fetch(self.base + "/healthz", probe_headers)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within {START_SECONDS} s; see {log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> AppServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
