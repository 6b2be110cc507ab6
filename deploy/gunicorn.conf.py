"""gunicorn's configuration for the portal.

    gunicorn -c deploy/gunicorn.conf.py hiratsuka_portal.wsgi

Read from the environment like the settings: ``GUNICORN_BIND`` (default ``127.0.0.1:8000``; put a
reverse proxy in front rather than binding to every address), ``GUNICORN_WORKERS`` (default: one
per CPU core), ``GUNICORN_THREADS`` (default 1: sync workers; see below), ``GUNICORN_TIMEOUT``
(seconds a worker may spend on one request: the longest PDF report renders in a few) and
``GUNICORN_FORWARDED_ALLOW_IPS`` (the proxy whose X-Forwarded-* headers are trusted). ``make
benchmark`` serves the site with this file, so the figures are those of this configuration.

Sync workers, behind nginx (``deploy/nginx/portal.conf``). A sync worker serves one connection
from its first byte to its last, so on its own a few clients trickling their headers hold every
worker (README, "Running it in production"). Threads (``gthread``) would not fix that — a
trickler holds a thread just as well, only more of them are needed — nginx does: it reads each
request whole, within its header and body timeouts, before passing it on, and buffers the answer
for slow readers, so a worker is busy only for the application's own time. Behind it, threads buy
little: the portal's work is Python under one GIL (templates, PDFs), so more threads per process
add waiting, not throughput, and each thread holds a database connection of its own.
``GUNICORN_THREADS`` above 1 switches to ``gthread`` for a site that waits a lot on I/O (S3
uploads, a distant database); keep ``DATABASE_POOL_MAX_SIZE`` (default 10, a pool per worker
process) at least that many threads, or requests queue for a connection.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 10
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Errors to stderr, no access log: the reverse proxy keeps one, and writing a line per request
# would cost the app servers time.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
