"""Bad input never gives a 500: property-based tests over the public and applicant forms,
through the real views with the test client.

Every field gets a valid value or something bad: empty, whitespace only, beyond its maximum
length, malformed (dates, numbers, credit codes, mobile numbers, e-mail addresses), mixed
scripts (Chinese, Latin, Cyrillic, Hebrew, Arabic, emoji), control and invisible characters
(NUL, ESC, U+200B, U+202E) and lone surrogates (sent as the invalid UTF-8 a broken client
would send). Uploads get random bytes, wrong types, empty files and odd names. Properties:

- the answer is never a server error (the client raises on one) and its status is one of
  200, 302, 400, 409 (someone saved meanwhile) or 429;
- every error message is Chinese: it has Chinese characters and no English sentence (what was
  typed is taken out before looking);
- what was typed in a valid field is shown again in the form.

Each example runs in a savepoint that is rolled back, so examples do not see each other's
records. The rate limits of the anonymous forms are off here (test_ratelimit.py tests them;
one test below shows that they still answer 429 in Chinese). A small number of examples runs in
every pass; the ``slow`` ones (PostgreSQL CI pass) explore more.
"""

import html
import re
import urllib.parse
from contextlib import contextmanager

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentstation.submissions import FIELD

from . import factories

OPEN = "2026-08-01 10:00 +0800"
DURING_PUBLICITY = "2026-09-29 10:00 +0800"
OK_STATUSES = {200, 302, 400, 409, 429}
CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")

