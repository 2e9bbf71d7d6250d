"""Official documents: one renderer (Django template → HTML → PDF with WeasyPrint).

Every official document of the portal — Annex 1, Annex 2, Annex 3, publicity notices,
certificates, rectification notices, results notices — is a template rendered by
:func:`render_pdf` and styled by the shared GB/T 9704-style stylesheet ``static/css/official.css``
(link it with ``{% static 'css/official.css' %}``). A view returns it with :func:`pdf_response`.

Resources are never fetched over the network: ``/static/…`` URLs are read from the static files
(the finders, or ``STATIC_ROOT`` after ``collectstatic`` with hashed names) and ``data:`` URLs
are allowed (e.g. a QR code); every other URL is refused, so user-entered text cannot make the
server fetch anything. This also makes rendering work in tests without a running server.

Fonts: the stylesheet names "Noto Serif CJK SC" (for 仿宋/宋体) and "Noto Sans CJK SC" (for 黑体),
found by fontconfig (Debian ``fonts-noto-cjk``).

Conventions for document templates:

- ``<html lang="zh-Hans">`` and a ``<title>`` (it becomes the PDF's title);
- ``<body data-doc-footer="…">``: the text shown at the foot of every page (e.g. the application
  number and revision); the page number "— 1 —" is added by the stylesheet;
- labels of official forms are written literally in Chinese (they are document texts, not UI);
  any UI-like chrome uses ``{% translate %}`` and is rendered in ``language`` (zh-hans by default).
"""

import functools
import mimetypes
import posixpath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header

# The pseudo origin the HTML is rendered under: relative and root-relative URLs in documents
# resolve against it, and the fetcher maps its static URLs to files. ``.invalid`` never resolves.
BASE_URL = "https://documents.invalid/"

PDF_CONTENT_TYPE = "application/pdf"


class DocumentResourceError(OSError):
    """A document asked for a resource that is not a static file or a ``data:`` URL."""


def _static_path(url):
    """The filesystem path of a static file URL under :data:`BASE_URL`, or None."""
    static_prefix = urljoin(BASE_URL, settings.STATIC_URL)
    if not url.startswith(static_prefix):
        return None
    name = unquote(urlsplit(url).path[len(urlsplit(static_prefix).path) :])
    normalised = posixpath.normpath(name)
    if not name or normalised.startswith(("..", "/")) or normalised == ".":
        return None
    try:
        path = finders.find(normalised)
        if not path and staticfiles_storage.exists(normalised):
            # After collectstatic with a manifest storage, {% static %} gives hashed names.
            path = staticfiles_storage.path(normalised)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return path or None


@functools.cache
def _fetcher_class():
    # WeasyPrint is imported on first use only: importing it loads Pango and takes ~1 s.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesURLFetcher(URLFetcher):
        """Reads static files from disk and ``data:`` URLs; refuses everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            if path is None:
                raise DocumentResourceError(f"Documents may only use static files, not {url!r}.")
            with open(path, "rb") as file:
                body = file.read()
            content_type, _encoding = mimetypes.guess_type(path)
            if content_type == "text/css":
                content_type += "; charset=utf-8"
            return URLFetcherResponse(
                url, body, {"Content-Type": content_type} if content_type else None
            )

    return StaticFilesURLFetcher


def url_fetcher():
    """The documents' URL fetcher. Errors are fatal: no official document without its styles."""
    return _fetcher_class()(allowed_protocols={"data"}, fail_on_errors=True)


def render_html(template_name, context, *, request=None, language="zh-hans"):
    """The document's HTML, rendered in ``language`` (None: the currently active language)."""
    if language is None:
        return render_to_string(template_name, context, request=request)
    with translation.override(language):
        return render_to_string(template_name, context, request=request)


def render_pdf(template_name: str, context: dict, *, request=None, language="zh-hans") -> bytes:
    """Render the Django template ``template_name`` with ``context`` to PDF bytes.

    The official forms are Chinese documents, so they are rendered in zh-hans unless another
    ``language`` is given (``None`` keeps the currently active one). ``request``, if given, makes
    the context processors run (not needed by the official documents).
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    html = render_html(template_name, context, request=request, language=language)
    try:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()
    except FatalURLFetchingError as error:
        # WeasyPrint's error is a BaseException; make it an ordinary one for callers.
        raise DocumentResourceError(str(error)) from error.__cause__


def pdf_response(pdf_bytes: bytes, filename: str) -> HttpResponse:
    """An attachment download of ``pdf_bytes`` named ``filename`` (UTF-8 names are fine)."""
    response = HttpResponse(pdf_bytes, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(pdf_bytes))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
