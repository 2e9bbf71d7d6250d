"""The demo district of `make run` (fixtures/demo.yaml, loaded by stations/demo.py): a
believable district whose four demo logins see every stage of the certification lifecycle,
reached through the real workflow, loaded idempotently."""

import datetime
import re

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.urls import reverse

from stations.demo import DEMO_PASSWORD
from stations.models import Application, Call, HostUnit, Station, StationType
from talentstation.dates import SHANGHAI
from talentstation.models import (
    Notification,
    Objection,
    Publicity,
    ScorerAssignment,
    TransitionLog,
    User,
)
from talentstation.roles import Role
from talentstation.workflow import history

# A day the working-day calendar knows (its publicities need it), outside the third quarter.
DEMO_DAY = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
DEMO_MOBILE = re.compile(r"^13[89]0591\d{4}$")


def counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("talentstation", "stations", "assessments", "auth")
    }


def load_demo(when=DEMO_DAY, capsys=None):
    with time_machine.travel(when):
        call_command("load_demo")
    return capsys.readouterr() if capsys else None


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_the_demo_district(debug, settings, client, capsys):
    """One load (it takes a few seconds), checked from every side."""
    output = load_demo(capsys=capsys)
    for role in Role:
        assert str(role.label) in output.out
    assert output.err == ""  # no stage left out
    first = counts()
    files = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert files

    check_every_stage_of_the_certification_lifecycle_is_there()
    check_every_state_was_reached_through_the_workflow()
    check_the_district_looks_real()
    check_each_demo_login_sees_its_part(client)
    check_the_access_log_has_the_demo_reading()
    check_the_assessment_cycles(client)

    again = load_demo(capsys=capsys)
    assert "nothing changed" in again.out
    assert counts() == first
    assert sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files


def check_every_stage_of_the_certification_lifecycle_is_there():
    S = Application.Status
    assert set(Application.objects.values_list("status", flat=True)) == {
        S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.SHORTLISTED, S.APPROVED,
        S.IN_PUBLICITY, S.CERTIFIED, S.NOT_SELECTED,
    }  # fmt: skip
    assert set(Station.objects.values_list("status", flat=True)) >= {
        Station.Status.CERTIFIED, Station.Status.RECTIFYING, Station.Status.APPLYING,
    }  # fmt: skip
    live = Station.objects.certified()
    assert set(live.values_list("station_type", flat=True)) == set(StationType.values)
    assert all(station.plaque_number for station in live)
    assert all(station.host_unit.is_verified for station in live)
    concluded = Publicity.objects.get(status=Publicity.Status.CONCLUDED, purpose="new_stations")
    assert concluded.notice_number
    running = Publicity.objects.get(status=Publicity.Status.RUNNING)
    assert running.accepts_objections
    objection = Objection.objects.get()
    assert (objection.publicity, objection.status) == (running, Objection.Status.OPEN)
    assert objection.channel == Objection.Channel.ONLINE
    # One unit's credit code waits for confirmation, one unit for verification.
    assert HostUnit.objects.needing_code_confirmation().count() == 1
    assert HostUnit.objects.awaiting_verification().count() == 2
    # The demo expert: one review to start, reviews done before.
    mine = ScorerAssignment.objects.filter(scorer__username="expert")
    to_do = mine.get(application__status=S.ACCEPTED)
    assert not to_do.declared and to_do.visit_date is None
    assert mine.filter(visit_date__isnull=False).count() >= 5


def check_every_state_was_reached_through_the_workflow():
    """Each object's transition log leads from its initial state to its state: no state was
    set directly."""
    objects = [*Application.objects.all(), *Station.objects.all(), *HostUnit.objects.all()]
    objects += [*Publicity.objects.all(), *Call.objects.all(), *Objection.objects.all()]
    assert len(objects) > 40
    for obj in objects:
        state_field = "verification" if isinstance(obj, HostUnit) else "status"
        field = obj._meta.get_field(state_field)
        state = field.get_default()
        states = [value for value, _label in field.choices]  # (a unit has two state fields)
        imported = history(obj).filter(from_state="", transition="import_legacy").first()
        if imported is not None:  # a legacy station enters the portal in its recorded state
            state = imported.to_state
        for log in history(obj).filter(from_state__in=states):
            assert log.from_state == state, f"{obj}: {log.transition} from {log.from_state}"
            state = log.to_state
        assert state == getattr(obj, state_field), obj
    # And the history reads as a real year: nothing happened today, nothing in the future,
    # no notice read before it came, numbers in the order the applications were started.
    stamps = TransitionLog.objects.values_list("at", flat=True)
    assert max(stamps) < DEMO_DAY - datetime.timedelta(hours=12)
    # The district's certification history starts last year; the legacy stations entered the
    # portal in the year of the closed assessment cycle (see check_the_assessment_cycles).
    assert min(stamps).year == DEMO_DAY.year - 3
    assert not TransitionLog.objects.filter(
        at__year__lt=DEMO_DAY.year - 1, content_type__model__in=["application", "call"]
    ).exists()
    assert not Notification.objects.filter(read_at__lt=F("created_at")).exists()
    for call in Call.objects.all():
        numbers = call.applications.order_by("created_at").values_list("number", flat=True)
        assert list(numbers) == sorted(numbers)


