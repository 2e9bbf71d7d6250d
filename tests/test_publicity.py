"""Publicity of the approved list, objections, publication, plaques, certificate, directory."""

import datetime
import io
import threading

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from stations import publication
from stations.models import Application, LeadershipMeeting, Station
from talentstation import publicity as publicity_service
from talentstation.models import CalendarYear, Objection, Publicity, PublicityItem
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories


def approved_application(staff_user, **kwargs):
    application = factories.ApplicationFactory(**kwargs)
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel("2026-08-01 10:00 +0800"):
        perform(application, "submit", by=applicant)
    perform(application.host_unit, "verify", by=staff_user)
    perform(application, "accept", by=staff_user)
    Application.objects.filter(pk=application.pk).update(status="shortlisted")
    application.refresh_from_db()
    meeting = LeadershipMeeting.objects.create(date=datetime.date(2026, 9, 20), reference="R")
    perform(application, "approve", by=staff_user, meeting=meeting)
    return application


def new_publicity(applications, staff_user):
    return publication.publicity_for(
        applications,
        by=staff_user,
        title="2026年度福州高新区人才驿站拟认定名单公示",
        basis="根据《福州高新区人才驿站管理办法（试行）》第十条，经专家评审和领导小组审议……",
        contact="联系电话：0591-00000000；地址：福州高新区人社局",
    )


@pytest.fixture
def running(db, staff_user):
    applications = [approved_application(staff_user) for _ in range(2)]
    publicity = new_publicity(applications, staff_user)
    publicity_service.start(publicity, by=staff_user, start_date=datetime.date(2026, 9, 28))
    return publicity


def test_start_counts_working_days_over_national_day(running):
    # 2026: 9-28 (Mon) … National Day holiday 10-01..10-07, 10-10 (Sat) is a make-up working day
    assert running.first_day == datetime.date(2026, 9, 28)
    assert running.last_day == datetime.date(2026, 10, 9)
    assert running.status == Publicity.Status.RUNNING
    assert {a.status for a in Application.objects.all()} == {"in_publicity"}


def test_start_is_refused_for_a_year_without_calendar_data(db, staff_user):
    publicity = new_publicity([approved_application(staff_user)], staff_user)
    with pytest.raises(Refused, match="2027"):
        publicity_service.start(publicity, by=staff_user, start_date=datetime.date(2027, 3, 1))
    publicity.refresh_from_db()
    assert publicity.status == Publicity.Status.DRAFT
    CalendarYear.objects.create(year=2027, complete=True)
    publicity_service.start(publicity, by=staff_user, start_date=datetime.date(2027, 3, 1))
    assert publicity.last_day == datetime.date(2027, 3, 5)


def test_only_approved_applications_go_under_publicity(db, staff_user):
    with pytest.raises(Refused):
        new_publicity([factories.ApplicationFactory()], staff_user)


def test_public_page_shows_the_period_and_no_personal_data(client, running):
    with time_machine.travel("2026-09-29 10:00 +0800"):
        response = client.get(reverse("publicity_detail", args=[running.pk]))
    body = response.content.decode()
    assert "公示时间：9月28日至10月9日（5个工作日）" in body
    for application in Application.objects.all():
        assert application.station_name in body
        assert application.leader_mobile not in body
        assert application.leader_email not in body
        assert application.host_unit.contact_mobile not in body
        assert application.host_unit.contact_email not in body


def test_anyone_objects_online_with_a_real_name(client, running):
    item = running.items.first()
    url = reverse("publicity_detail", args=[running.pk])
    with time_machine.travel("2026-09-29 10:00 +0800"):
        response = client.post(url, {"item": item.pk, "name": "", "contact": "", "reason": ""})
        assert response.status_code == 400
        assert {"name", "contact", "reason"} <= set(response.context["form"].errors)
        response = client.post(
            url,
            {
                "item": item.pk,
                "name": "王某某",
                "organisation": "某公司",
                "contact": "13811112222",
                "reason": "场地面积与实际不符",
            },
        )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.channel, objection.status) == ("online", "open")
    with time_machine.travel("2026-09-29 10:05 +0800"):
        body = client.get(url).content.decode()
    assert "王某某" not in body and "13811112222" not in body


