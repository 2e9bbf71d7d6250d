"""Bad input: invisible characters, lengths, NUL bytes, file names, dates in the future."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
import time_machine
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from stations.models import Application, HostUnit, LeadershipMeeting
from talentstation.forms_base import CleanTextMixin, strip_invisible
from talentstation.roles import Role

from . import factories

PORTAL_APPS = ("talentstation", "stations", "assessments", "awards")
OPEN = "2026-08-01 10:00 +0800"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: “驿站abc” shows as “驿站cba”


def project_form_classes():
    """Every form class defined in the portal's apps (their modules imported one by one)."""
    found = set()
    for app in PORTAL_APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module_info.name or module_info.name.endswith(".settings"):
                continue
            module = importlib.import_module(module_info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__.startswith(app):
                    found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def admin_forms(user):
    """(label, form class) of every registered ModelAdmin's forms and of its inlines' forms."""
    request = admin_request(user)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        yield label, model_admin.get_form(request)
        for attribute in ("form", "add_form"):
            if hasattr(model_admin, attribute):
                yield f"{label}.{attribute}", getattr(model_admin, attribute)
        for inline in model_admin.get_inline_instances(request):
            yield f"{label} / {type(inline).__name__}", inline.get_formset(request).form


# --- one mechanism on every form ---------------------------------------------------------------


def test_the_walk_finds_the_portal_forms():
    names = {cls.__name__ for cls in project_form_classes()}
    assert {
        "RegistrationForm",
        "ApplicationForm",
        "ObjectionForm",
        "ScoreSheetForm",
        "LoginForm",
        "ReasonForm",
        "PublicityForm",
        "MassNoticeForm",
    } <= names


def test_every_portal_form_cleans_text():
    missing = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in project_form_classes()
        if not issubclass(cls, CleanTextMixin)
    ]
    assert missing == []


@pytest.mark.django_db
def test_every_admin_form_and_inline_cleans_text():
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    missing = [
        label for label, form in admin_forms(superuser) if not issubclass(form, CleanTextMixin)
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("typed", "multiline", "cleaned", "removed"),
    [
        ("驿站" + RLO + "abc", False, "驿站abc", [RLO]),
        (
            "a\u2066b\u2069c\u200e\u200f\u061c",
            False,
            "abc",
            ["\u061c", "\u200e", "\u200f", "\u2066", "\u2069"],
        ),
        (
            "零\u200b宽\u200c\u200d\u2060\ufeff",
            False,
            "零宽",
            ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"],
        ),
        (
            "bell\x07 nul\x00 c1\x85 del\x7f",
            False,
            "bell nul c1 del",
            ["\x00", "\x07", "\x7f", "\x85"],
        ),
        ("第一行\r\n\t第二行\r第三行", True, "第一行\n\t第二行\n第三行", []),
        ("一行\t内", False, "一行内", ["\t"]),
        ("页\x0c分", True, "页分", ["\x0c"]),
        ("普通文字 plain text，标点。", False, "普通文字 plain text，标点。", []),
    ],
)
def test_strip_invisible(typed, multiline, cleaned, removed):
    assert strip_invisible(typed, multiline=multiline) == (cleaned, removed)


def registration_data(**overrides):
    return {
        "unit_name": "福州测试科技有限公司",
        "credit_code": "91110108551385082Q",
        "contact_name": "李四",
        "mobile": "13912345678",
        "email": "lisi@example.com",
        "password1": "Correct-horse-42",
        "password2": "Correct-horse-42",
        "business_licence": SimpleUploadedFile("licence.pdf", factories.TINY_PDF),
        **overrides,
    }


@pytest.mark.django_db
def test_a_bidi_override_in_a_unit_name_is_removed_and_explained(client):
    response = client.post(
        reverse("stations:register"), registration_data(unit_name=f"福州{RLO}测试科技有限公司")
    )
    assert response.status_code == 200
    assert not HostUnit.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == ["unit_name"]
    message = form.errors["unit_name"][0]
    assert "文字方向控制符（U+202E）" in message and "核对" in message
    body = response.content.decode()
    # the cleaned text is shown back; what else was typed is kept, the licence too
    assert 'value="福州测试科技有限公司"' in body and RLO not in body
    assert 'value="lisi@example.com"' in body
    assert form.kept_files == {"business_licence": "licence.pdf"}
    # submitting again as shown registers the unit
    kept = form["business_licence_kept"].value()
    data = registration_data(unit_name=form["unit_name"].value(), business_licence_kept=kept)
    del data["business_licence"]
    response = client.post(reverse("stations:register"), data)
    assert response.status_code == 302
    assert HostUnit.objects.get().name == "福州测试科技有限公司"


