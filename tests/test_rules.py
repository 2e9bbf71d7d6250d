"""The permission design: composable rules that say why, permission before state, refusals
that reveal nothing, one place per app, the core importing no app, generated lifecycle tables."""

import ast
import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse

from stations import review
from stations.models import Application, Attachment, LeadershipMeeting, Station
from talentstation import assignments
from talentstation.models import Notification, Objection, TransitionLog
from talentstation.roles import Role
from talentstation.rules import Refused, Rule, deny, is_official, is_staff, rule
from talentstation.workflow import perform

from . import factories

ROOT = Path(__file__).resolve().parent.parent


# -- the rules themselves ------------------------------------------------------------------


@rule("no A", label="A")
def rule_a(user, obj):
    return obj == "a"


@rule("no B", label="B")
def rule_b(user, obj):
    if obj == "related":
        return deny("B knows why")
    return obj == "b"


def test_rules_compose_and_say_why():
    either = rule_a | rule_b
    assert either.check(None, "a") and either.check(None, "b")
    refused = either.check(None, "c")
    assert not refused and refused.reason == "no B" and not refused.specific
    # A test that knows the user is related gives its own reason, also through | and refusing().
    assert either.refusing("generic").check(None, "related").reason == "B knows why"
    assert either.refusing("generic").check(None, "c").reason == "generic"
    both = rule_a & rule_b
    assert both.check(None, "a").reason == "no B"
    assert not (~rule_a)(None, "a") and (~rule_a)(None, "z")
    assert str(either.label) in ("A or B", "A或B")


def test_role_rules(db, staff_user, official_user, expert_user, applicant):
    assert is_staff(staff_user) and not is_staff(official_user) and not is_staff(applicant)
    assert is_official(official_user) and not is_official(expert_user)
    staff_user.is_active = False
    assert not is_staff(staff_user)


def test_every_transition_names_a_rule():
    from talentstation.workflow import lifecycles

    cycles = lifecycles()
    assert {c.model._meta.label_lower for c in cycles} >= {
        "stations.application",
        "stations.station",
        "stations.hostunit",
        "stations.call",
        "talentstation.publicity",
        "talentstation.publicityitem",
        "talentstation.objection",
        "talentstation.scoresheet",
        "talentstation.scoresheettemplate",
    }
    for cycle in cycles:
        for row in cycle.transitions:
            assert row.who and row.who != "(not named)", (cycle.title, row.name)


# -- permission first: refusals reveal nothing ---------------------------------------------


@pytest.fixture
def accepted(db, staff_user):
    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel("2026-08-01 10:00 +0800"):
        perform(application, "submit", by=applicant)
    perform(application.host_unit, "verify", by=staff_user)
    perform(application, "accept", by=staff_user)
    return application


STATE_HINTS = ("专家评审", "评分表", "状态", "expert review", "score sheet", "while the")


def test_another_unit_posting_a_transition_gets_the_page_404_and_no_state(client, accepted):
    intruder = factories.applicant_user()
    client.force_login(intruder)
    url = reverse("run_transition", args=["stations.application", accepted.pk, "shortlist"])
    response = client.post(url, {"next": "/"}, follow=True)
    assert response.status_code == 404
    body = response.content.decode()
    assert not any(hint in body for hint in STATE_HINTS), body
    page = client.get(reverse("stations:application_detail", args=[accepted.pk]))
    assert page.status_code == 404
    accepted.refresh_from_db()
    assert accepted.status == Application.Status.ACCEPTED


