"""The connection pool's check of a pooled connection before it is handed out.

``ConnectionPool.check_connection`` finds a dead connection (the database restarted since it
was opened) and the pool opens a replacement. But a restart kills every idle connection at
once, and psycopg_pool waits one second, then two, … between the dead ones it finds in turn:
a request could spend its whole pool timeout discarding them. When one fails, the others are
checked at once (``pool.check()``, each replaced in the background), so the request waits for
one fresh connection only.
"""

from __future__ import annotations

import psycopg
from psycopg_pool import ConnectionPool


def check_connection(connection: psycopg.Connection) -> None:
    try:
        ConnectionPool.check_connection(connection)
    except psycopg.Error:
        _sweep_pools()
        raise


def _sweep_pools() -> None:
    from django.db import connections

    for wrapper in connections.all(initialized_only=True):
        pool = getattr(wrapper, "pool", None)
        if pool is not None:
            # Checks the idle connections with the pool's own check (not this function).
            pool.check()
