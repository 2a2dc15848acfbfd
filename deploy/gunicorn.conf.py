"""Gunicorn for Kelisim behind nginx on one server (see docs/deployment.md).

    gunicorn -c deploy/gunicorn.conf.py kelisim.wsgi:application

Every value can be overridden from the environment (the systemd unit's EnvironmentFile) or on the
command line, which wins over this file (tools/prodserver.py passes its own --bind).
"""

import os
import re

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# nginx on the same machine is the only client: listen on loopback, never on a public address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers: nginx buffers slow clients, so a worker is busy only while Django works.
# (2 × cores) + 1 keeps both cores busy while one worker waits on PostgreSQL: 5 on two cores.
# Each worker holds at most one database connection (CONN_MAX_AGE=0: one per request).
worker_class = "sync"
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1)

# Load Django once in the master and fork the workers from it: less memory, and a worker that
# starts (at boot or after max_requests) answers its first request without importing every view.
# A new release therefore needs a restart (systemctl restart kelisim), not a HUP.
preload_app = True

# A request that runs longer than this is killed (its transaction rolls back). The slowest pages
# are PDF receipts, press releases and XLSX exports: seconds, not minutes. nginx waits a little
# longer (proxy_read_timeout 75s) so that it reports gunicorn's answer, not its own.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # finish requests in flight on restart
keepalive = 5  # seconds; nginx speaks HTTP/1.0 to the upstream unless told otherwise

# Recycle workers now and then, so that a slow leak never grows; jitter keeps them from all
# restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200

# Requests: lines and headers bounded (Django bounds bodies: DATA_UPLOAD_MAX_MEMORY_SIZE).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# nginx sets X-Forwarded-Proto; trust it from loopback only (Django reads it too:
# SECURE_PROXY_SSL_HEADER in kelisim/settings/production.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file lives in memory, not on a disk that may stall.
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Several instances may run on one machine (tests, soak runs): no shared control socket.
control_socket_disable = True

proc_name = os.environ.get("GUNICORN_PROC_NAME", "kelisim")

# Logs go to stdout/stderr, hence to the journal under systemd.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# The access log holds no personal data: no client address, no user, no referrer, no user agent,
# no query string (searches carry names), and secret path segments (calendar feed and public survey
# tokens) replaced by "*". What remains: time, method, path, status, size, duration, worker.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms %(p)s'

_SECRET_SEGMENTS = [
    (re.compile(r"^/calendar/feed/[^/]+\.ics$"), "/calendar/feed/*.ics"),
    (re.compile(r"^/s/[^/]+/"), "/s/*/"),
]


def when_ready(server):  # type: ignore[no-untyped-def]
    """Before the first fork: import the URL configuration, hence every view, in the master."""
    if not server.cfg.preload_app:
        return
    try:
        from django.urls import get_resolver

        get_resolver()._populate()
    except Exception:  # a warm-up only: the first request would raise the same error, visibly
        server.log.exception("warming up the URL configuration failed")


class PrivateAccessLogger(Logger):
    """Gunicorn's logger with the path stripped of tokens and the remaining atoms emptied."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        path = atoms.get("U") or ""
        for pattern, replacement in _SECRET_SEGMENTS:
            path = pattern.sub(replacement, path)
        atoms.update(U=path, r="-", q="-", h="-", u="-", f="-", a="-")
        # Request and response headers and the WSGI environ are offered to the format as {name}i/o/e;
        # none is used above, and none is kept, so that a later format change cannot leak them.
        return {k: v for k, v in atoms.items() if not k.startswith("{")}


logger_class = PrivateAccessLogger
