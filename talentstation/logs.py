"""Logging with a request id: structured lines to stdout, one access line per request.

:class:`RequestLogMiddleware` (first in MIDDLEWARE) takes the request id from the
``X-Request-ID`` header that nginx sets (``proxy_set_header X-Request-ID $request_id``) when it
is well formed, or makes one; it sends it back on the response and keeps it, with the request,
in a context variable for the length of the request. :class:`RequestContextFilter` (on the
console handler) copies the request id and the user's id onto every log record, so the lines of
one request can be found together, in the app's log and in nginx's. With ``LOG_ACCESS`` on, the
middleware writes one line per request to the ``talentstation.access`` logger: method, path,
status, duration in milliseconds, user id and request id.

:class:`JsonFormatter` writes one JSON object per line (``LOG_FORMAT=json``, production);
:class:`TextFormatter` a readable line (``LOG_FORMAT=text``, development).
"""

import contextvars
import datetime
import json
import logging
import re
import time
import traceback
import uuid

from django.conf import settings
from django.utils.functional import empty
from django.utils.log import log_response

REQUEST_ID_HEADER = "X-Request-ID"
# What a request id from outside may look like: nginx's $request_id is 32 hex digits, a UUID
# has 36 characters. Anything else (too long, other characters, e.g. a line break that would
# forge a log line) is replaced by a new id.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{8,64}")
NO_REQUEST = "-"

_current = contextvars.ContextVar("talentstation_request", default=None)

access_logger = logging.getLogger("talentstation.access")


def valid_request_id(value):
    """``value`` when it is a usable request id, else None."""
    if value and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return None


def new_request_id():
    return uuid.uuid4().hex


def current_request_id():
    """The id of the request being answered in this thread or task, or "-"."""
    state = _current.get()
    return state["id"] if state else NO_REQUEST


def _user_id(request):
    """The logged-in user's id, or None. The user is looked up only if the request has
    already done so: logging never costs a session query."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # SimpleLazyObject until used
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


def current_user_id():
    state = _current.get()
    return _user_id(state["request"]) if state else None


class RequestContextFilter(logging.Filter):
    """Puts ``request_id`` and ``user_id`` on every record (values given in ``extra`` win)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        if not hasattr(record, "user_id"):
            record.user_id = current_user_id()
        return True


# The attributes every LogRecord has; the others came in through ``extra``.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    user_id, the fields given in ``extra`` and, for an exception, its traceback."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
            "user_id": getattr(record, "user_id", current_user_id()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger [request id] message`` for reading in a terminal."""

    def __init__(self):
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"
        )

    def format(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        if not hasattr(record, "user_id"):
            record.user_id = current_user_id()
        return super().format(record)


class RequestLogMiddleware:
    """Request id in, on the response and on every log record; one access line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = valid_request_id(request.headers.get(REQUEST_ID_HEADER)) or new_request_id()
        request.request_id = request_id
        token = _current.set({"id": request_id, "request": request})
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            if response.status_code >= 400:
                # Django logs "Not Found: /path" and the like once the middleware has returned,
                # outside this request's context; logged here, the record carries its id (and
                # Django, seeing it done, does not log it again).
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            if settings.LOG_ACCESS:
                self.log_access(request, response.status_code, started)
            return response
        except Exception:
            # Django turns exceptions into responses before they reach here; this is the
            # rare one that escapes (e.g. from a middleware above the handler's own).
            if settings.LOG_ACCESS:
                self.log_access(request, 500, started)
            raise
        finally:
            _current.reset(token)

    def log_access(self, request, status, started):
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        path = request.path
        access_logger.info(
            "%s %s %s %.1fms",
            request.method,
            path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
            },
        )
