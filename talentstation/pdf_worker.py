"""HTML → PDF in a worker process that can be stopped: WeasyPrint has no time limit of its own.

:func:`convert` hands the HTML to a worker process (started with ``spawn``: safe in a threaded
server) and waits at most ``timeout`` seconds for the PDF. The time limit is the document's
alone: a new worker first says it is ready (Django set up, WeasyPrint imported, the Chinese
fonts loaded by a one-line warm-up, which can take many seconds on a machine whose font cache
is cold) within :data:`STARTUP_TIMEOUT`, so the first document of a web process is not
refused for the worker's start. A worker that takes longer is killed
(its CPU and memory are given back at once) and :class:`RenderTimeout` is raised; the next
conversion starts a new worker. A worker stays warm between conversions (WeasyPrint imported,
fonts loaded), so a conversion costs what it costs in the web process plus a few milliseconds
of copying; one idle worker is kept per web process, and concurrent conversions start more
(they end when they are not needed).
"""

import logging
import multiprocessing
import os
import threading
import traceback

logger = logging.getLogger(__name__)

MAX_IDLE_WORKERS = 1
STARTUP_TIMEOUT = 120  # seconds for a new worker to be ready
# A line of an official document, with its stylesheet and fonts (regular and bold).
WARM_UP = (
    '<html><head><link rel="stylesheet" href="{css}"></head>'
    "<body><h1>人才驿站</h1><table><tr><th>单位</th><td>人才驿站</td></tr></table></body></html>"
)


class RenderTimeout(Exception):
    """The worker did not finish in time and was stopped."""


class RenderFailed(Exception):
    """The worker failed (an exception in WeasyPrint, or the process died)."""


def _serve(connection):
    """The worker's loop: HTML in, ``("ok", pdf)`` or ``(kind, message)`` out, until EOF."""
    import django

    django.setup()
    from django.templatetags.static import static

    from talentstation import documents

    try:
        documents.write_pdf(WARM_UP.format(css=static("css/official.css")))
    except Exception:
        connection.send(("error", traceback.format_exc()))
        return
    connection.send(("ready", None))
    while True:
        try:
            html = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", documents.write_pdf(html)))
        except documents.DocumentResourceError as error:
            connection.send(("resource", str(error)))
        except Exception:
            connection.send(("error", traceback.format_exc()))


class _Worker:
    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self.connection, child_connection = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child_connection,), name="pdf-worker", daemon=True
        )
        self.process.start()
        child_connection.close()
        self.owner = os.getpid()
        self.in_step = True  # every question sent has had its answer
        self._wait_until_ready()

    def _answer(self, timeout, waiting_for):
        """The worker's next ``(kind, payload)`` within ``timeout`` seconds; a worker that is
        too slow or dies is stopped."""
        if not self.connection.poll(timeout):
            self.stop()
            raise RenderTimeout(f"no {waiting_for} after {timeout} s")
        try:
            return self.connection.recv()
        except (EOFError, OSError) as error:
            self.stop()
            code = self.process.exitcode
            raise RenderFailed(f"the PDF worker died (exit code {code})") from error

    def _wait_until_ready(self):
        kind, payload = self._answer(STARTUP_TIMEOUT, "ready PDF worker")
        if kind != "ready":
            self.stop()
            raise RenderFailed(payload)

    def convert(self, html, timeout):
        self.in_step = False
        self.connection.send(html)
        kind, payload = self._answer(timeout, "PDF")
        self.in_step = True
        if kind == "ok":
            return payload
        if kind == "resource":
            from talentstation.documents import DocumentResourceError

            raise DocumentResourceError(payload)
        raise RenderFailed(payload)

    @property
    def usable(self):
        return self.in_step and self.owner == os.getpid() and self.process.is_alive()

    def stop(self):
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


_idle = []
_lock = threading.Lock()


def _checkout():
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.usable:
                return worker
    return _Worker()


def _checkin(worker):
    with _lock:
        if worker.usable and len(_idle) < MAX_IDLE_WORKERS:
            _idle.append(worker)
            return
    worker.stop()


def convert(html: str, *, timeout: float) -> bytes:
    """The PDF of ``html``, made in a worker process within ``timeout`` seconds."""
    worker = _checkout()
    try:
        return worker.convert(html, timeout)
    finally:
        _checkin(worker)  # kept if it answered, else stopped (timed out, died, interrupted)


def stop_workers():
    """Stop the idle workers (tests; a worker also ends with its web process)."""
    with _lock:
        workers = list(_idle)
        _idle.clear()
    for worker in workers:
        worker.stop()