@time_machine.travel(OPEN)
@pytest.mark.django_db
def test_a_bidi_override_in_an_annex1_draft_is_shown_removed_with_the_error(client):
    from .test_applications import form_data

    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    call = factories.CallFactory(year=2026)
    draft = factories.ApplicationFactory(call=call, host_unit=unit, stamped_scan=False)
    client.force_login(applicant)
    url = reverse("stations:application_edit", args=[draft.pk])
    typed = form_data(draft, station_name=f"光电{RLO}人才驿站", activities="沙龙\u200b6场\n讲座2场")
    response = client.post(url, typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"station_name", "activities"}
    assert "文字方向控制符（U+202E）" in form.errors["station_name"][0]
    assert "零宽字符（U+200B）" in form.errors["activities"][0]
    assert form["station_name"].value() == "光电人才驿站"
    assert form["activities"].value() == "沙龙6场\n讲座2场"
    assert RLO not in response.content.decode()
    draft.refresh_from_db()
    # the draft keeps the cleaned text, not yet in the Annex 1 rows: it cannot be submitted
    assert draft.draft_data == {"station_name": "光电人才驿站", "activities": "沙龙6场\n讲座2场"}
    assert RLO not in draft.station_name
    # submitting what is shown is accepted
    response = client.post(
        url, form_data(draft, station_name="光电人才驿站", activities="沙龙6场\n讲座2场")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.station_name, draft.draft_data) == ("光电人才驿站", {})


@pytest.mark.django_db
def test_a_bidi_override_in_an_admin_change_form_is_removed_and_explained(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:stations_leadershipmeeting_add")
    data = {"date": "2025-06-01", "reference": f"纪要{RLO}2026-3", "note": "第一项\r\n第二项"}
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "文字方向控制符（U+202E）" in form.errors["reference"][0]
    assert form["reference"].value() == "纪要2026-3"
    assert not LeadershipMeeting.objects.exists()
    response = client.post(url, {**data, "reference": "纪要2026-3"})
    assert response.status_code == 302
    meeting = LeadershipMeeting.objects.get()
    assert (meeting.reference, meeting.note) == ("纪要2026-3", "第一项\n第二项")
    # changing it, and in an inline (the unit's members) likewise
    url = reverse("admin:stations_leadershipmeeting_change", args=[meeting.pk])
    response = client.post(url, {**data, "reference": "纪要2026-3", "note": "补充\u200d说明"})
    assert "零宽字符（U+200D）" in response.context["adminform"].form.errors["note"][0]
    meeting.refresh_from_db()
    assert meeting.note == "第一项\n第二项"


@pytest.mark.django_db
def test_a_bidi_override_in_an_admin_inline_is_removed_and_explained(client, staff_user):
    from talentstation.models import CalendarYear

    client.force_login(staff_user)
    prefix = "days"
    data = {
        "year": "2027",
        "source": "国务院办公厅通知",
        "note": "",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-date": "2027-10-01",
        f"{prefix}-0-kind": "holiday",
        f"{prefix}-0-name": f"国庆{RLO}节",
    }
    response = client.post(reverse("admin:talentstation_calendaryear_add"), data)
    assert response.status_code == 200
    inline_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "文字方向控制符（U+202E）" in inline_form.errors["name"][0]
    assert inline_form["name"].value() == "国庆节"
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_passwords_are_left_as_typed(client):
    password = "Correct\u200bhorse-42"
    response = client.post(
        reverse("stations:register"),
        registration_data(password1=password, password2=password),
    )
    assert response.status_code == 302
    user = HostUnit.objects.get().members.get().user
    assert user.check_password(password)


@pytest.mark.django_db
def test_the_message_is_in_chinese_and_translated_for_english(client, settings):
    from django.utils import translation

    from talentstation.forms_base import invisible_characters_error

    error = invisible_characters_error(["\x07", RLO, "\u200b"])
    with translation.override("zh-hans"):
        text = error.messages[0]
    assert text == (
        "已从此项删除不可见字符：控制字符（U+0007）、文字方向控制符（U+202E）、"
        "零宽字符（U+200B）。请核对框中显示的内容后重新提交。"
    )
    with translation.override("en"):
        assert "text direction controls (U+202E)" in invisible_characters_error([RLO]).messages[0]


# --- maximum lengths ---------------------------------------------------------------------------


# The objection's reason is capped with the objection rate limits (issue 7, §4: "abuse").
CAPPED_ELSEWHERE = set()


def unbounded_text_fields(label, form_class):
    return [
        f"{label}.{name}"
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.PasswordInput)
        and field.max_length is None
        and f"{label}.{name}" not in CAPPED_ELSEWHERE
    ]


