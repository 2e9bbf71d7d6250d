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
  any UI-like chrome uses ``{% translate %}`` and is rendered in ``language`` (zh-hans by default);
- titles, names and paragraph ends are set with the typesetting helpers below (``{% load
  documents %}``: ``title_lines``, ``paragraphs``, ``keep_end_together``), so that no line holds
  a single character and no name breaks inside a word; ``site_url`` is in every context.

Rendering is bounded: a document whose HTML is longer than ``settings.DOCUMENT_MAX_HTML_CHARS`` is
refused before rendering, and WeasyPrint runs in a worker process (:mod:`talentstation.pdf_worker`)
that is stopped after ``settings.DOCUMENT_RENDER_TIMEOUT`` seconds. Both refusals are
:class:`DocumentRefused`; :class:`DocumentRefusalMiddleware` answers them, for every view, with a
clear page (413 or 503), so views need not catch them.
"""

import functools
import logging
import math
import mimetypes
import posixpath
import re
import unicodedata
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import pdf_worker

logger = logging.getLogger(__name__)

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
    """The document's HTML, rendered in ``language`` (None: the currently active language).
    Every document may use ``site_url`` (settings.SITE_URL) for the portal's absolute links."""
    context = {"site_url": settings.SITE_URL, **context}
    if language is None:
        return render_to_string(template_name, context, request=request)
    with translation.override(language):
        return render_to_string(template_name, context, request=request)


class DocumentRefused(Exception):
    """A document that is not rendered, to protect the server. Every view that renders a
    document gets a clear page instead (:class:`DocumentRefusalMiddleware`): callers of
    :func:`render_pdf` need not catch it."""

    status_code = 503

    def message(self):
        raise NotImplementedError


class DocumentTooLarge(DocumentRefused):
    """The document's HTML is longer than settings.DOCUMENT_MAX_HTML_CHARS."""

    status_code = 413

    def __init__(self, template_name, size, limit):
        super().__init__(f"{template_name}: {size} characters of HTML, more than {limit}")
        self.limit = limit

    def message(self):
        return _(
            "The document is too long to be produced (more than %(limit)s characters). Shorten "
            "its longest texts and try again; if it must stay as it is, contact %(contact)s."
        ) % {"limit": f"{self.limit:,}", "contact": settings.BUREAU_CONTACT}


class DocumentTooSlow(DocumentRefused):
    """Rendering took longer than settings.DOCUMENT_RENDER_TIMEOUT seconds and was stopped."""

    status_code = 503

    def __init__(self, template_name, timeout):
        super().__init__(f"{template_name}: not rendered within {timeout} s")
        self.timeout = timeout

    def message(self):
        return _(
            "Producing the document took longer than %(seconds)s seconds and was stopped. "
            "Shorten its longest texts and try again, or try again later; if it keeps failing, "
            "contact %(contact)s."
        ) % {"seconds": f"{self.timeout:g}", "contact": settings.BUREAU_CONTACT}