def test_no_objections_online_after_the_period(client, running):
    with time_machine.travel("2026-10-10 00:00:01 +0800"):
        response = client.post(
            reverse("publicity_detail", args=[running.pk]),
            {
                "item": running.items.first().pk,
                "name": "王某某",
                "contact": "138",
                "reason": "迟到的异议",
            },
        )
    assert not Objection.objects.exists()
    assert response.status_code == 200


def test_publication_waits_for_the_end_and_for_open_objections(running, staff_user):
    Objection.objects.create(
        publicity=running,
        item=running.items.first(),
        channel="phone",
        name="李某",
        contact="0591-1",
        reason="电话反映",
        recorded_by=staff_user,
    )
    with (
        time_machine.travel("2026-10-09 23:00 +0800"),
        pytest.raises(Refused, match="公示期|publicity period"),
    ):
        publicity_service.conclude(
            running,
            by=staff_user,
            notice_number="榕高新区人社〔2026〕8号",
            notice_date=datetime.date(2026, 10, 10),
        )
    with time_machine.travel("2026-10-10 09:00 +0800"):
        with pytest.raises(Refused, match="异议|objection"):
            publicity_service.conclude(
                running,
                by=staff_user,
                notice_number="榕高新区人社〔2026〕8号",
                notice_date=datetime.date(2026, 10, 10),
            )
        perform(Objection.objects.get(), "dismiss", by=staff_user, reason="经核查不属实")
        publicity_service.conclude(
            running,
            by=staff_user,
            notice_number="榕高新区人社〔2026〕8号",
            notice_date=datetime.date(2026, 10, 10),
        )
    running.refresh_from_db()
    assert running.status == Publicity.Status.CONCLUDED
    stations = Station.objects.all()
    assert {s.status for s in stations} == {"certified"}
    assert sorted(s.plaque_number for s in stations) == [
        "榕高新人才驿站〔2026〕001号",
        "榕高新人才驿站〔2026〕002号",
    ]
    assert {s.certified_on for s in stations} == {datetime.date(2026, 10, 10)}


def test_upheld_objection_takes_the_entry_off_the_list(running, staff_user):
    item = running.items.first()
    objection = Objection.objects.create(
        publicity=running,
        item=item,
        channel="letter",
        name="赵某",
        contact="来信",
        reason="材料造假",
    )
    perform(objection, "uphold", by=staff_user, reason="经核查属实")
    item.refresh_from_db()
    assert item.status == PublicityItem.Status.WITHDRAWN
    application = item.subject
    assert application.status == Application.Status.NOT_SELECTED
    assert application.station.status == Station.Status.NOT_SELECTED
    with time_machine.travel("2026-10-12 09:00 +0800"):
        publicity_service.conclude(
            running, by=staff_user, notice_number="N", notice_date=datetime.date(2026, 10, 12)
        )
    assert Station.objects.filter(status="certified").count() == 1


