"""Nomination batches (Art. 15 honours): building a batch (the chooser, the prefilled
introduction and reason), its transitions, the outcomes, who may see and do what, the unit's
section, and the query counts of the batch page and its exports."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from awards import nominations
from awards.forms.nominations import BatchForm
from awards.models import Nomination, NominationBatch, Ranking, RankingEntry
from talentstation.dates import today
from talentstation.models import Notification, PolicyVersion, TransitionLog
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

LAST_YEAR = today().year - 1


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.STAFF, full_name="林雅琴")


@pytest.fixture
def official(db):
    return factories.UserFactory(role=Role.OFFICIAL)


def make_batch(staff, **values):
    data = {
        "title": "2026年福州市级人才驿站推荐",
        "level": "city",
        "programme": "福州市级人才驿站",
        "submitting_unit": "福州高新区人力资源和社会保障局",
        **values,
    }
    form = BatchForm(data)
    assert form.is_valid(), form.errors
    return nominations.create_batch(form, by=staff)


def published_ranking(cycle, ranks):
    """A published ranking of the closed ``cycle``: ``ranks`` maps station names to ranks (test
    data: the ranking's own workflow is another part's)."""
    ranking = Ranking.objects.create(
        cycle=cycle, policy_version=cycle.policy_version or PolicyVersion.current()
    )
    Ranking.objects.filter(pk=ranking.pk).update(status=Ranking.Status.PUBLISHED)
    for position, assessment in enumerate(cycle.assessments.order_by("-score"), start=1):
        RankingEntry.objects.create(
            ranking=ranking,
            assessment=assessment,
            station=assessment.station,
            score=assessment.score,
            position=position,
            rank=ranks.get(assessment.station.name),
        )
    return ranking


def full_profile(station, **values):
    from assessments.models import StationProfile

    return StationProfile.objects.create(
        station=station,
        area_m2=Decimal("320.00"),
        has_display_area=True,
        has_publicity_area=True,
        equipment="网络、多媒体、投影设备",
        manager_name="陈立",
        has_management_team=True,
        full_time_staff=2,
        part_time_staff=3,
        asset_rules="complete",
        attendance_rules="complete",
        fund_rules="incomplete",
        event_rules="none",
        **values,
    )


# --- prefill ----------------------------------------------------------------------------------


def test_introduction_prefilled_from_profile_and_accepted_activities(staff):
    station = factories.live_station(staff=staff, address="福州高新区创业路1号")
    full_profile(station)
    day = datetime.date(LAST_YEAR, 5, 10)
    factories.ActivityFactory(station=station, date=day, person_times=30, status="accepted")
    factories.ActivityFactory(station=station, date=day, person_times=25, status="accepted")
    factories.ActivityFactory(station=station, date=day, person_times=500, status="rejected")
    factories.ActivityFactory(station=station, date=day, person_times=700)  # not yet accepted
    factories.ServiceRecordFactory(station=station, date=day, person_times=5, status="accepted")
    text = nominations.introduction_text(station)
    assert (
        "场所：位于福州高新区创业路1号，场地面积320平方米，设有项目展示区、人才政策宣传区" in text
    )
    assert "配备网络、多媒体、投影设备" in text
    assert "资产管理、考勤制度健全" in text and "经费使用制度不够健全" in text
    assert "负责人陈立" in text and "专职服务人员2名、兼职服务人员3名" in text
    # Two accepted activities (55 person-times) and an accepted service record (5).
    assert f"开展活动情况：{LAST_YEAR}年开展活动2场，服务60人次" in text
    assert "500" not in text and "700" not in text


def test_introduction_without_profile(staff):
    station = factories.live_station(staff=staff)
    text = nominations.introduction_text(station)
    assert "（未填写驿站资料）" in text
    assert f"{LAST_YEAR}年开展活动0场，服务0人次" in text


def test_reason_of_an_excellent_station_and_of_a_certified_one(staff):
    cycle = factories.closed_cycle({"甲驿站": None, "乙驿站": {"开展活动": 18}}, staff=staff)
    published_ranking(cycle, {"甲驿站": 1})
    first = cycle.stations_by_name["甲驿站"]
    second = cycle.stations_by_name["乙驿站"]
    assert nominations.reason_text(first) == (
        "2024—2025年度考核得分100分，排名第1，评为福州高新区优秀人才驿站。"
    )
    second.refresh_from_db()
    assert nominations.reason_text(second).startswith(
        f"经认定的福州高新区人才驿站（{second.plaque_number}）"
    )


def test_chooser_lists_excellent_stations_first(staff):
    cycle = factories.closed_cycle(
        {"A驿站": {"开展活动": 0}, "B驿站": None, "C驿站": {"开展活动": 18}}, staff=staff
    )
    published_ranking(cycle, {"B驿站": 1, "C驿站": 2})
    revoked_name = "D驿站"
    revoked = factories.live_station(staff=staff, name=revoked_name)
    perform(revoked, "start_rectification", by=staff, reason="整改")
    perform(revoked, "revoke", by=staff, reason="未整改")
    names = [c.station.name for c in nominations.candidates()]
    assert names == ["B驿站", "C驿站", "A驿站"]
    batch = make_batch(staff)
    nominations.add_station(batch, cycle.stations_by_name["B驿站"], by=staff)
    assert [c.station.name for c in nominations.candidates(batch)] == ["C驿站", "A驿站"]


# --- the workflow -----------------------------------------------------------------------------


def test_batch_lifecycle(staff):
    unit = factories.HostUnitFactory()
    member = factories.applicant_user(unit)
    station = factories.live_station(unit, staff=staff)
    batch = make_batch(staff)
    with pytest.raises(Refused, match="至少一个驿站"):
        perform(batch, "submit", by=staff)
    nomination = nominations.add_station(batch, station, by=staff)
    assert nomination.introduction and nomination.reason
    with pytest.raises(Refused, match="已在本批次中"):
        nominations.add_station(batch, station, by=staff)
    Nomination.objects.filter(pk=nomination.pk).update(reason=" ")
    with pytest.raises(Refused, match="简介和推荐理由"):
        perform(batch, "submit", by=staff)
    Nomination.objects.filter(pk=nomination.pk).update(reason="理由")
    perform(batch, "submit", by=staff)
    batch.refresh_from_db()
    assert batch.status == "submitted" and batch.submitted_on == today()
    assert batch.fill_date == today() and batch.filled_by_name == "林雅琴"
    assert Notification.objects.filter(recipient=member, subject__contains=station.name).exists()
    nomination.refresh_from_db()
    with pytest.raises(Refused, match="退回修改"):
        nominations.remove_nomination(nomination, by=staff)
    with pytest.raises(Refused):
        perform(batch, "record_outcomes", by=staff)
    with pytest.raises(Refused):
        perform(batch, "reopen", by=staff)  # a reason is required
    perform(batch, "reopen", by=staff, reason="补充推荐驿站")
    batch.refresh_from_db()
    assert batch.is_draft and batch.submitted_on is None
    with pytest.raises(Refused, match="批次报送后方可登记"):
        nominations.record_outcome(nomination, by=staff, outcome="selected")
    perform(batch, "submit", by=staff)
    nominations.record_outcome(nomination, by=staff, outcome="selected", note="入选市级驿站")
    perform(batch, "record_outcomes", by=staff)
    batch.refresh_from_db()
    assert batch.status == "decided"
    transitions = list(
        TransitionLog.objects.filter(object_id=batch.pk).values_list("transition", flat=True)
    )
    assert transitions.count("submit") == 2 and "record_outcomes" in transitions


def test_officials_and_units_change_nothing(staff, official):
    station = factories.live_station(staff=staff)
    batch = make_batch(staff)
    member = factories.applicant_user(station.host_unit)
    for user in (official, member):
        with pytest.raises(Refused):
            nominations.add_station(batch, station, by=user)
    nomination = nominations.add_station(batch, station, by=staff)
    for user in (official, member):
        with pytest.raises(Refused):
            perform(batch, "submit", by=user)
        with pytest.raises(Refused):
            nominations.remove_nomination(nomination, by=user)


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def submitted_batch(staff):
    batch = make_batch(staff)
    for _ in range(2):
        nominations.add_station(batch, factories.live_station(staff=staff), by=staff)
    perform(batch, "submit", by=staff)
    return batch


def test_staff_build_a_batch_through_the_pages(client, staff):
    station = factories.live_station(staff=staff)
    client.force_login(staff)
    response = client.post(
        reverse("awards:nomination_batch_create"),
        {
            "title": "省级推荐",
            "level": "province",
            "programme": "福建省人才驿站",
            "submitting_unit": "福州高新区人力资源和社会保障局",
        },
    )
    batch = NominationBatch.objects.get(title="省级推荐")
    assert response.status_code == 302
    page = reverse("awards:nomination_batch", args=[batch.pk])
    response = client.post(reverse("awards:nomination_add", args=[batch.pk]), {"add-station": "x"})
    assert response.status_code == 400  # a clear error, not a 500
    client.post(reverse("awards:nomination_add", args=[batch.pk]), {"add-station": station.pk})
    nomination = batch.nominations.get()
    edit = reverse("awards:nomination_edit", args=[nomination.pk])
    response = client.post(edit, {"introduction": "", "reason": "理由"})
    assert response.status_code == 400 and "理由" in response.content.decode()
    client.post(edit, {"introduction": "场所：……", "reason": "推荐理由"})
    nomination.refresh_from_db()
    assert nomination.introduction == "场所：……"
    response = client.get(page)
    assert response.status_code == 200
    assert station.name in response.content.decode()
    client.post(reverse("awards:nomination_remove", args=[nomination.pk]))
    assert not batch.nominations.exists()


def test_staff_record_outcomes_through_the_pages(client, staff, submitted_batch):
    client.force_login(staff)
    for nomination in submitted_batch.nominations.all():
        url = reverse("awards:nomination_outcome", args=[nomination.pk])
        prefix = f"outcome-{nomination.pk}"
        assert client.post(url, {f"{prefix}-outcome": "maybe"}).status_code == 400
        client.post(
            url, {f"{prefix}-outcome": "not_selected", f"{prefix}-outcome_note": "名额有限"}
        )
    assert set(submitted_batch.nominations.values_list("outcome", flat=True)) == {"not_selected"}
    url = reverse(
        "run_transition", args=["awards.nominationbatch", submitted_batch.pk, "record_outcomes"]
    )
    client.post(url, {"next": "/"})
    submitted_batch.refresh_from_db()
    assert submitted_batch.status == "decided"


def test_official_reads_and_downloads_but_changes_nothing(client, official, submitted_batch):
    client.force_login(official)
    page = client.get(reverse("awards:nomination_batch", args=[submitted_batch.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "/reopen/" not in body and "/outcome/" not in body
    assert 'name="add-station"' not in body
    assert client.get(reverse("awards:nomination_list")).status_code == 200
    for name in ("nomination_annex3_xlsx", "nomination_annex3_pdf"):
        response = client.get(reverse(f"awards:{name}", args=[submitted_batch.pk]))
        assert response.status_code == 200
    nomination = submitted_batch.nominations.first()
    assert client.get(reverse("awards:nomination_batch_create")).status_code == 403
    assert client.get(reverse("awards:nomination_edit", args=[nomination.pk])).status_code == 403
    outcome = reverse("awards:nomination_outcome", args=[nomination.pk])
    prefix = f"outcome-{nomination.pk}"
    assert client.post(outcome, {f"{prefix}-outcome": "selected"}).status_code == 403
    url = reverse("run_transition", args=["awards.nominationbatch", submitted_batch.pk, "reopen"])
    client.post(url, {"next": "/", "reason": "x"})
    submitted_batch.refresh_from_db()
    assert submitted_batch.status == "submitted"
    nomination.refresh_from_db()
    assert nomination.outcome == "pending"


@pytest.mark.parametrize("role", ["anonymous", "applicant", "expert"])
def test_others_get_no_batch(client, submitted_batch, role):
    nomination = submitted_batch.nominations.select_related("station").first()
    if role == "applicant":
        client.force_login(factories.applicant_user(nomination.station.host_unit))
    elif role == "expert":
        client.force_login(factories.UserFactory(role=Role.EXPERT))
    urls = [
        reverse("awards:nomination_list"),
        reverse("awards:nomination_batch", args=[submitted_batch.pk]),
        reverse("awards:nomination_annex3_xlsx", args=[submitted_batch.pk]),
        reverse("awards:nomination_annex3_pdf", args=[submitted_batch.pk]),
        reverse("awards:nomination_edit", args=[nomination.pk]),
        reverse("awards:annex3_lists"),
        reverse("awards:annex3_stations_xlsx"),
    ]
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"]
        else:
            assert response.status_code in (403, 404), url


def test_unit_sees_only_its_own_recommendation(client, staff, submitted_batch):
    first, second = submitted_batch.nominations.select_related("station")
    nominations.record_outcome(first, by=staff, outcome="selected", note="入选")
    client.force_login(factories.applicant_user(first.station.host_unit))
    body = client.get(reverse("awards:mine")).content.decode()
    assert first.station.name in body and "福州市级人才驿站" in body
    assert second.station.name not in body
    # A draft batch is not shown to the units.
    draft = make_batch(staff, title="草稿批次", programme="草稿荣誉")
    nominations.add_station(draft, first.station, by=staff)
    assert "草稿荣誉" not in client.get(reverse("awards:mine")).content.decode()


def test_hub_section(client, official, submitted_batch):
    client.force_login(official)
    body = client.get(reverse("awards:index")).content.decode()
    assert submitted_batch.title in body
    assert reverse("awards:nomination_annex3_pdf", args=[submitted_batch.pk]) in body


# --- query counts -----------------------------------------------------------------------------


@pytest.fixture
def batch_of(staff):
    def make(count):
        batch = make_batch(staff)
        unit = factories.HostUnitFactory()
        for index in range(count):
            station = factories.StationFactory(host_unit=unit, name=f"驿站{index:03d}")
            Nomination.objects.create(
                batch=batch, station=station, order=index, introduction="简介", reason="理由"
            )
        return batch

    return make


@pytest.mark.parametrize("count", [10, 50])
def test_batch_page_queries_do_not_grow(
    client, staff, batch_of, django_assert_max_num_queries, count
):
    batch = batch_of(count)
    client.force_login(staff)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("awards:nomination_batch", args=[batch.pk]))
    assert response.status_code == 200
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [10, 50])
def test_batch_xlsx_queries_do_not_grow(
    client, staff, batch_of, django_assert_max_num_queries, count
):
    batch = batch_of(count)
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("awards:nomination_annex3_xlsx", args=[batch.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 50])
def test_stations_list_queries_do_not_grow(client, staff, django_assert_max_num_queries, count):
    unit = factories.HostUnitFactory()
    for index in range(count):
        station = factories.live_station(unit, staff=staff, name=f"驿站{index:03d}")
        if index % 2:
            full_profile(station)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("awards:annex3_stations_xlsx"))
    assert response.status_code == 200
