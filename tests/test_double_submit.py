"""Nothing twice: a double-clicked submit or the same form sent from two tabs creates one record.

Each create form carries a one-time token (``talentstation.submissions``); the second
submission with it is led to the first one's result with 「已提交，请勿重复提交」. Sequential
resubmissions run on both databases, truly concurrent ones (two threads posting the same form
at the same moment) on PostgreSQL.
"""

import datetime
import html
import re
import threading

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.models import Activity, ServiceRecord, TalentReferral
from awards.models import NominationBatch, RectificationOrder, UsageLine
from stations.models import Attachment
from talentstation.models import Objection, SubmissionToken
from talentstation.roles import Role
from talentstation.submissions import FIELD

from . import factories
from .test_objections_abuse import objection, publicity_with

TODAY = "2026-06-15 10:00 +0800"
ALREADY = "已提交，请勿重复提交"
TOKEN = re.compile(rf'name="{FIELD}" value="([0-9a-f-]{{36}})"')


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def token_on(response):
    """The form's one-time token on a page (the first create form on it)."""
    found = TOKEN.search(response.content.decode())
    assert found, "the page has no submission token"
    return found[1]


def messages_of(client, url):
    return html.unescape(client.get(url).content.decode())


# --- the forms ----------------------------------------------------------------------------------
# Each case: (name, set up -> (user or None, form URL, data), the model created).


def _station_keeper():
    station = factories.live_station()
    return station, factories.applicant_user(station.host_unit)


def activity_case():
    station, keeper = _station_keeper()
    data = {
        "date": "2026-03-10",
        "title": "人才沙龙",
        "kind": "exchange",
        "mode": "offline",
        "place": "驿站会议室",
        "partners": "福州大学",
        "person_times": "30",
        "high_level_talents": "5",
        "report": "技术交流",
    }
    return keeper, reverse("assessments:activity_add", args=[station.pk]), data


def service_case():
    station, keeper = _station_keeper()
    data = {"date": "2026-05-01", "kind": "policy", "served": "一名博士", "person_times": "1"}
    return keeper, reverse("assessments:service_add", args=[station.pk]), data


def referral_case():
    station, keeper = _station_keeper()
    data = {
        "person_name": "王博士",
        "employer": "福州乌龙江智能装备有限公司",
        "level": "provincial",
        "programme": "福建省引进高层次人才（B类）",
        "year": "2025",
        "outcome": "pending",
    }
    return keeper, reverse("assessments:referral_add", args=[station.pk]), data


def attachment_case():
    unit = factories.HostUnitFactory()
    draft = factories.ApplicationFactory(
        call=factories.CallFactory(year=2026, open_date=datetime.date(2026, 6, 1)),
        host_unit=unit,
        stamped_scan=False,
    )

    def data():
        return {
            "attachment-kind": "rules",
            "attachment-file": SimpleUploadedFile("制度.pdf", factories.TINY_PDF),
        }

    url = reverse("stations:attachment_upload", args=[draft.pk])
    return (
        factories.applicant_user(unit),
        url,
        data,
        reverse("stations:application_edit", args=[draft.pk]),
    )


def rectification_case():
    staff = factories.UserFactory(role=Role.STAFF)
    station = factories.live_station(staff=staff)
    data = {"station": str(station.pk), "reason": "日常监督发现问题", "problem": "未开展活动"}
    return staff, reverse("awards:rectification_create"), data


def nomination_batch_case():
    staff = factories.UserFactory(role=Role.STAFF)
    data = {
        "title": "省级推荐",
        "level": "province",
        "programme": "福建省人才驿站",
        "submitting_unit": "福州高新区人力资源和社会保障局",
    }
    return staff, reverse("awards:nomination_batch_create"), data


def usage_line_case():
    from .test_awards_funds import _pay, _voucher

    unit = factories.HostUnitFactory()
    staff = factories.UserFactory(role=Role.STAFF)
    report = _pay(factories.published_award(unit, staff=staff), staff).usage_report

    def data():
        return {
            "purpose": "roadshow",
            "description": "项目路演场地",
            "spent_on": "2026-05-01",
            "amount": "1000.00",
            "receipt": _voucher("发票.pdf"),
        }

    return factories.applicant_user(unit), reverse("awards:usage_line_add", args=[report.pk]), data


def objection_case():
    publicity = publicity_with(2)
    return (
        None,
        reverse("publicity_detail", args=[publicity.pk]),
        objection(publicity.items.first()),
    )


CASES = {
    "activity": (activity_case, Activity),
    "service record": (service_case, ServiceRecord),
    "talent referral": (referral_case, TalentReferral),
    "application attachment": (attachment_case, Attachment),
    "rectification order": (rectification_case, RectificationOrder),
    "nomination batch": (nomination_batch_case, NominationBatch),
    "award usage line": (usage_line_case, UsageLine),
    "objection": (objection_case, Objection),
}