def test_plaque_numbers_skip_imported_ones(running, staff_user):
    factories.StationFactory(plaque_number="榕高新人才驿站〔2026〕001号")
    with time_machine.travel("2026-10-12 09:00 +0800"):
        publicity_service.conclude(
            running, by=staff_user, notice_number="N", notice_date=datetime.date(2026, 10, 12)
        )
    numbers = sorted(
        Station.objects.filter(status="certified", certified_on__isnull=False)
        .exclude(plaque_number="榕高新人才驿站〔2026〕001号")
        .values_list("plaque_number", flat=True)
    )
    assert numbers == ["榕高新人才驿站〔2026〕002号", "榕高新人才驿站〔2026〕003号"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_plaque_numbers_are_unique_under_concurrent_publication():
    from stations.models import next_plaque_number

    factories.StationFactory(plaque_number="榕高新人才驿站〔2026〕002号")
    results, barrier = [], threading.Barrier(4)

    def issue():
        from django.db import transaction

        try:
            barrier.wait()
            with transaction.atomic():
                number = next_plaque_number(2026)
                factories.StationFactory(plaque_number=number)
            results.append(number)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [f"榕高新人才驿站〔2026〕{n:03d}号" for n in (1, 3, 4, 5)]


def test_certificate_and_verification_page(client, running, staff_user):
    with time_machine.travel("2026-10-12 09:00 +0800"):
        publicity_service.conclude(
            running, by=staff_user, notice_number="N", notice_date=datetime.date(2026, 10, 12)
        )
    station = Station.objects.filter(status="certified").first()
    client.force_login(station.host_unit.members.first().user)
    response = client.get(reverse("stations:certificate", args=[station.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1  # the certificate is one A4 sheet
    assert round(float(pdf.pages[0].mediabox.width)) == 595
    text = "".join(pdf.pages[0].extract_text().split())
    assert station.plaque_number in text and station.name in text
    client.logout()
    page = client.get(reverse("stations:verify_plaque", args=[station.plaque_number]))
    assert page.status_code == 200 and station.name in page.content.decode()
    assert client.get(reverse("stations:verify_plaque", args=["假编号"])).status_code == 404


def test_public_directory_lists_certified_stations_without_personal_data(
    client, running, staff_user
):
    with time_machine.travel("2026-10-12 09:00 +0800"):
        publicity_service.conclude(
            running, by=staff_user, notice_number="N", notice_date=datetime.date(2026, 10, 12)
        )
    applying = factories.StationFactory(name="未认定驿站")
    response = client.get(reverse("stations:directory"))
    body = response.content.decode()
    for station in Station.objects.filter(status="certified"):
        assert station.name in body
        assert station.host_unit.contact_mobile not in body
    assert applying.name not in body
    station = Station.objects.filter(status="certified").first()
    detail = client.get(reverse("stations:directory_station", args=[station.pk]))
    assert detail.status_code == 200
    assert client.get(reverse("stations:directory_station", args=[applying.pk])).status_code == 404
    assert station.host_unit.contact_email not in detail.content.decode()


def test_publicity_notice_pdf(client, running):
    response = client.get(reverse("publicity_notice_pdf", args=[running.pk]))
    assert response["Content-Type"] == "application/pdf"


def test_draft_publicity_is_not_public(client, db, staff_user):
    publicity = new_publicity([approved_application(staff_user)], staff_user)
    assert client.get(reverse("publicity_detail", args=[publicity.pk])).status_code == 404


def test_unit_is_told_at_each_step(running):
    from talentstation.models import Notification

    application = Application.objects.first()
    users = [m.user for m in application.host_unit.members.all()]
    subjects = list(
        Notification.objects.filter(recipient__in=users).values_list("subject", flat=True)
    )
    assert any(application.number in s for s in subjects)
    assert len(subjects) >= 4  # submitted, accepted, approved, under publicity


def test_public_pages_show_no_expert_names_scores_or_objectors(client, db, staff_user):
    from talentstation.models.scoring import ScoreSheetTemplate
    from talentstation.roles import Role
    from talentstation.scoring import sheet_for, submit_sheet

    from .test_certification import score_everything

    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel("2026-08-01 10:00 +0800"):
        perform(application, "submit", by=applicant)
    perform(application.host_unit, "verify", by=staff_user)
    perform(application, "accept", by=staff_user)
    expert = factories.UserFactory(role=Role.EXPERT, full_name="独一无二的专家名")
    factories.ready_reviewer(application, expert, staff=staff_user)
    template = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
    submit_sheet(score_everything(sheet_for(template, expert, application), best=False), expert)
    perform(application, "shortlist", by=staff_user)
    meeting = LeadershipMeeting.objects.create(date=datetime.date(2026, 9, 20), reference="R")
    perform(application, "approve", by=staff_user, meeting=meeting)
    publicity = new_publicity([application], staff_user)
    publicity_service.start(publicity, by=staff_user, start_date=datetime.date(2026, 9, 28))
    Objection.objects.create(
        publicity=publicity,
        item=publicity.items.get(),
        channel="online",
        name="异议人甲",
        contact="13900009999",
        reason="理由",
    )
    pages = [
        reverse("publicity_list"),
        reverse("publicity_detail", args=[publicity.pk]),
        reverse("stations:directory"),
    ]
    for url in pages:
        with time_machine.travel("2026-09-29 10:00 +0800"):
            body = client.get(url).content.decode()
        for secret in (
            "独一无二的专家名",
            expert.email,
            "异议人甲",
            "13900009999",
            application.leader_mobile,
            application.leader_email,
        ):
            assert secret not in body, (url, secret)
        assert "总分" not in body and "评分" not in body