def test_every_text_field_of_the_portal_forms_has_a_maximum_length():
    unbounded = []
    for cls in project_form_classes():
        unbounded += unbounded_text_fields(cls.__qualname__, cls)
    assert unbounded == []


@pytest.mark.django_db
def test_every_text_field_of_the_admin_forms_has_a_maximum_length():
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    request = admin_request(superuser)
    unbounded = []
    for label, form in admin_forms(superuser):
        model_admin = admin.site._registry.get(form._meta.model) if form._meta.model else None
        if model_admin is not None and not (
            model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
        ):
            continue  # read-only records written by the portal itself
        unbounded += unbounded_text_fields(label, form)
    assert unbounded == []


@pytest.mark.django_db
def test_score_sheet_comments_have_a_maximum_length():
    from talentstation import scoring
    from talentstation.forms_scoring import ScoreSheetForm
    from talentstation.models.scoring import ScoreSheetTemplate

    template = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
    expert = factories.UserFactory(role=Role.EXPERT)
    sheet = scoring.sheet_for(template, expert, factories.ApplicationFactory())
    form = ScoreSheetForm(sheet)
    comments = [field for name, field in form.fields.items() if name.startswith("comment")]
    assert comments and all(field.max_length == 1000 for field in comments)


ANNEX1_LIMITS = {
    "staffing": 200,
    "rules_and_hardware": 600,
    "activities": 1000,
    "talent_recommendations": 500,
}


@time_machine.travel(OPEN)
@pytest.mark.django_db
def test_an_over_long_annex1_row_is_kept_in_the_draft_but_cannot_be_submitted(client):
    from .test_applications import form_data

    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    draft = factories.ApplicationFactory(call=factories.CallFactory(year=2026), host_unit=unit)
    client.force_login(applicant)
    url = reverse("stations:application_edit", args=[draft.pk])
    page = client.get(url).content.decode()
    for name, limit in ANNEX1_LIMITS.items():
        assert f'maxlength="{limit}"' in page and f'name="{name}"' in page
    too_long = "活动" * 50_000  # 100,000 characters, as in the issue
    response = client.post(url, {**form_data(draft, activities=too_long), "submit": "1"})
    assert response.status_code == 200
    error = response.context["form"].errors["activities"][0]
    assert "1000" in error and "100000" in error
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.draft_data == {"activities": too_long}  # nothing typed is lost
    assert draft.activities == factories.ApplicationFactory.activities
    assert "活动开展情况及效果" in [str(label) for label in draft.incomplete_items()]


