"""Slow clients cannot starve the production server (issue 14, point 4).

Twenty connections send their request headers a byte a second — the attack that, straight
against sync gunicorn, held both workers and made a normal visitor wait 17 s. Behind nginx
(deploy/nginx/portal.conf) a normal visitor is answered in well under a second meanwhile, and
nginx cuts the tricklers at its header timeout without gunicorn ever seeing them.
"""

from __future__ import annotations

import re
import select
import socket
import subprocess
import threading
import time

import pytest
import requests

from .nginx_stack import (
    PORTAL_CONF,
    PROXY_HEADERS,
    WORKERS,
    nginx_command,
    running_stack,
    with_certificate,
)

pytestmark = [pytest.mark.slowclients, pytest.mark.slow]

SLOW_CLIENTS = 20
# client_header_timeout in deploy/nginx/portal.conf: the test reads it from there.
HEADER_TIMEOUT = int(re.search(r"client_header_timeout (\d+)s;", PORTAL_CONF.read_text()).group(1))


class Tricklers:
    """Connections that send a request's headers one byte a second, and never finish them;
    each notes when the server hung up on it."""

    REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-Pad: " + b"a" * 600

    def __init__(self, port: int, count: int):
        self.started = time.monotonic()
        self.sockets = [
            socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)
        ]
        self.closed_at: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)
        self._thread.start()

    def _trickle(self) -> None:
        position = 0
        while not self._stop.is_set() and position < len(self.REQUEST):
            for index, sock in enumerate(self.sockets):
                if index in self.closed_at:
                    continue
                try:
                    # A server that hung up makes the socket readable with nothing to read.
                    readable, _, _ = select.select([sock], [], [], 0)
                    if readable and not sock.recv(4096):
                        raise ConnectionResetError
                    sock.send(self.REQUEST[position : position + 1])
                except OSError:
                    self.closed_at[index] = time.monotonic() - self.started
            position += 1
            self._stop.wait(1)

    def all_closed(self) -> bool:
        return len(self.closed_at) == len(self.sockets)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for sock in self.sockets:
            sock.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("slowclients")) as running:
        yield running


def timed_get(url: str, timeout: float = 10) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=timeout, allow_redirects=False)
    return response, time.monotonic() - started


def test_a_normal_visitor_is_answered_while_slow_clients_trickle_headers(stack):
    tricklers = Tricklers(stack.nginx.port, SLOW_CLIENTS)
    try:
        time.sleep(2)  # every trickler is well into its headers
        assert not tricklers.closed_at, "nginx hung up on a trickler before its header timeout"

        # Several visits spread over the trickle, each the whole home page, each quick.
        for _ in range(5):
            response, seconds = timed_get(stack.nginx.base + "/")
            assert response.status_code == 200
            assert "平塚" in response.text
            assert seconds < 1, f"the home page took {seconds:.2f} s behind nginx"
            # A static file, hashed and served by WhiteNoise through the proxy.
            css = re.search(r'href="(/static/[^"]+\.css)"', response.text).group(1)
            static, seconds = timed_get(stack.nginx.base + css)
            assert static.status_code == 200 and seconds < 1
            time.sleep(1)

        # nginx cuts every trickler at its header timeout (counted from the first byte).
        deadline = tricklers.started + HEADER_TIMEOUT + 5
        while not tricklers.all_closed() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert tricklers.all_closed(), f"still open: {SLOW_CLIENTS - len(tricklers.closed_at)}"
        assert min(tricklers.closed_at.values()) >= HEADER_TIMEOUT - 1
        assert max(tricklers.closed_at.values()) <= HEADER_TIMEOUT + 3
    finally:
        tricklers.close()

    # nginx logs each as a 408: their headers never ended, so nothing went on to gunicorn.
    timed_out = [line for line in stack.nginx.access_log() if '" 408 ' in line]
    assert len(timed_out) == SLOW_CLIENTS

    # Once they are gone the site is as quick as ever.
    response, seconds = timed_get(stack.nginx.base + "/")
    assert response.status_code == 200 and seconds < 1


def test_without_nginx_a_few_slow_clients_hold_every_sync_worker(stack):
    """The contrast, for the record: straight against gunicorn, one trickler more than there
    are workers is enough, and a normal visitor is not answered while they trickle."""
    tricklers = Tricklers(stack.gunicorn.port, WORKERS + 1)
    try:
        time.sleep(1)
        with pytest.raises(requests.Timeout):
            requests.get(stack.gunicorn.base + "/", headers=PROXY_HEADERS, timeout=3)
    finally:
        tricklers.close()
    # Hung up on, the workers are free again.
    deadline = time.monotonic() + 10
    while True:
        try:
            response = requests.get(stack.gunicorn.base + "/", headers=PROXY_HEADERS, timeout=2)
            break
        except requests.Timeout:
            assert time.monotonic() < deadline, "gunicorn did not recover after the tricklers left"
    assert response.status_code == 200


def test_the_shipped_file_with_its_tls_part_is_accepted_by_nginx(tmp_path):
    """The stack test replaces the TLS listen with plain http; this checks the rest of the file
    as an operator installs it (with a throwaway self-signed certificate for the city's)."""
    certificate, key = tmp_path / "portal.pem", tmp_path / "portal.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=portal.city.hiratsuka.example", "-keyout", key, "-out", certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    # nginx_command runs nginx -t and fails the test with nginx's message if it refuses.
    nginx_command(tmp_path / "nginx", with_certificate(certificate=certificate, key=key))