def set_up(case, client):
    make, model = CASES[case]
    user, url, data, *page = make()
    page_url = page[0] if page else url
    if user is not None:
        client.force_login(user)
    return model, url, (data if callable(data) else (lambda: dict(data))), page_url


@pytest.fixture
def _no_rate_limits(settings):
    settings.RATE_LIMITS = {scope: [] for scope in settings.RATE_LIMITS}


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limits")
@pytest.mark.parametrize("case", list(CASES))
def test_the_same_form_sent_twice_creates_one_record(client, case):
    """Two tabs (or a double click the browser did not stop): the same token posted twice."""
    model, url, data, page_url = set_up(case, client)
    token = token_on(client.get(page_url))
    first = client.post(url, {**data(), FIELD: token})
    assert first.status_code == 302, first.content.decode()[:2000]
    assert model.objects.count() == 1
    second = client.post(url, {**data(), FIELD: token})
    assert second.status_code == 302 and second.url == first.url
    assert model.objects.count() == 1
    assert ALREADY in messages_of(client, second.url)
    # a new page has a new token: the same data entered again is a new record on purpose
    token_again = token_on(client.get(page_url))
    assert token_again != token
    if case != "objection":  # (the same objection again is refused for its content)
        assert client.post(url, {**data(), FIELD: token_again}).status_code == 302
        assert model.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limits")
def test_a_form_shown_again_with_errors_keeps_its_token_and_is_sent_once_corrected(client):
    model, url, data, _page = set_up("activity", client)
    token = token_on(client.get(url))
    wrong = client.post(url, {**data(), "person_times": "abc", FIELD: token})
    assert wrong.status_code == 400
    assert token_on(wrong) == token  # nothing was claimed: the corrected form is sent
    assert not SubmissionToken.objects.exists()
    assert client.post(url, {**data(), FIELD: token}).status_code == 302
    assert client.post(url, {**data(), FIELD: token}).status_code == 302
    assert model.objects.count() == 1
    claim = SubmissionToken.objects.get()
    assert claim.result_url == model.objects.get().get_absolute_url()


@pytest.mark.django_db
@pytest.mark.usefixtures("_no_rate_limits")
def test_a_token_is_the_senders_own(client):
    """Another user's token is not his result: it is kept apart per user."""
    _model, url, data, _page = set_up("activity", client)
    token = token_on(client.get(url))
    assert client.post(url, {**data(), FIELD: token}).status_code == 302
    colleague = factories.applicant_user(Activity.objects.get().station.host_unit)
    other = Client()
    other.force_login(colleague)
    assert other.post(url, {**data(), FIELD: token}).status_code == 302
    assert Activity.objects.count() == 2


@pytest.mark.django_db
def test_a_form_without_a_token_still_works(client):
    _model, url, data, _page = set_up("service record", client)
    assert client.post(url, data()).status_code == 302
    assert ServiceRecord.objects.count() == 1 and not SubmissionToken.objects.exists()


@pytest.mark.django_db
def test_used_tokens_are_forgotten_after_a_day(client):
    import uuid

    from django.utils import timezone

    old = SubmissionToken.objects.create(owner="user:0", token=uuid.uuid4(), path="/")
    SubmissionToken.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    _model, url, data, _page = set_up("service record", client)
    client.post(url, {**data(), FIELD: token_on(client.get(url))})
    assert list(SubmissionToken.objects.values_list("path", flat=True)) == [url]


# --- PostgreSQL: the two submissions at the same moment --------------------------------------


def post_at_once(url, data, token, cookies):
    """Two clients (two tabs of one session) post the same form at the same moment."""
    barrier = threading.Barrier(2)
    results = [None, None]

    def worker(index):
        client = Client()
        client.cookies = cookies
        try:
            barrier.wait()
            results[index] = client.post(url, {**data(), FIELD: token}, REMOTE_ADDR="203.0.113.7")
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_no_rate_limits")
@pytest.mark.parametrize("case", ["activity", "talent referral", "award usage line", "objection"])
def test_two_tabs_sending_at_the_same_moment_create_one_record(client, case):
    from .conftest import seed_shipped_score_sheets

    seed_shipped_score_sheets()
    model, url, data, page_url = set_up(case, client)
    token = token_on(client.get(page_url))
    results = post_at_once(url, data, token, client.cookies)
    assert [getattr(r, "status_code", r) for r in results] == [302, 302], results
    assert results[0].url == results[1].url
    assert model.objects.count() == 1
    assert SubmissionToken.objects.count() == 1