@time_machine.travel(OPEN)
@pytest.mark.django_db
def test_line_breaks_count_once_against_the_maximum_length(client):
    """Browsers count a line break as one character against ``maxlength`` but send "\\r\\n"."""
    from .test_applications import form_data

    unit = factories.HostUnitFactory()
    draft = factories.ApplicationFactory(call=factories.CallFactory(year=2026), host_unit=unit)
    client.force_login(factories.applicant_user(unit))
    lines = "\r\n".join(["人员" * 9 + "。"] * 10)  # 190 characters and 9 line breaks
    assert len(lines.replace("\r\n", "\n")) == 199 and len(lines) == 208
    response = client.post(
        reverse("stations:application_edit", args=[draft.pk]), form_data(draft, staffing=lines)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.staffing == lines.replace("\r\n", "\n")


# --- NUL bytes -------------------------------------------------------------------------------

NUL_REQUESTS = [
    ("path", lambda client: client.get("/verify/abc%00def/")),
    ("query value", lambda client: client.get("/directory/", {"q": "驿站\x00"})),
    ("query name", lambda client: client.get("/directory/?q%00=1")),
    (
        "form value",
        lambda client: client.post(reverse("login"), {"username": "a\x00b", "password": "x"}),
    ),
    (
        "form name",
        lambda client: client.post(reverse("login"), {"user\x00name": "a", "password": "x"}),
    ),
    ("header", lambda client: client.get("/", headers={"user-agent": "Mozilla\x00"})),
]


def nul_cookie(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    return client.get("/inbox/")


NUL_REQUESTS.append(("cookie", nul_cookie))


def assert_refused_for_nul(response):
    assert response.status_code == 400
    body = response.content.decode()
    assert "空字符（U+0000）" in body
    assert '<html lang="zh-hans"' in body


@pytest.mark.django_db
@pytest.mark.parametrize(("where", "send"), NUL_REQUESTS, ids=[w for w, _s in NUL_REQUESTS])
def test_a_nul_anywhere_in_a_request_is_refused_with_a_chinese_page(client, where, send):
    assert_refused_for_nul(send(client))


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(("where", "send"), NUL_REQUESTS, ids=[w for w, _s in NUL_REQUESTS])
def test_a_nul_never_reaches_postgresql(client, where, send):
    """PostgreSQL refuses NUL in text: these requests answered 500 before."""
    factories.StationFactory(plaque_number="abc", status="certified")
    client.raise_request_exception = True
    assert_refused_for_nul(send(client))


@pytest.mark.django_db
def test_ordinary_requests_pass_the_check(client):
    assert client.get("/directory/", {"q": "驿站"}).status_code == 200
    assert client.get("/verify/abc/").status_code in (200, 404)


# --- file names ------------------------------------------------------------------------------

LONG_NAME = "福州高新区人才驿站建站申报材料" * 20 + ".pdf"  # 304 characters


@time_machine.travel(OPEN)
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("uploaded", "stored", "downloaded"),
    [
        ("!!!.pdf", "!!!.pdf", "附件.pdf"),
        ("📄.pdf", "📄.pdf", "附件.pdf"),
        ("...pdf", "...pdf", "附件.pdf"),
        (".pdf.pdf", ".pdf.pdf", "pdf.pdf"),
        ("营业执照  扫描件.PDF", "营业执照 扫描件.PDF", "营业执照 扫描件.pdf"),
        ('规章"制度"<2025>|第1版?.pdf', "规章制度2025第1版.pdf", "规章制度2025第1版.pdf"),
        ("活动记录 📄.pdf", "活动记录 📄.pdf", "活动记录 📄.pdf"),
        (LONG_NAME, LONG_NAME[:196] + ".pdf", LONG_NAME[:80] + ".pdf"),
    ],
)
def test_odd_upload_names_are_cleaned_once_and_always_downloadable(
    client, uploaded, stored, downloaded
):
    from urllib.parse import quote

    unit = factories.HostUnitFactory()
    draft = factories.ApplicationFactory(
        call=factories.CallFactory(year=2026), host_unit=unit, stamped_scan=False
    )
    client.force_login(factories.applicant_user(unit))
    response = client.post(
        reverse("stations:attachment_upload", args=[draft.pk]),
        {
            "attachment-kind": "rules",
            "attachment-file": SimpleUploadedFile(uploaded, factories.TINY_PDF),
        },
    )
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert attachment.original_name == stored
    download = client.get(reverse("stations:attachment_download", args=[draft.pk, attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    if downloaded.isascii():
        assert f'filename="{downloaded}"' in disposition
    else:
        assert f"filename*=utf-8''{quote(downloaded)}" in disposition  # RFC 5987


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kept_name", "downloaded"),
    [
        ("!!!.pdf", "附件.pdf"),
        ("scan\u202efdp.exe.pdf", "scanfdp.exe.pdf"),
        ("a\r\nSet-Cookie: x=1.pdf", "aSet-Cookie x=1.pdf"),
        ("", "附件.pdf"),
    ],
)
def test_names_stored_before_the_cleaning_still_download(client, staff_user, kept_name, downloaded):
    from urllib.parse import quote

    attachment = factories.AttachmentFactory(original_name=kept_name)
    client.force_login(staff_user)
    url = reverse("stations:attachment_download", args=[attachment.application_id, attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert "\n" not in disposition and "\u202e" not in disposition
    if downloaded.isascii():
        assert f'filename="{downloaded}"' in disposition
    else:
        assert f"filename*=utf-8''{quote(downloaded)}" in disposition


@pytest.mark.django_db
def test_site_visit_photos_are_accepted_and_their_names_cleaned():
    from django.utils.datastructures import MultiValueDict

    from stations.forms import SiteVisitForm

    photos = [
        SimpleUploadedFile('现场"照片"  1.png', factories.TINY_PNG),
        SimpleUploadedFile("!!!.png", factories.TINY_PNG),
    ]
    form = SiteVisitForm(
        {"visit-visit_date": "2025-06-01", "visit-visit_notes": ""},
        MultiValueDict({"visit-photos": photos}),
        prefix="visit",
    )
    assert form.is_valid(), form.errors  # several photos in one input
    assert [p.name for p in form.cleaned_data["photos"]] == ["现场照片 1.png", "!!!.png"]
    assert SiteVisitForm({"visit-visit_date": "2025-06-01"}, prefix="visit").is_valid()


# --- dates that cannot be in the future --------------------------------------------------------

# 00:30 on 1 August 2026 in Shanghai: still 31 July in UTC.
JUST_AFTER_MIDNIGHT = "2026-08-01 00:30 +0800"
FUTURE_MESSAGE = "该日期晚于今天，请填写不晚于今天（2026-08-01）的日期。"


@time_machine.travel(JUST_AFTER_MIDNIGHT)
@pytest.mark.django_db
def test_a_future_build_date_is_refused_in_annex1_and_not_printed(client):
    from stations.documents import annex1_context

    from .test_applications import form_data

    unit = factories.HostUnitFactory()
    draft = factories.ApplicationFactory(call=factories.CallFactory(year=2026), host_unit=unit)
    client.force_login(factories.applicant_user(unit))
    url = reverse("stations:application_edit", args=[draft.pk])
    response = client.post(url, {**form_data(draft, built_on="2030-01-01"), "submit": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["built_on"] == [FUTURE_MESSAGE]
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.draft_data == {"built_on": "2030-01-01"}
    assert annex1_context(draft)["built_on"] == "2025年5月1日"  # the last valid date
    # today in Shanghai is accepted, although it is still yesterday in UTC
    response = client.post(url, form_data(draft, built_on="2026-08-01"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.built_on == datetime.date(2026, 8, 1) and draft.draft_data == {}


@time_machine.travel(JUST_AFTER_MIDNIGHT)
@pytest.mark.django_db
def test_a_future_visit_date_is_refused():
    from stations.forms import SiteVisitForm

    form = SiteVisitForm({"visit-visit_date": "2026-08-02"}, prefix="visit")
    assert form.errors["visit_date"] == [FUTURE_MESSAGE]
    assert SiteVisitForm({"visit-visit_date": "2026-08-01"}, prefix="visit").is_valid()


@time_machine.travel(JUST_AFTER_MIDNIGHT)
@pytest.mark.django_db
def test_a_future_meeting_date_is_refused_in_admin(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:stations_leadershipmeeting_add")
    response = client.post(url, {"date": "2026-08-02", "reference": "纪要3", "note": ""})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [FUTURE_MESSAGE]
    assert client.post(url, {"date": "2026-08-01", "reference": "纪要3"}).status_code == 302


@time_machine.travel(JUST_AFTER_MIDNIGHT)
@pytest.mark.django_db
def test_a_future_talent_office_opinion_date_is_refused():
    from stations.forms import LeadershipDecisionForm

    meeting = LeadershipMeeting.objects.create(date=datetime.date(2026, 7, 30), reference="纪要")
    data = {
        "decision-meeting": meeting.pk,
        "decision-approved": "True",
        "decision-office_opinion": "同意认定。",
        "decision-office_opinion_date": "2026-08-02",
    }
    form = LeadershipDecisionForm(data, prefix="decision")
    assert form.errors["office_opinion_date"] == [FUTURE_MESSAGE]
    data["decision-office_opinion_date"] = "2026-08-01"
    assert LeadershipDecisionForm(data, prefix="decision").is_valid()


@time_machine.travel(JUST_AFTER_MIDNIGHT)
@pytest.mark.django_db
@pytest.mark.parametrize("field", ["built_on", "certified_on"])
def test_a_station_cannot_be_built_or_certified_in_the_future(field):
    from django.core.exceptions import ValidationError

    station = factories.StationFactory(**{field: datetime.date(2026, 8, 2)})
    with pytest.raises(ValidationError) as refused:
        station.full_clean(exclude=["status"])  # (the state changes only by transitions)
    assert refused.value.message_dict == {field: [FUTURE_MESSAGE]}
    setattr(station, field, datetime.date(2026, 8, 1))
    station.full_clean(exclude=["status"])


@time_machine.travel(JUST_AFTER_MIDNIGHT)
def test_a_legacy_import_refuses_a_future_certification_date_by_shanghai_time():
    from stations.resources import LegacyDateWidget

    widget = LegacyDateWidget()
    assert widget.clean("2026-08-01") == datetime.date(2026, 8, 1)
    with pytest.raises(ValueError, match="2026-08-02"):
        widget.clean("2026-08-02")


def test_a_publication_notice_cannot_be_dated_in_the_future():
    from talentstation.admin_publicity import PublishForm

    with time_machine.travel("2026-10-10 09:00 +0800"):
        late = PublishForm(
            {"notice_number": "榕高新区人社〔2026〕8号", "notice_date": "2026-10-11"}
        )
        assert "notice_date" in late.errors
        ok = PublishForm({"notice_number": "榕高新区人社〔2026〕8号", "notice_date": "2026-10-10"})
        assert ok.is_valid()
