"""gunicorn's configuration for the portal.

    gunicorn -c deploy/gunicorn.conf.py hiratsuka_portal.wsgi

Read from the environment like the settings: ``GUNICORN_BIND`` (default ``127.0.0.1:8000``; put a
reverse proxy in front rather than binding to every address), ``GUNICORN_WORKERS`` (default: one
per CPU core; sync workers, each answering one request at a time), ``GUNICORN_TIMEOUT`` (seconds a
worker may spend on one request: the longest PDF report renders in a few) and
``GUNICORN_FORWARDED_ALLOW_IPS`` (the proxy whose X-Forwarded-* headers are trusted). ``make
benchmark`` serves the site with this file, so the figures are those of this configuration.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count())
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 10
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Errors to stderr, no access log: the reverse proxy keeps one, and writing a line per request
# would cost the app servers time.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