def check_the_district_looks_real():
    for unit in HostUnit.objects.all():
        assert unit.contact_name != "联系人" and re.fullmatch(
            r"[\u4e00-\u9fff]{2,3}", unit.contact_name
        )
        assert DEMO_MOBILE.match(unit.contact_mobile), unit.contact_mobile
        assert unit.address.startswith("福州市闽侯县"), unit.address
        assert unit.contact_email.endswith("@demo.local")
    for station in Station.objects.all():
        assert station.name.endswith("驿站"), station.name  # whole names, never cut
    for user in User.objects.all():
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,3}", user.full_name), user.full_name
        assert DEMO_MOBILE.match(user.mobile) and user.email.endswith("@demo.local")
    for application in Application.objects.exclude(status=Application.Status.DRAFT):
        assert not application.incomplete_items() and application.stamped_scan is not None
    for call in Call.objects.all():
        call.clean()  # a call outside Q3 has its reason
    assert Call.objects.get(status=Call.Status.PUBLISHED).is_open()


def check_the_access_log_has_the_demo_reading():
    from talentstation.models import AccessLog

    records = AccessLog.objects.order_by("at")
    kinds = {(r.user.username, r.kind) for r in records}
    assert {("staff", "view"), ("staff", "download"), ("official", "export")} <= kinds
    downloads = records.filter(kind="download")
    assert downloads.count() == 3 and all("营业执照" in r.label for r in downloads)


def check_each_demo_login_sees_its_part(client):
    with time_machine.travel(DEMO_DAY):
        pages = {}
        for login, path in (
            ("applicant", reverse("stations:my_unit")),
            ("expert", reverse("stations:expert_assignments")),
            ("staff", reverse("stations:staff_todo")),
            ("official", reverse("stations:staff_stations")),
        ):
            client.post(reverse("logout"))
            response = client.post(reverse("login"), {"username": login, "password": DEMO_PASSWORD})
            assert response.status_code == 302, f"{login} cannot log in"
            pages[login] = client.get(path, follow=True).content.decode()
            returned = Application.objects.get(status=Application.Status.RETURNED)
            if login == "applicant":
                detail = client.get(reverse("stations:application_detail", args=[returned.pk]))
                assert "租赁合同" in detail.content.decode()  # the reason for the correction
    applicant = User.objects.get(username="applicant")
    unit = applicant.unit_membership.unit
    # What is new is unread: the return for correction, the review to start (and the latest
    # notices about the station's operation log, see test_operations).
    unread = Notification.objects.filter(recipient=applicant, read_at=None)
    assert [n.subject for n in unread.exclude(link__startswith="/operations/")] == [
        f"申报书 {returned.number}：退回修改"
    ]
    expert_unread = Notification.objects.filter(recipient__username="expert", read_at=None)
    assert expert_unread.count() == 1
    assert returned.host_unit == unit
    certified = unit.stations.get(status=Station.Status.CERTIFIED)
    assert certified.plaque_number in pages["applicant"] or certified.name in pages["applicant"]
    assert returned.number in pages["applicant"]
    waiting = Application.objects.get(status=Application.Status.ACCEPTED)
    assert waiting.number in pages["expert"]
    submitted = Application.objects.get(status=Application.Status.SUBMITTED)
    assert submitted.number in pages["staff"]
    assert certified.name in pages["official"]


@pytest.mark.django_db
def test_inside_the_third_quarter_the_demo_call_is_the_q3_call(debug):
    load_demo(datetime.datetime(2026, 8, 20, 10, 0, tzinfo=SHANGHAI))
    call = Call.objects.get(status=Call.Status.PUBLISHED)
    assert (call.open_date, call.close_date) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
    )
    assert call.outside_q3_reason == ""
    assert Application.objects.filter(status=Application.Status.IN_PUBLICITY).exists()
    assert Station.objects.filter(status=Station.Status.RECTIFYING).exists()


