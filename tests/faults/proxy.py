"""A TCP proxy the fault test controls, in front of the machine's PostgreSQL.

The app server's DATABASE_URL names the proxy, so the test can take "the database" away and
give it back without touching the shared PostgreSQL service:

- ``up()``: connections are passed through to the database;
- ``refuse()``: every connection is cut and the port is closed (a database that is down: a
  new connection is refused at once);
- ``blackhole()``: every connection is cut, new ones are accepted and never answered (a host
  gone from the network: a new connection waits for the client's connect timeout);
- ``restart()``: every connection is cut and new ones pass at once (a quick restart of the
  database: the app's pooled connections are dead, the database is there).
"""

from __future__ import annotations

import contextlib
import socket
import threading


class FaultProxy:
    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._mode = "up"
        # Bound once, to a free port, kept for every later listener.
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listen()

    # --- what the test does -------------------------------------------------------------------

    def up(self) -> None:
        self._set("up")

    def refuse(self) -> None:
        self._set("refuse")

    def blackhole(self) -> None:
        self._set("blackhole")

    def restart(self) -> None:
        """Cut every connection; new ones pass at once."""
        self._cut_all()

    def close(self) -> None:
        self._set("refuse")

    # --- how ----------------------------------------------------------------------------------

    def _set(self, mode: str) -> None:
        with self._lock:
            self._mode = mode
        self._cut_all()
        if mode == "refuse":
            self._stop_listening()
        elif self._listener is None:
            self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _stop_listening(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _cut_all(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # the listener was closed
            self._track(client)
            if self._mode == "blackhole":
                continue  # held open, never answered, until the mode changes
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            self._track(server)
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
