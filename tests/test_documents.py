"""The document renderer (talentstation.documents) and the Annex 1 PDF (stations.documents)."""

import datetime
import io
import re
import time

import pypdf
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from stations.documents import STATION_TYPE_LABELS, annex1_filename, annex1_pdf
from stations.models import StationType
from talentstation import pdf_worker
from talentstation.documents import (
    DocumentResourceError,
    DocumentTooLarge,
    DocumentTooSlow,
    pdf_response,
    render_pdf,
    url_fetcher,
)

from .factories import ApplicationFactory, valid_code

ANNEX1_LABELS = [
    "附件1",
    "福州高新区“人才驿站”建站申报表",
    "报送单位（盖章）",
    "驿站名称",
    "类型",
    "负责人姓名",
    "联系方式",
    "手机",
    "E-mail",
    "是否依托建站",
    "依托机构名称",
    "机构统一社会信用代码",
    "坐落地址",
    "建成时间",
    "场地面积（m²）",
    "配备人员情况",
    "制度和硬件配置情况",
    "活动开展情况及效果",
    "推荐人员入选省市人才项目情况",
    "高新区人才办意见",
    "公章",
    "备注：“人才驿站”类型分为行业型、创业型、服务型、综合型",
]


def squash(text):
    """Text without any whitespace: lines wrapped inside a table cell join up again."""
    return re.sub(r"\s+", "", text)