def write_pdf(html):
    """The PDF of the document ``html`` (WeasyPrint, in this process, without a time limit)."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()
    except FatalURLFetchingError as error:
        # WeasyPrint's error is a BaseException; make it an ordinary one for callers.
        raise DocumentResourceError(str(error)) from error.__cause__


def render_pdf(
    template_name: str, context: dict, *, request=None, language="zh-hans", pages=1
) -> bytes:
    """Render the Django template ``template_name`` with ``context`` to PDF bytes.

    The official forms are Chinese documents, so they are rendered in zh-hans unless another
    ``language`` is given (``None`` keeps the currently active one). ``request``, if given, makes
    the context processors run (not needed by the official documents).

    Rendering is bounded: HTML longer than ``settings.DOCUMENT_MAX_HTML_CHARS`` is refused
    (:class:`DocumentTooLarge`) and the PDF is made in a worker process that is stopped after
    ``settings.DOCUMENT_RENDER_TIMEOUT`` seconds (:class:`DocumentTooSlow`; 0 renders in this
    process without a limit). A document made of many one-page forms (the Annex 2 sheets of a
    whole cycle) says how many with ``pages``: both bounds grow with it, the time by one more
    period for every 25 pages.
    """
    html = render_html(template_name, context, request=request, language=language)
    pages = max(1, pages)
    limit = settings.DOCUMENT_MAX_HTML_CHARS * pages
    if len(html) > limit:
        raise DocumentTooLarge(template_name, len(html), limit)
    timeout = settings.DOCUMENT_RENDER_TIMEOUT * math.ceil(pages / 25)
    if not timeout:
        return write_pdf(html)
    try:
        return pdf_worker.convert(html, timeout=timeout)
    except pdf_worker.RenderTimeout as error:
        raise DocumentTooSlow(template_name, timeout) from error


class DocumentRefusalMiddleware:
    """Turns a :class:`DocumentRefused` raised by any view into a clear page (413 or 503)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DocumentRefused):
            return None
        logger.warning("Document refused for %s: %s", request.path, exception)
        context = {"message": exception.message()}
        return render(request, "documents/refused.html", context, status=exception.status_code)


def pdf_response(pdf_bytes: bytes, filename: str, *, subject=None) -> HttpResponse:
    """An attachment download of ``pdf_bytes`` named ``filename`` (UTF-8 names are fine),
    recorded in the access log as a download (of ``subject``, the object it shows)."""
    from .access_log import DOWNLOAD, mark

    response = HttpResponse(pdf_bytes, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(pdf_bytes))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return mark(response, subject, DOWNLOAD, filename)


# Typesetting. WeasyPrint has no balanced wrapping (text-wrap: balance) and no word segmentation
# for Chinese (it may break between any two characters), so lines that matter are set here: a
# title wraps symmetrically between words (GB/T 9704: 词意完整，排列对称), a name stays whole, and
# the last line of a paragraph never holds a single character. The widths are estimates from the
# characters (CJK 1 em, Latin and digits 0.6 em, a little wider than Noto's): keep a margin.

TYPE_AREA_WIDTH_PT = 156 / 25.4 * 72  # official.css: 210 mm − 28 mm − 26 mm
TITLE_FONT_PT = 22  # 二号
WIDTH_SAFETY = 0.97

# Words of Chinese names and titles (regions, trades, organisational forms after the naming rules
# for enterprises; the words of notice titles): a line breaks only between them. What lies
# between two of them (a trade name, 字号) is a word of its own.
_WORDS_TEXT = """
    福建省 福建 福州市 福州 闽侯县 闽侯 高新技术产业开发区 高新区 开发区 上街镇 南屿镇 南通镇
    中国 国家 省级 市级 国际 海峡 海西 两岸
    科技 技术 信息 智能 制造 装备 生物 医药 医疗 器械 电子 软件 网络 数字 数据 新材料 材料 光电
    新能源 能源 环保 化工 机械 汽车 通信 人工智能 物联网 互联网 文化 传媒 教育 人力资源 服务 管理
    咨询 发展 投资 实业 产业 工业 创新 创业 孵化器 孵化 加速器 众创空间 科技园 产业园 大学 学院
    研究院 研究所 研究中心 实验室 中心 协会 商会 联合会 促进会 基金会 医院 事务所 工作室
    集团 控股 股份有限公司 有限责任公司 有限公司 股份公司 分公司 公司 合伙企业 有限合伙 普通合伙
    人才驿站 驿站 人才 关于 拟认定 认定 拟命名 命名 优秀 考核 结果 评选 名单 公示 公告 通知 决定
    申报 推荐 整改 撤销 奖励 资金 年度
"""
_WORDS = sorted(_WORDS_TEXT.split(), key=len, reverse=True)
_WORD = re.compile(
    r"[（(《“][^）)》”]*[）)》”]|\d+年度?|[0-9A-Za-z.&·\-]+|" + "|".join(map(re.escape, _WORDS))
)