@pytest.mark.django_db
def test_a_year_the_calendar_does_not_know_leaves_the_publicities_out(debug, capsys):
    # No working-day calendar for 2098–2099: the publicities are prepared but not started.
    output = load_demo(datetime.datetime(2099, 3, 10, 10, 0, tzinfo=SHANGHAI), capsys)
    assert "2099" in output.err and "2098" in output.err
    assert not Publicity.objects.exclude(status=Publicity.Status.DRAFT).exists()
    assert Application.objects.filter(status=Application.Status.APPROVED).count() == 7
    assert Application.objects.filter(status=Application.Status.DRAFT).count() == 2


@pytest.mark.django_db
def test_demo_refuses_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo")


@pytest.mark.django_db
def test_demo_refuses_a_database_with_other_demo_data(debug):
    User.objects.create_user(username="staff", email="old-staff@demo.local", password=None)
    with pytest.raises(CommandError, match="fresh database"):
        load_demo()
    assert not HostUnit.objects.exists()


def test_the_demo_data_set_is_a_commented_data_file():
    from talentstation import fixtures

    assert (fixtures.FOLDER / "demo.yaml").read_text(encoding="utf-8").startswith("#")
    data = fixtures.load("demo.yaml")
    assert {spec["username"] for spec in data["logins"]} == {
        "staff", "expert", "official", "applicant"
    }  # fmt: skip


def check_the_assessment_cycles(client):
    """The closed cycle (Y-3)–(Y-2) of the five legacy stations, fully scored by two scorers,
    two tied at the top, one below the pass mark; the open cycle (Y-1)–Y with self-assessments
    (one late), some sheets submitted, an override with its reason; each demo login has
    something to see."""
    from assessments import board
    from assessments.models import AssessmentCycle, SelfAssessment, TierOverride

    year = DEMO_DAY.year
    closed = AssessmentCycle.objects.get(first_year=year - 3)
    assert closed.is_closed
    legacy = Station.objects.filter(certified_on__lt=datetime.date(year - 3, 1, 1))
    assert legacy.count() == 5
    assert {a.station for a in closed.assessments.all()} == set(legacy)
    assert all(a.status == "final" for a in closed.assessments.all())
    scores = sorted(a.score for a in closed.assessments.all())
    assert scores[0] < closed.policy_version.pass_mark <= scores[1]
    assert scores[-1] == scores[-2]  # a tie at rank 1 the outcomes must show
    closed_rows = board.board_rows(closed)
    assert all(row.submitted == 2 and row.filed for row in closed_rows)
    assert TierOverride.objects.filter(recorded_by__username="zheng.xuemei").exists()

    current = AssessmentCycle.objects.get(first_year=year - 1)
    assert current.is_open
    assert current.scoring_opens < DEMO_DAY.date() < current.scoring_closes
    assert current.assessments.count() == Station.objects.certified().count()
    with time_machine.travel(DEMO_DAY):
        rows = board.board_rows(current)
    filed = [row for row in rows if row.filed]
    assert 3 <= len(filed) < len(rows)
    assert [row.self_assessment_late for row in filed].count(True) == 1
    assert any(row.ready for row in rows) and any(row.late_scorers for row in rows)
    assert SelfAssessment.objects.filter(
        assessment__cycle=current, status=SelfAssessment.Status.DRAFT
    ).exists()
    override = TierOverride.objects.get(sheet__scorer__username="wu.guoping")
    assert override.reason and override.chosen_tier != override.proposed_tier

    applicant_station = User.objects.get(username="applicant").unit_membership.unit.stations.get(
        status=Station.Status.CERTIFIED
    )
    mine = current.assessments.get(station=applicant_station)
    pages = {
        "applicant": reverse("assessments:self_assessment_detail", args=[mine.pk]),
        "expert": reverse("assessments:assessment_sheets"),
        "staff": reverse("assessments:cycle_board", args=[current.pk]),
        "official": reverse("assessments:cycle_results", args=[closed.pk]),
    }
    seen = {}
    with time_machine.travel(DEMO_DAY):
        for login, path in pages.items():
            client.post(reverse("logout"))
            client.post(reverse("login"), {"username": login, "password": DEMO_PASSWORD})
            response = client.get(path)
            assert response.status_code == 200, login
            seen[login] = response.content.decode()
    assert applicant_station.name in seen["applicant"]
    expert_sheets = ScorerAssignment.objects.filter(
        scorer__username="expert",
        content_type__model="assessment",
        object_id__in=current.assessments.values("pk"),
    )
    assert expert_sheets.filter(no_conflict_declared_at=None).count() >= 1
    assert all(a.station.name in seen["official"] for a in closed.assessments.all())
    assert "低于合格分" in seen["official"]
    assert applicant_station.name in seen["staff"]
