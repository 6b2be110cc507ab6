"""Django's PostgreSQL backend, failing fast while the database is unreachable and recovering
by itself when it is back.

The pool (psycopg_pool, ``OPTIONS["pool"]``) makes a request wait up to its timeout for a
connection, and while the database is down it retries in the background with a pause that
doubles each time. So, by itself, it makes every request of an outage wait the full timeout,
and it may still be pausing for seconds once the database is back. Here, instead:

- after a failed connection every attempt fails at once for ``DATABASE_BREAKER_SECONDS`` (the
  circuit breaker of ``core.outage``; the middleware answers 503);
- then one request tries the database directly (one connection, ``connect_timeout``): refused,
  it fails in a moment and the breaker opens again; answered, the database is back and the
  pool is replaced by a fresh one, without the old one's dead connections and back-off.
"""

from __future__ import annotations

import psycopg
from django.db.backends.postgresql import base

from core.outage import outage

# Seconds the old pool's background threads get to stop when it is replaced.
POOL_CLOSE_SECONDS = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if outage.breaker_open():
            # Raised as psycopg's, so Django wraps it like any failed connection.
            raise psycopg.OperationalError(
                "the database was unreachable a moment ago; not trying again yet"
            )
        try:
            if outage.since is not None and self.pool:
                self._probe(conn_params)
            connection = super().get_new_connection(conn_params)
        except psycopg.Error as error:
            outage.failed(error)
            raise
        outage.answered()
        return connection

    def _probe(self, conn_params) -> None:
        """During an outage: one direct connection, closed at once (raises if the database
        is still unreachable); it answered, so the pool starts afresh."""
        psycopg.connect(**conn_params).close()
        pool = self._connection_pools.pop(self.alias, None)
        if pool is not None:
            pool.close(timeout=POOL_CLOSE_SECONDS)