def text_em(text):
    """The estimated width of ``text`` in em."""
    return sum(1 if unicodedata.east_asian_width(char) in "WFA" else 0.6 for char in text)


def words(text):
    """``text`` cut into the words a line may break between; ``"".join(words(text)) == text``.

    A word of one character (e.g. 「的」, 「示」) is joined to the next one (the last to the one
    before), so no line made of words can hold a single character.
    """
    pieces, start = [], 0
    for match in _WORD.finditer(text):
        if match.start() > start:
            pieces.append(text[start : match.start()])
        pieces.append(match.group())
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    joined = []
    for piece in pieces:
        if joined and len(joined[-1]) == 1:
            joined[-1] += piece
        else:
            joined.append(piece)
    if len(joined) > 1 and len(joined[-1]) == 1:
        last = joined.pop()
        joined[-1] += last
    return joined


def fitting_size(text, width_pt, size, min_size):
    """The largest font size (in half points, at most ``size``) at which ``text`` fits on one line
    ``width_pt`` wide, or None if it does not fit even at ``min_size``."""
    width_em = text_em(text)
    if not width_em:
        return size
    fitting = min(size, int(width_pt * WIDTH_SAFETY / width_em * 2) / 2)
    return fitting if fitting >= min_size else None


def balanced_lines(pieces, width_em):
    """``pieces`` (words) set on as few lines ``width_em`` wide as possible, the longest of them as
    short as possible: a symmetric title rather than a full line and an orphan. A word longer
    than the line gets a line of its own (it overflows or wraps inside)."""
    if not pieces:
        return []
    widths = [text_em(piece) for piece in pieces]

    def greedy(limit):
        lines, current, used = [], [], 0
        for piece, width in zip(pieces, widths, strict=True):
            if current and used + width > limit:
                lines.append(current)
                current, used = [], 0
            current.append(piece)
            used += width
        return [*lines, current]

    count = len(greedy(max(width_em * WIDTH_SAFETY, max(widths))))
    # The shortest limit that still gives ``count`` lines: one of the widths of a run of words.
    candidates = sorted(
        {sum(widths[i:j]) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)}
    )
    for limit in candidates:
        if limit >= max(widths) and len(greedy(limit)) <= count:
            return ["".join(line) for line in greedy(limit)]
    return ["".join(line) for line in greedy(max(widths))]  # pragma: no cover


def title_lines(title, width_pt=TYPE_AREA_WIDTH_PT, size_pt=TITLE_FONT_PT):
    """The lines of a document title: one if it fits, else balanced between words."""
    return balanced_lines(words(title), width_pt / size_pt)


KEEP_TOGETHER_AT_END = 4  # characters (not counting punctuation) that end a paragraph together


def keep_end_together(text):
    """``text`` as HTML whose last few characters (and their punctuation) cannot be broken apart:
    a paragraph never ends with a single character on its last line."""
    count, cut = 0, len(text)
    while cut > 0 and count < KEEP_TOGETHER_AT_END:
        cut -= 1
        if text[cut].isspace():
            cut += 1
            break
        if not unicodedata.category(text[cut]).startswith("P"):
            count += 1
    head, tail = text[:cut], text[cut:]
    if not tail:
        return conditional_escape(text)
    return mark_safe(  # noqa: S308 - both parts are escaped
        f'{conditional_escape(head)}<span class="nowrap">{conditional_escape(tail)}</span>'
    )


def paragraphs(text):
    """Like Django's ``linebreaks`` (a <p> a paragraph, <br> a line), each line ending with its
    last characters kept together."""
    blocks = [block for block in re.split(r"\n\s*\n", str(text).replace("\r\n", "\n")) if block]
    html = []
    for block in blocks:
        lines = [keep_end_together(line) for line in block.split("\n")]
        html.append("<p>" + "<br>".join(lines) + "</p>")
    return mark_safe("\n\n".join(html))  # noqa: S308 - every line is escaped