def pages_text(pdf):
    """The text of each page (WeasyPrint writes each cell's lines in order, so pypdf reads them
    back cell by cell; the fonts carry ToUnicode maps, so CJK extracts faithfully)."""
    return [squash(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def font_names(pdf):
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def application(db):
    return ApplicationFactory(
        stamped_scan=False,
        station_name="福州高新区海西人才驿站",
        leader_name="林晓东",
        leader_mobile="13805912345",
        leader_email="lin@example.com",
        area_m2="325.50",
        address="福州市闽侯县上街镇高新大道8号",
        staffing="专职人员2名\n兼职人员3名",
        activities="举办人才沙龙6场\n服务人才120人次",
    )


@pytest.mark.django_db
def test_annex1_is_an_a4_pdf_in_noto_cjk_with_every_label_and_value(application):
    pdf = annex1_pdf(application)

    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1  # a typical application fits one page, like the paper form
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=0.5)
    assert float(box.height) == pytest.approx(841.9, abs=0.5)

    fonts = {name.replace("-", "") for name in font_names(pdf)}
    assert any("NotoSerifCJK" in name for name in fonts), fonts
    assert any("NotoSansCJK" in name for name in fonts), fonts

    text = "".join(pages_text(pdf))
    missing = [label for label in ANNEX1_LABELS if squash(label) not in text]
    assert not missing, missing
    unit = application.host_unit
    for value in [
        "福州高新区海西人才驿站",
        "行业型",
        "林晓东",
        "13805912345",
        "lin@example.com",
        "否",  # not built relying on a host institution…
        unit.name,  # …so the unit itself fills the institution rows
        unit.credit_code,
        "福州市闽侯县上街镇高新大道8号",
        "2025年5月1日",
        "325.5",
        "专职人员2名兼职人员3名",
        "举办人才沙龙6场服务人才120人次",
        "推荐1人入选省引进高层次人才C类",
        f"报送单位（盖章）：{unit.name}",
        f"申报编号{application.number}·第1版",
    ]:
        assert squash(value) in text, value
    # Nothing is filled in the talent office's box yet, and no submission date.
    assert "年月日备注" in text
    assert re.search(r"\d+年\d+月\d+日驿站名称", text) is None


@pytest.mark.django_db
def test_annex1_shows_the_submission_date_the_opinion_and_a_host_institution(application):
    application.relies_on_host = True
    application.host_institution_name = "福州大学科技园"
    application.host_institution_credit_code = valid_code(424242)
    application.station_type = StationType.COMPREHENSIVE
    # 16:30 UTC is already the next day in Shanghai.
    application.submitted_at = datetime.datetime(2026, 7, 14, 16, 30, tzinfo=datetime.UTC)
    application.office_opinion = "经审核，符合建站条件。\n同意认定为“人才驿站”。"
    application.office_opinion_date = datetime.date(2026, 10, 20)
    application.revision = 2

    text = "".join(pages_text(annex1_pdf(application)))

    assert "2026年7月15日驿站名称" in text
    assert "综合型" in text
    assert "是否依托建站是依托机构名称福州大学科技园" in text
    assert valid_code(424242) in text
    assert "高新区人才办意见经审核，符合建站条件。同意认定为“人才驿站”。公章2026年10月20日" in text
    assert f"申报编号{application.number}·第2版" in text


@pytest.mark.django_db
def test_annex1_leaves_unanswered_rows_blank(application):
    application.relies_on_host = None
    application.station_type = ""
    application.built_on = None
    application.area_m2 = None

    text = "".join(pages_text(annex1_pdf(application)))

    assert "类型负责人姓名" in text
    assert "是否依托建站依托机构名称" in text
    assert "建成时间场地面积（m²）配备人员情况" in text
    form = text.split("备注")[0]
    assert not any(label in form for label in STATION_TYPE_LABELS.values())


@pytest.mark.django_db
def test_a_long_text_flows_onto_further_pages_with_the_footer_on_each(application):
    paragraph = "举办“闽都人才沙龙”，邀请高校专家和企业代表交流人才需求，服务人才86人次。"
    application.activities = "\n".join([paragraph] * 40)[:1500]

    pages = pages_text(annex1_pdf(application))

    assert len(pages) >= 2
    footers = [f"申报编号{application.number}·第1版—{n}—" for n in range(1, len(pages) + 1)]
    for text, footer in zip(pages, footers, strict=True):
        assert text.endswith(footer)
    # Nothing of the text is lost or reordered across the page breaks.
    body = "".join(text.removesuffix(footer) for text, footer in zip(pages, footers, strict=True))
    assert squash(application.activities) in body
    assert body.endswith("备注：“人才驿站”类型分为行业型、创业型、服务型、综合型")


def test_every_station_type_has_its_official_chinese_name():
    assert set(STATION_TYPE_LABELS) == set(StationType.values)
    assert sorted(STATION_TYPE_LABELS.values()) == sorted(["行业型", "创业型", "服务型", "综合型"])


@pytest.mark.django_db
def test_annex1_filename(application):
    assert annex1_filename(application) == f"附件1-建站申报表-{application.number}.pdf"


def test_pdf_response_is_a_private_attachment_with_a_utf8_filename():
    response = pdf_response(b"%PDF-1.7 test", "附件1-建站申报表-2026-0001.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(b"%PDF-1.7 test"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E9%99%84%E4%BB%B61-" in disposition
    assert disposition.endswith("-2026-0001.pdf")
    assert response.content == b"%PDF-1.7 test"


def test_the_fetcher_reads_static_files_from_disk_and_refuses_other_urls():
    fetcher = url_fetcher()

    stylesheet = fetcher.fetch("https://documents.invalid/static/css/official.css")
    assert b"@page" in stylesheet.read()
    assert stylesheet.content_type == "text/css"
    stylesheet.close()
    for url in [
        "https://example.com/static/css/official.css",
        "https://documents.invalid/media/secret.pdf",
        "https://documents.invalid/static/../talentstation/settings.py",
        "file:///etc/passwd",
    ]:
        with pytest.raises(DocumentResourceError):
            fetcher.fetch(url)


LEAKY_TEMPLATE = (
    '<html><head><link rel="stylesheet" href="https://example.com/x.css"></head>'
    "<body>x</body></html>"
)
CHROME_TEMPLATE = (
    "{% load i18n static %}<html><head>"
    '<link rel="stylesheet" href="{% static \'css/official.css\' %}"></head>'
    '<body data-doc-footer="{% translate "Log in" %}"><p>{% translate "Log in" %}</p></body></html>'
)


@pytest.fixture
def locmem_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"leaky.html": LEAKY_TEMPLATE, "chrome.html": CHROME_TEMPLATE},
                    )
                ]
            },
        }
    ]


def test_render_pdf_refuses_to_fetch_from_the_network(locmem_templates):
    with pytest.raises(DocumentResourceError):
        render_pdf("leaky.html", {})


def test_render_pdf_uses_zh_hans_unless_told_otherwise(locmem_templates):
    from django.utils import translation

    with translation.override("en"):
        chinese = "".join(pages_text(render_pdf("chrome.html", {})))
        english = "".join(pages_text(render_pdf("chrome.html", {}, language=None)))
        assert translation.get_language() == "en"  # the override ended with the rendering

    assert "登录" in chinese and "Login" not in chinese
    assert "Login" in english and "登录" not in english


