"""gunicorn settings of the portal's app server (README "Deployment (a bureau server)").

    gunicorn -c deploy/gunicorn.conf.py talentstation.wsgi

Every value can be changed from the environment (deploy/talentstation.env.example).
Workers are threaded (gthread): a long request, e.g. an Annex 2 PDF of a whole cycle, keeps one
thread busy but does not stop the worker's heartbeat, so `timeout` only catches a worker that
hangs; the documents bound their own rendering time (DOCUMENT_RENDER_TIMEOUT seconds, more for
long documents; talentstation.documents).

The access log is written by the portal (talentstation.logs.RequestLogMiddleware: method, path,
status, duration, user id, request id, as JSON); gunicorn's own access log is off unless
GUNICORN_ACCESS_LOG names a file or "-" (stdout), then with the request id too.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


# Where nginx sends the requests: a Unix socket (systemd's talentstation.socket hands it over;
# the Docker image binds a TCP port instead).
bind = os.environ.get("GUNICORN_BIND", "unix:/run/talentstation/gunicorn.sock").split(",")
# Processes and threads: by default two processes per core plus one, four threads each.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
# Longer than any document may render (DOCUMENT_RENDER_TIMEOUT, 20 s by default, stopped by
# the portal itself) with room to spare; nginx's proxy_read_timeout (300 s) is longer still.
_render_timeout = float(os.environ.get("DOCUMENT_RENDER_TIMEOUT", "20"))
timeout = _int("GUNICORN_TIMEOUT", max(120, int(_render_timeout * 3)))
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Workers are replaced after this many requests (PDF rendering and xlsx exports grow memory).
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# Each worker loads the application itself (no connection opened before the fork is shared).
preload_app = False
# X-Forwarded-Proto and -For are believed from these addresses only (nginx on this machine).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Headers with an underscore are dropped (nginx drops them too).
header_map = "drop"

# No control socket (gunicornc): it would be written to the home directory, read-only under
# the systemd unit; systemctl reload/restart do its work.
control_socket_disable = True

errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# The request id is the response's X-Request-ID: nginx's, or the portal's when nginx sent none.
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s '
    'forwarded_for="%({x-forwarded-for}i)s" "%(a)s"'
)

# gunicorn's own lines (start, worker restarts, timeouts) in the portal's format: JSON lines
# with LOG_FORMAT=json (the default in production), else gunicorn's usual text.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": []},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["stdout"],
                "propagate": False,
                "qualname": "gunicorn.error",
            },
            # Off unless GUNICORN_ACCESS_LOG is set (the portal writes the access lines).
            "gunicorn.access": {
                "level": "INFO" if accesslog else "CRITICAL",
                "handlers": [] if not accesslog else ["stdout" if accesslog == "-" else "file"],
                "propagate": False,
                "qualname": "gunicorn.access",
            },
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "formatters": {"json": {"()": "talentstation.logs.JsonFormatter"}},
    }
    if accesslog and accesslog != "-":
        logconfig_dict["handlers"]["file"] = {
            "class": "logging.FileHandler",
            "formatter": "json",
            "filename": accesslog,
        }