def test_own_unit_is_told_who_may_act_not_the_state(client, accepted):
    applicant = accepted.host_unit.members.get().user
    client.force_login(applicant)
    url = reverse("run_transition", args=["stations.application", accepted.pk, "shortlist"])
    response = client.post(url, {"next": "/"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["仅区人社局工作人员可以进行此操作。"]


def test_perform_checks_who_before_when(accepted):
    intruder = factories.applicant_user()
    with pytest.raises(Refused) as refusal:
        perform(accepted, "shortlist", by=intruder)  # not possible yet for anyone either
    assert not any(hint in refusal.value.message for hint in STATE_HINTS)
    with pytest.raises(Refused) as refusal:
        perform(accepted, "submit", by=intruder)  # not the unit's: no "already submitted"
    assert "状态" not in refusal.value.message


def test_a_transition_not_registered_for_pages_is_404(client, accepted, staff_user):
    client.force_login(staff_user)
    url = reverse("run_transition", args=["stations.application", accepted.pk, "certify"])
    assert client.post(url).status_code == 404
    url = reverse("run_transition", args=["stations.station", accepted.station_id, "revoke"])
    assert client.post(url).status_code == 404


# -- access holes ----------------------------------------------------------------------------


def test_attachment_access_depends_on_its_kind(client, accepted, staff_user, official_user):
    licence = factories.AttachmentFactory(
        application=accepted, kind=Attachment.Kind.BUSINESS_LICENCE
    )
    photo = factories.AttachmentFactory(application=accepted, kind=Attachment.Kind.VENUE_PHOTO)
    applicant = accepted.host_unit.members.get().user

    def status(user, attachment):
        client.force_login(user)
        url = reverse("stations:attachment_download", args=[accepted.pk, attachment.pk])
        return client.get(url).status_code

    assert status(official_user, photo) == 200
    assert status(official_user, licence) == 403
    assert status(staff_user, licence) == 200
    assert status(applicant, licence) == 200
    # the official's application page does not even link it
    client.force_login(official_user)
    page = client.get(reverse("stations:application_detail", args=[accepted.pk]))
    assert licence.pk not in [a.pk for a in page.context["attachments"]]


@pytest.fixture
def visit_photo(accepted, staff_user, expert_user):
    assignment = factories.ready_reviewer(accepted, expert_user, staff=staff_user)
    return assignment.photos.create(
        file=ContentFile(factories.TINY_PNG, name="site.png"), original_name="现场.png"
    )


def test_visit_photos_open_for_staff_and_their_expert(
    client, visit_photo, staff_user, official_user
):
    url = reverse("visit_photo", args=[visit_photo.pk])
    other_expert = factories.UserFactory(role=Role.EXPERT)
    applicant = visit_photo.assignment.subject.host_unit.members.get().user
    for user, expected in [
        (staff_user, 200),
        (visit_photo.assignment.scorer, 200),
        (other_expert, 404),
        (official_user, 404),
        (applicant, 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == expected, user
    client.logout()
    assert client.get(url).status_code == 302


def test_minutes_and_objection_evidence_for_staff_only(client, db, staff_user, official_user):
    meeting = LeadershipMeeting.objects.create(
        date=datetime.date(2026, 9, 20),
        reference="2026年第3次联席会议",
        minutes=ContentFile(factories.TINY_PDF, name="minutes.pdf"),
    )
    from talentstation.models import Publicity

    publicity = Publicity.objects.create(
        purpose="new_stations", title="公示", basis="b", contact="c"
    )
    objection = Objection.objects.create(
        publicity=publicity,
        channel="online",
        name="异议人",
        contact="13900001111",
        reason="理由",
        evidence=ContentFile(factories.TINY_PDF, name="evidence.pdf"),
    )
    urls = [
        reverse("stations:meeting_minutes", args=[meeting.pk]),
        reverse("objection_evidence", args=[objection.pk]),
    ]
    for url in urls:
        client.force_login(staff_user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        client.force_login(official_user)
        assert client.get(url).status_code == 403
    # admin links them
    client.force_login(staff_user)
    page = client.get(reverse("admin:talentstation_objection_change", args=[objection.pk]))
    assert urls[1] in page.content.decode()
    page = client.get(reverse("admin:stations_leadershipmeeting_change", args=[meeting.pk]))
    assert urls[0] in page.content.decode()


# -- workflow objects that changed state behind the runner's back --------------------------


def test_station_transitions_notify_the_unit(db, staff_user):
    station = factories.StationFactory()
    member = factories.applicant_user(station.host_unit)
    perform(station, "certify", by=staff_user)
    before = Notification.objects.filter(recipient=member).count()
    perform(station, "start_rectification", by=staff_user, reason="考核得分低于60分")
    perform(station, "revoke", by=staff_user, reason="逾期未整改")
    notices = Notification.objects.filter(recipient=member).order_by("pk")[before:]
    assert [n.subject for n in notices] == [
        f"驿站“{station.name}”：限期整改",
        f"驿站“{station.name}”：收回牌匾",
    ]
    assert "逾期未整改" in notices[1].body


def test_an_upheld_objection_withdraws_the_entry_through_the_runner(db, staff_user):
    from .test_publicity import approved_application, new_publicity

    application = approved_application(staff_user)
    publicity = new_publicity([application], staff_user)
    from talentstation.publicity import start

    start(publicity, by=staff_user, start_date=datetime.date(2026, 9, 28))
    item = publicity.items.get()
    with pytest.raises(AttributeError):
        item.status = item.Status.WITHDRAWN  # protected: only the transition changes it
    objection = Objection.objects.create(
        publicity=publicity, item=item, channel="phone", name="甲", contact="1", reason="r"
    )
    perform(objection, "uphold", by=staff_user, reason="核查属实")
    item.refresh_from_db()
    assert item.status == item.Status.WITHDRAWN
    log = TransitionLog.objects.for_object(item).get()
    assert (log.transition, log.actor, log.reason) == ("withdraw", staff_user, "核查属实")


# -- the score sheet can only be retired by its successor; pages survive a missing one ------


def test_the_only_active_review_sheet_cannot_be_retired(db, staff_user):
    from talentstation.models.scoring import ScoreSheetTemplate

    active = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
    with pytest.raises(Refused):
        perform(active, "retire", by=staff_user)
    draft = active.new_version(staff_user)
    perform(draft, "activate", by=staff_user)
    active.refresh_from_db()
    assert active.status == ScoreSheetTemplate.Status.RETIRED


def test_expert_page_without_an_active_sheet_says_so(client, accepted, staff_user, expert_user):
    from talentstation.models.scoring import ScoreSheetTemplate

    assignment = factories.ready_reviewer(accepted, expert_user, staff=staff_user)
    # e.g. data from before the rule: no version is active
    ScoreSheetTemplate.objects.filter(status="active").update(status="retired")
    client.force_login(expert_user)
    page = client.get(reverse("stations:expert_assignment", args=[assignment.pk]))
    assert page.status_code == 200
    assert "没有启用中的版本" in page.content.decode()
    response = client.post(reverse("stations:expert_score", args=[assignment.pk]), {"save": "1"})
    assert response.status_code == 302


def test_a_started_sheet_keeps_its_version(accepted, staff_user, expert_user):
    from talentstation.models.scoring import ScoreSheetTemplate
    from talentstation.scoring import sheet_for_purpose

    purpose = ScoreSheetTemplate.Purpose.APPLICATION_REVIEW
    first = sheet_for_purpose(purpose, expert_user, accepted)
    draft = first.template.new_version(staff_user)
    perform(draft, "activate", by=staff_user)
    assert sheet_for_purpose(purpose, expert_user, accepted) == first


def test_review_counts_only_the_assigned_experts_sheets(accepted, staff_user, expert_user):
    from talentstation.scoring import sheet_for_purpose, submit_sheet

    from .test_certification import score_everything

    factories.ready_reviewer(accepted, expert_user, staff=staff_user)
    outsider = factories.UserFactory(role=Role.EXPERT)
    sheet = score_everything(sheet_for_purpose("application_review", outsider, accepted))
    submit_sheet(sheet, outsider)
    status = review.review_status(accepted)
    assert (status.assigned, status.submitted, status.needed, status.complete) == (1, 0, 1, False)
    with pytest.raises(Refused, match="0"):
        perform(accepted, "shortlist", by=staff_user)


def test_a_review_sheet_needs_the_visit_first(accepted, staff_user, expert_user):
    from talentstation.scoring import sheet_for_purpose, submit_sheet

    from .test_certification import score_everything

    assignment = assignments.assign_scorer(accepted, expert_user, by=staff_user)
    assignments.declare_no_conflict(assignment, by=expert_user)
    sheet = score_everything(sheet_for_purpose("application_review", expert_user, accepted))
    with pytest.raises(Refused, match="实地考察"):
        submit_sheet(sheet, expert_user)
    assignments.record_visit(
        assignment, by=expert_user, visit_date=datetime.date(2026, 9, 2), notes=""
    )
    submit_sheet(sheet, expert_user)


# -- public pages show a station's real status -------------------------------------------


def test_a_station_under_rectification_shows_its_status(client, db, staff_user):
    station = factories.StationFactory()
    perform(station, "certify", by=staff_user)
    perform(station, "start_rectification", by=staff_user, reason="低于60分")
    verify = client.get(reverse("stations:verify_plaque", args=[station.plaque_number]))
    body = verify.content.decode()
    assert "真实有效" not in body and "整改中" in body
    directory = client.get(reverse("stations:directory")).content.decode()
    assert "整改中" in directory
    perform(station, "end_rectification", by=staff_user)
    assert (
        "真实有效"
        in client.get(
            reverse("stations:verify_plaque", args=[station.plaque_number])
        ).content.decode()
    )


# -- the core imports no app; rules live in one module per app -----------------------------


def _imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


# The apps depend one way: talentstation <- stations <- assessments <- awards.
LAYERS = ("talentstation", "stations", "assessments", "awards")


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_apps_depend_in_one_direction(layer):
    later = LAYERS[LAYERS.index(layer) + 1 :]
    offenders = []
    for path in (ROOT / layer).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for module in _imported_modules(path):
            if module.split(".")[0] in later:
                offenders.append(f"{path.relative_to(ROOT)}: {module}")
    assert not offenders


def test_permission_checks_live_in_the_rules_modules():
    """No view, service or model decides roles itself: they ask the app's rules."""
    pattern = re.compile(r"\bis_bureau_staff\b|\bhas_role\(|PermissionDenied\(|__name__ == \"")
    allowed = {"talentstation/rules.py", "talentstation/roles.py"}
    offenders = []
    for app in ("talentstation", "stations", "assessments", "awards"):
        for path in (ROOT / app).rglob("*.py"):
            name = str(path.relative_to(ROOT))
            if "migrations" in path.parts or name in allowed:
                continue
            if pattern.search(path.read_text()):
                offenders.append(name)
    assert not offenders


# -- the lifecycle tables are generated from the code ---------------------------------------


def test_readme_holds_the_generated_lifecycle_tables(capsys):
    call_command("workflow_tables")
    tables = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text()
    assert tables.strip() in readme, "run `make lifecycles` to update the README"


def test_staff_help_page_shows_the_lifecycles(client, staff_user, official_user, applicant):
    url = reverse("workflow_help")
    client.force_login(staff_user)
    body = client.get(url).content.decode()
    assert "申报书" in body and "择优入围" in body and "区人社局工作人员" in body
    client.force_login(official_user)
    assert client.get(url).status_code == 200
    client.force_login(applicant)
    assert client.get(url).status_code == 403


def test_station_import_goes_through_the_runner(db, staff_user):
    unit = factories.HostUnitFactory()
    station = Station(name="导入驿站", station_type="service", host_unit=unit)
    perform(station, "import_legacy", by=staff_user, reason="历史数据导入", status="rectifying")
    log = TransitionLog.objects.for_object(station).get()
    assert (log.from_state, log.to_state, log.actor) == ("", "rectifying", staff_user)
    with pytest.raises(Refused):  # an existing station is never "imported" again
        perform(station, "import_legacy", by=staff_user, reason="x", status="certified")


def test_plain_number_is_one_function():
    from talentstation.models.scoring import format_points
    from talentstation.numbers import plain_number

    assert plain_number("260.00") == "260" and plain_number(85.5) == "85.5"
    assert format_points("81.666") == "81.67" and plain_number(None) == ""


def test_rule_objects_are_used_for_every_fsm_permission():
    from django.apps import apps

    for model in apps.get_models():
        for name in getattr(model, "TRANSITION_LABELS", {}):
            meta = getattr(model, name)._django_fsm
            for spec in meta.transitions.values():
                assert isinstance(spec.permission, Rule), f"{model.__name__}.{name}"


def test_a_transition_reason_is_cleaned_and_bounded(client, db, staff_user):
    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel("2026-08-01 10:00 +0800"):
        perform(application, "submit", by=applicant)
    client.force_login(staff_user)
    url = reverse(
        "run_transition", args=["stations.application", application.pk, "return_for_correction"]
    )
    response = client.post(url, {"reason": "缺" * 2001, "next": "/"}, follow=True)
    assert any("2000" in str(m) for m in response.context["messages"])
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    client.post(url, {"reason": "请补充\u202e场地照片", "next": "/"})
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED  # told to check the cleaned text
    client.post(url, {"reason": "请补充场地照片", "next": "/"})
    application.refresh_from_db()
    assert application.status == Application.Status.RETURNED
    assert TransitionLog.objects.for_object(application).last().reason == "请补充场地照片"