# Bounded rendering: a size check before rendering, a time limit while rendering.

SLOW_TEMPLATE = (
    "<html><body><table>{% for row in rows %}<tr><td>{{ row }}</td><td>{{ row }}</td></tr>"
    "{% endfor %}</table></body></html>"
)


@pytest.fixture
def slow_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", {"slow.html": SLOW_TEMPLATE})]
            },
        }
    ]


@pytest.mark.django_db
def test_a_document_too_long_is_refused_before_it_is_rendered(application, settings):
    # Old data or the admin can hold texts longer than the forms accept.
    application.activities = "举办人才沙龙，服务人才。" * 10_000  # 110,000 characters
    application.save()

    started = time.monotonic()
    with pytest.raises(DocumentTooLarge) as refused:
        annex1_pdf(application)

    assert time.monotonic() - started < 2
    assert refused.value.status_code == 413
    assert refused.value.limit == settings.DOCUMENT_MAX_HTML_CHARS
    with translation.override("zh-hans"):
        assert "文档内容过长" in refused.value.message()


@pytest.mark.django_db
def test_the_annex1_view_answers_a_clear_chinese_page_for_a_document_too_long(
    client, application, staff_user
):
    application.activities = "举办人才沙龙，服务人才。" * 10_000
    application.save()
    client.force_login(staff_user)

    response = client.get(reverse("stations:application_pdf", args=[application.pk]))

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "文档无法生成" in body and "文档内容过长" in body
    assert settings.BUREAU_CONTACT in body


def test_rendering_that_takes_too_long_is_stopped_and_the_next_document_renders(
    slow_templates, settings
):
    rows = [f"第{n}行 row {n}" for n in range(800)]
    settings.DOCUMENT_RENDER_TIMEOUT = 60
    render_pdf("slow.html", {"rows": rows[:3]})  # a worker ready (its start is not timed)
    settings.DOCUMENT_RENDER_TIMEOUT = 0.2

    started = time.monotonic()
    with pytest.raises(DocumentTooSlow) as refused:
        render_pdf("slow.html", {"rows": rows})

    assert time.monotonic() - started < 5  # the worker was stopped, not waited for
    assert refused.value.status_code == 503
    with translation.override("zh-hans"):
        assert "0.2秒" in refused.value.message()
    # A new worker renders the next document.
    settings.DOCUMENT_RENDER_TIMEOUT = 60
    assert render_pdf("slow.html", {"rows": rows[:3]}).startswith(b"%PDF-")


def test_a_new_workers_start_does_not_count_against_the_documents_time_limit(
    slow_templates, settings
):
    """A worker starts in seconds (Django, WeasyPrint, the fonts: many more with a cold font
    cache); the limit is the document's own, so the first document of a web process renders."""
    pdf_worker.stop_workers()
    settings.DOCUMENT_RENDER_TIMEOUT = 1.5
    started = time.monotonic()
    assert render_pdf("slow.html", {"rows": ["第1行"]}).startswith(b"%PDF-")
    assert time.monotonic() - started > 1.5  # the start took longer than the limit
    assert len(pdf_worker._idle) == 1  # and the worker is kept warm


@pytest.mark.django_db
def test_a_view_whose_document_times_out_answers_503_with_a_chinese_page(
    client, application, staff_user, settings
):
    settings.DOCUMENT_RENDER_TIMEOUT = 0.001
    client.force_login(staff_user)

    response = client.get(reverse("stations:application_pdf", args=[application.pk]))

    assert response.status_code == 503
    assert "文档无法生成" in response.content.decode()
    assert "超过0.001秒" in response.content.decode()


@pytest.mark.django_db
def test_without_a_time_limit_documents_render_in_the_web_process(application, settings):
    settings.DOCUMENT_RENDER_TIMEOUT = 0
    pdf_worker.stop_workers()

    assert annex1_pdf(application).startswith(b"%PDF-")
    assert not pdf_worker._idle  # no worker was started


def test_a_resource_refused_in_the_worker_is_the_same_error(locmem_templates, settings):
    settings.DOCUMENT_RENDER_TIMEOUT = 60
    with pytest.raises(DocumentResourceError, match="example.com"):
        render_pdf("leaky.html", {})