FAST = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SLOW = settings(
    max_examples=int(__import__("os").environ.get("HYPO_SLOW", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- what people (and broken clients) type -------------------------------------------------------

SCRIPTS = "福州高新区人才驿站申报ABCxyzЖжФфשלוםمرحبا😀🚀ﬁÅé 　-_.,，。、（）#&<>\"'%"
INVISIBLE = "\x00\x1b\x07\x7f\u200b\u200d\u202e\u2066\ufeff\x85"
LONE_SURROGATES = "\ud800\udfff"
WHITESPACE = ["", " ", "   ", "\t", "\u3000", "\u00a0", "\n \r\n", " \u3000 "]


def mixed(max_size=30):
    return st.text(alphabet=st.sampled_from(SCRIPTS), min_size=1, max_size=max_size)


def with_invisible(max_size=30):
    return st.text(
        alphabet=st.sampled_from(SCRIPTS + INVISIBLE + LONE_SURROGATES), max_size=max_size
    )


def too_long(max_length):
    return mixed(5).map(lambda piece: (piece * (max_length // len(piece) + 2))[: max_length + 50])


def nasty_text(max_length):
    return st.one_of(st.sampled_from(WHITESPACE), mixed(), with_invisible(), too_long(max_length))


BAD_DATES = st.one_of(
    st.sampled_from(
        [
            "2026-02-30",
            "2026-13-01",
            "26-1-1",
            "二〇二六年三月",
            "0000-00-00",
            "9999-12-31",
            "2026/03/10",
            "1e9",
            "-1",
            "2030-01-01",
            "1899-12-31",
            "２０２６-０３-１０",
        ]
    ),
    nasty_text(20),
)
BAD_NUMBERS = st.one_of(
    st.sampled_from(
        [
            "-1",
            "0",
            "1e309",
            "NaN",
            "Infinity",
            "１２",
            "99999999999999999999",
            "3.5",
            "0x10",
            "1,000",
            "1_000",
            "٣",
        ]
    ),
    nasty_text(20),
)
BAD_CODES = st.one_of(
    st.sampled_from(
        [
            "91110108551385082",
            "91110108551385082Z",
            "91110108551385082q",
            "９１１１０１０８５５１３８５０８２Ｑ",
            "O1110108551385082Q",
            "911101085513850821Q",
            "ABCDEFGHIJKLMNOPQR",
            "000000000000000000",
        ]
    ),
    st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYIOSVZ", min_size=18, max_size=18),
    nasty_text(30),
)
BAD_MOBILES = st.one_of(
    st.sampled_from(["123", "+86 139 1234 5678", "1391234567８", "23912345678", "139123456789"]),
    nasty_text(30),
)
BAD_EMAILS = st.one_of(
    st.sampled_from(
        ["a@b", "用户@例子.中国", "x" * 300 + "@example.com", "a@@b.com", "@", "a b@c.d"]
    ),
    nasty_text(30),
)


def field(valid, bad):
    """(value, is_valid) pairs: mostly bad input, sometimes a valid value."""
    return st.one_of(valid.map(lambda v: (v, True)), bad.map(lambda v: (v, False)))


def form(**fields):
    return st.fixed_dictionaries(fields)


# --- files --------------------------------------------------------------------------------------

ODD_NAMES = st.one_of(
    st.sampled_from(
        [
            "营业执照.pdf",
            "licence.PDF",
            "a" * 300 + ".pdf",
            "扫描\u202efdp.exe",
            "..pdf",
            ".pdf",
            "x\x1b[31m.pdf",
            "файл 📄.png",
            "مرفق.jpg",
            "noextension",
            "con.pdf",
            "../../etc/passwd",
        ]
    ),
    with_invisible(40).map(lambda name: name + ".pdf"),
)
CONTENTS = st.one_of(
    st.just(factories.TINY_PDF),
    st.just(factories.TINY_PNG),
    st.just(b""),
    st.binary(min_size=1, max_size=400),
    st.just(b"MZ\x90\x00 this is really an executable" * 10),
    st.just(b"%PDF-1.4 truncated"),
)
UPLOADS = st.builds(lambda name, content: (name, content), ODD_NAMES, CONTENTS)


def upload(name_and_content):
    name, content = name_and_content
    safe_name = name.encode("utf-8", "replace").decode("utf-8") or "x"
    return SimpleUploadedFile(safe_name, content)


# --- sending and checking -----------------------------------------------------------------------


@contextmanager
def rolled_back():
    """One example: everything it writes is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def urlencoded(data):
    """The body a browser (or a broken client) sends, lone surrogates as invalid UTF-8."""
    pairs = []
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(
                urllib.parse.quote_from_bytes(name.encode())
                + "="
                + urllib.parse.quote_from_bytes(str(item).encode("utf-8", "surrogatepass"))
            )
    return "&".join(pairs)


def send(client, url, data, files=None):
    if files:
        plain = {
            k: (v.encode("utf-8", "replace").decode("utf-8") if isinstance(v, str) else v)
            for k, v in data.items()
        }
        return client.post(url, {**plain, **files}, REMOTE_ADDR="203.0.113.5")
    return client.post(
        url,
        urlencoded(data),
        content_type="application/x-www-form-urlencoded",
        REMOTE_ADDR="203.0.113.5",
    )


def typed_values(values):
    return [str(v) for v in values.values() if isinstance(v, str) and len(str(v)) >= 2]


def assert_chinese(message, typed):
    text = str(message)
    for value in sorted(typed, key=len, reverse=True):
        text = text.replace(value, " ").replace(value.strip(), " ")
    assert CJK.search(str(message)), f"not Chinese: {message!r}"
    assert not ENGLISH_SENTENCE.search(text), f"English in an error: {message!r}"


def check(response, chosen, *, form_key="form", kept=()):
    """The properties: no server error, Chinese errors, valid typed fields kept."""
    assert response.status_code in OK_STATUSES, response.status_code
    values = {name: value for name, (value, _valid) in chosen.items()}
    typed = typed_values(values)
    body = html.unescape(response.content.decode(errors="replace"))
    if response.status_code == 400 and (
        response.context is None or form_key not in response.context
    ):
        assert CJK.search(body)  # a refused request (e.g. a NUL): a Chinese page
        return None
    if response.status_code == 302:
        return None
    for message in response.context.get("messages", []):
        assert_chinese(message, typed)
    page_form = response.context.get(form_key)
    if page_form is None:
        return None
    for messages in page_form.errors.values():
        for message in messages:
            assert_chinese(message, typed)
    for name in kept:
        value, valid = chosen[name]
        if valid and name not in page_form.errors and value.strip():
            assert value.strip() in body, f"{name}: {value!r} not shown again"
    return page_form


@pytest.fixture
def no_rate_limits(settings):
    settings.RATE_LIMITS = {scope: [] for scope in settings.RATE_LIMITS}


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=True)


# --- registration ---------------------------------------------------------------------------

REGISTRATION = form(
    unit_name=field(st.just("福州测试科技有限公司"), nasty_text(200)),
    credit_code=field(st.just("91110108551385082Q"), BAD_CODES),
    contact_name=field(st.just("李四"), nasty_text(100)),
    mobile=field(st.just("13912345678"), BAD_MOBILES),
    email=field(st.just("lisi@example.com"), BAD_EMAILS),
    password1=field(st.just("Correct-horse-42"), nasty_text(128)),
    password2=field(st.just("Correct-horse-42"), nasty_text(128)),
)
REGISTRATION_KEPT = ("unit_name", "contact_name", "mobile", "email")


def _register(chosen, licence):
    client = Client(raise_request_exception=True)
    data = {name: value for name, (value, _valid) in chosen.items()}
    response = send(
        client, reverse("stations:register"), data, {"business_licence": upload(licence)}
    )
    check(response, chosen, kept=REGISTRATION_KEPT)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_rate_limits")
@FAST
@given(chosen=REGISTRATION, licence=UPLOADS)
def test_registration_never_fails_on_bad_input(chosen, licence):
    with rolled_back():
        _register(chosen, licence)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("no_rate_limits")
@SLOW
@given(chosen=REGISTRATION, licence=UPLOADS)
def test_registration_never_fails_on_bad_input_more_examples(chosen, licence):
    with rolled_back():
        _register(chosen, licence)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_rate_limits")
@FAST
@given(chosen=REGISTRATION)
def test_registration_without_files_sent_as_a_raw_body(chosen):
    """Lone surrogates and NULs reach the server as a broken client sends them."""
    with rolled_back():
        client = Client(raise_request_exception=True)
        data = {name: value for name, (value, _valid) in chosen.items()}
        check(send(client, reverse("stations:register"), data), chosen, kept=REGISTRATION_KEPT)


# --- the Annex 1 application form -------------------------------------------------------------

ANNEX1 = form(
    station_name=field(st.just("光电人才驿站"), nasty_text(100)),
    station_type=field(st.just("industry"), nasty_text(20)),
    leader_name=field(st.just("张三"), nasty_text(50)),
    leader_mobile=field(st.just("13912345678"), BAD_MOBILES),
    leader_email=field(st.just("leader@example.com"), BAD_EMAILS),
    relies_on_host=field(st.sampled_from(["True", "False"]), nasty_text(10)),
    host_institution_name=field(st.just("福州大学"), nasty_text(200)),
    host_institution_credit_code=field(st.just("91110108551385082Q"), BAD_CODES),
    address=field(st.just("福州市闽侯县高新大道1号"), nasty_text(200)),
    built_on=field(st.just("2025-05-01"), BAD_DATES),
    area_m2=field(st.just("120.5"), BAD_NUMBERS),
    staffing=field(st.just("专职人员2名，兼职人员3名"), nasty_text(200)),
    rules_and_hardware=field(st.just("资产管理、考勤制度齐全"), nasty_text(600)),
    activities=field(st.just("举办人才沙龙6场"), nasty_text(1000)),
    talent_recommendations=field(st.just("推荐1人"), nasty_text(500)),
)
ANNEX1_KEPT = ("station_name", "leader_name", "address", "staffing", "activities")


@pytest.fixture
def draft(db):
    unit = factories.HostUnitFactory()
    application = factories.ApplicationFactory(
        call=factories.CallFactory(year=2026), host_unit=unit, stamped_scan=False
    )
    client = Client(raise_request_exception=True)
    client.force_login(factories.applicant_user(unit))
    return client, application


def _annex1(draft, chosen, button):
    client, application = draft
    application.refresh_from_db()
    data = {name: value for name, (value, _valid) in chosen.items()}
    data.update({"lock_version": application.lock_version, button: "1"})
    with time_machine.travel(OPEN):
        response = send(client, reverse("stations:application_edit", args=[application.pk]), data)
    check(response, chosen, kept=ANNEX1_KEPT)


@pytest.mark.django_db
@FAST
@given(chosen=ANNEX1, button=st.sampled_from(["save", "submit"]))
def test_annex1_save_and_submit_never_fail_on_bad_input(draft, chosen, button):
    with rolled_back():
        _annex1(draft, chosen, button)


@pytest.mark.slow
@pytest.mark.django_db
@SLOW
@given(chosen=ANNEX1, button=st.sampled_from(["save", "submit"]))
def test_annex1_never_fails_on_bad_input_more_examples(draft, chosen, button):
    with rolled_back():
        _annex1(draft, chosen, button)


@pytest.mark.django_db
@FAST
@given(kind=field(st.sampled_from(["rules", "venue_photo"]), nasty_text(20)), file=UPLOADS)
def test_application_uploads_never_fail_on_odd_files(draft, kind, file):
    client, application = draft
    with rolled_back(), time_machine.travel(OPEN):
        response = send(
            client,
            reverse("stations:attachment_upload", args=[application.pk]),
            {"attachment-kind": kind[0]},
            {"attachment-file": upload(file)},
        )
        check(response, {"attachment-kind": kind}, form_key="attachment_form")
        response = send(
            client,
            reverse("stations:stamped_scan_upload", args=[application.pk]),
            {},
            {"scan-file": upload(file)},
        )
        check(response, {}, form_key="scan_form")


# --- the public objection form ----------------------------------------------------------------


@pytest.fixture
def publicity(db):
    from .test_objections_abuse import publicity_with

    return publicity_with(2)


def objection_form(publicity):
    items = [str(pk) for pk in publicity.items.values_list("pk", flat=True)]
    return form(
        item=field(st.sampled_from(items), st.one_of(nasty_text(10), st.just("999999"))),
        name=field(st.just("王某某"), nasty_text(50)),
        organisation=field(st.just("某公司"), nasty_text(200)),
        contact=field(st.just("13811112222"), nasty_text(100)),
        reason=field(st.just("场地面积与实际不符"), nasty_text(2000)),
    )


def _object(publicity, chosen, evidence):
    client = Client(raise_request_exception=True)
    data = {name: value for name, (value, _valid) in chosen.items()}
    url = reverse("publicity_detail", args=[publicity.pk])
    with time_machine.travel(DURING_PUBLICITY):
        files = {"evidence": upload(evidence)} if evidence else None
        response = send(client, url, data, files)
    check(response, chosen, kept=("name", "organisation", "contact", "reason"))


@pytest.mark.django_db
@pytest.mark.usefixtures("no_rate_limits")
def test_objections_never_fail_on_bad_input(publicity):
    @FAST
    @given(chosen=objection_form(publicity), evidence=st.one_of(st.none(), UPLOADS))
    def run(chosen, evidence):
        with rolled_back():
            _object(publicity, chosen, evidence)

    run()


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("no_rate_limits")
def test_objections_never_fail_on_bad_input_more_examples(publicity):
    @SLOW
    @given(chosen=objection_form(publicity), evidence=st.one_of(st.none(), UPLOADS))
    def run(chosen, evidence):
        with rolled_back():
            _object(publicity, chosen, evidence)

    run()


@pytest.mark.django_db
def test_the_objection_limit_still_answers_429_in_chinese(publicity, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": ["1/h"]}
    client = Client(raise_request_exception=True)
    url = reverse("publicity_detail", args=[publicity.pk])
    item = publicity.items.first()
    data = {"item": item.pk, "name": "王某某", "contact": "13811112222", "reason": "面积不符"}
    with time_machine.travel(DURING_PUBLICITY):
        assert client.post(url, data, REMOTE_ADDR="203.0.113.5").status_code == 302
        response = client.post(url, {**data, "reason": "另一异议"}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "提交次数过多" in errors[0]
    assert_chinese(errors[0], [])
    assert response.context["form"]["reason"].value() == "另一异议"


# --- the activity log -----------------------------------------------------------------------

ACTIVITY = form(
    date=field(st.just("2026-03-10"), BAD_DATES),
    title=field(st.just("人才沙龙"), nasty_text(200)),
    kind=field(st.just("exchange"), nasty_text(20)),
    mode=field(st.just("offline"), nasty_text(20)),
    place=field(st.just("驿站会议室"), nasty_text(200)),
    partners=field(st.just("福州大学"), nasty_text(200)),
    person_times=field(st.just("30"), BAD_NUMBERS),
    high_level_talents=field(st.just("5"), BAD_NUMBERS),
    report=field(st.just("技术交流"), nasty_text(2000)),
)


@pytest.fixture
def log_page(db):
    station = factories.live_station()
    client = Client(raise_request_exception=True)
    client.force_login(factories.applicant_user(station.host_unit))
    return client, reverse("assessments:activity_add", args=[station.pk])


def _log(log_page, chosen, photo, sheet):
    client, url = log_page
    data = {name: value for name, (value, _valid) in chosen.items()}
    files = {"photos": [upload(photo)], "sign_in_sheets": [upload(sheet)]} if photo else None
    with time_machine.travel("2026-06-15 10:00 +0800"):
        response = send(client, url, data, files)
    check(response, chosen, kept=("title", "place", "partners", "report"))


@pytest.mark.django_db
@FAST
@given(chosen=ACTIVITY, photo=st.one_of(st.none(), UPLOADS), sheet=UPLOADS)
def test_the_activity_log_never_fails_on_bad_input(log_page, chosen, photo, sheet):
    with rolled_back():
        _log(log_page, chosen, photo, sheet)


@pytest.mark.slow
@pytest.mark.django_db
@SLOW
@given(chosen=ACTIVITY, photo=st.one_of(st.none(), UPLOADS), sheet=UPLOADS)
def test_the_activity_log_never_fails_on_bad_input_more_examples(log_page, chosen, photo, sheet):
    with rolled_back():
        _log(log_page, chosen, photo, sheet)


# --- the one-time token itself ----------------------------------------------------------------


@pytest.mark.django_db
@FAST
@given(token=st.one_of(nasty_text(60), st.uuids().map(str)))
def test_any_submission_token_is_harmless(log_page, token):
    client, url = log_page
    with rolled_back(), time_machine.travel("2026-06-15 10:00 +0800"):
        response = send(client, url, {FIELD: token, "title": "人才沙龙"})
    assert response.status_code in OK_STATUSES
