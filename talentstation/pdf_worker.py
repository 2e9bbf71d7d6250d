"""HTML → PDF in a worker process that can be stopped: WeasyPrint has no time limit of its own.

:func:`convert` hands the HTML to a worker process (started with ``spawn``: safe in a threaded
server) and waits at most ``timeout`` seconds for the PDF. A worker that takes longer is killed
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


class RenderTimeout(Exception):
    """The worker did not finish in time and was stopped."""


class RenderFailed(Exception):
    """The worker failed (an exception in WeasyPrint, or the process died)."""


def _serve(connection):
    """The worker's loop: HTML in, ``("ok", pdf)`` or ``(kind, message)`` out, until EOF."""
    import django

    django.setup()
    from talentstation import documents

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

    def convert(self, html, timeout):
        self.in_step = False
        self.connection.send(html)
        if not self.connection.poll(timeout):
            self.stop()
            raise RenderTimeout(f"no PDF after {timeout} s")
        try:
            kind, payload = self.connection.recv()
        except (EOFError, OSError) as error:
            self.stop()
            code = self.process.exitcode
            raise RenderFailed(f"the PDF worker died (exit code {code})") from error
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
