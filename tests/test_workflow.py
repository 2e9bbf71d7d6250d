import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from stations.models import Application, Station
from talentstation.models import TransitionLog
from talentstation.workflow import (
    Refused,
    available_transitions,
    history,
    perform,
)

from . import factories


@pytest.fixture
def station(db):
    return factories.StationFactory()


@pytest.mark.django_db
def test_every_transition_writes_who_when_from_to_why(station, staff_user):
    log = perform(station, "not_select", by=staff_user, reason="得分未进入前列")
    assert log.subject == station
    assert (log.from_state, log.to_state) == ("applying", "not_selected")
    assert log.actor == staff_user and log.reason == "得分未进入前列"
    assert log.at is not None
    assert log.content_type == ContentType.objects.get_for_model(Station)
    assert list(history(station)) == [log]
    assert str(log.from_label) in ("申报中", "applying")


@pytest.mark.django_db
def test_state_cannot_be_assigned_directly(station):
    with pytest.raises(AttributeError):
        station.status = Station.Status.CERTIFIED


@pytest.mark.django_db
def test_illegal_transitions_are_refused_with_a_message(station, staff_user):
    with pytest.raises(Refused) as excinfo:
        perform(station, "revoke", by=staff_user, reason="x")
    assert excinfo.value.message
    station.refresh_from_db()
    assert station.status == Station.Status.APPLYING
    assert not TransitionLog.objects.exists()


@pytest.mark.django_db
def test_transition_checks_who(station, official_user, expert_user):
    applicant = factories.applicant_user(station.host_unit)
    for user in (official_user, expert_user, applicant):
        with pytest.raises(Refused):
            perform(station, "not_select", by=user, reason="x")


@pytest.mark.django_db
def test_transition_needing_a_reason_refuses_without(station, staff_user):
    with pytest.raises(Refused):
        perform(station, "not_select", by=staff_user, reason="   ")


@pytest.mark.django_db
def test_station_lifecycle_applying_certified_rectifying_revoked(station, staff_user):
    application = factories.ApplicationFactory(
        station=station, host_unit=station.host_unit, station_name="正式名称", address="新地址"
    )
    perform(station, "certify", by=staff_user, application=application)
    assert station.status == Station.Status.CERTIFIED
    assert (station.name, station.address) == ("正式名称", "新地址")
    assert station.certified_on is not None
    perform(station, "start_rectification", by=staff_user, reason="考核得分低于60分")
    perform(station, "end_rectification", by=staff_user)
    perform(station, "start_rectification", by=staff_user, reason="再次整改")
    perform(station, "revoke", by=staff_user, reason="到期仍整改不到位")
    station.refresh_from_db()
    assert station.status == Station.Status.REVOKED
    assert [e.to_state for e in history(station)] == [
        "certified",
        "rectifying",
        "certified",
        "rectifying",
        "revoked",
    ]


@pytest.mark.django_db
def test_not_selected_unit_reapplies_for_the_same_station(station, staff_user):
    from stations.services import start_application

    applicant = factories.applicant_user(station.host_unit)
    perform(station, "not_select", by=staff_user, reason="名额有限")
    call = factories.CallFactory(year=2027)
    with time_machine.travel("2027-08-01 10:00 +0800"):
        application = start_application(station.host_unit, call, by=applicant, station=station)
    station.refresh_from_db()
    assert station.status == Station.Status.APPLYING
    assert application.station == station
    assert station.applications.count() == 1


@pytest.mark.django_db
def test_stale_object_is_reread_before_transition(station, staff_user):
    stale = Station.objects.get(pk=station.pk)
    perform(station, "not_select", by=staff_user, reason="x")
    with pytest.raises(Refused):
        perform(stale, "not_select", by=staff_user, reason="again")
    assert TransitionLog.objects.count() == 1


@pytest.mark.django_db
def test_available_transitions_are_those_the_user_may_run(station, staff_user):
    names = {t.name for t in available_transitions(station, staff_user)}
    assert names == {"certify", "not_select"}
    applicant = factories.applicant_user(station.host_unit)
    assert available_transitions(station, applicant) == []


@pytest.mark.django_db
def test_application_return_and_resubmit(staff_user):
    import time_machine

    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel("2026-09-30 23:00 +0800"):
        perform(application, "submit", by=applicant)
    perform(application, "return_for_correction", by=staff_user, reason="缺少场地照片")
    assert application.editable_by_unit
    with time_machine.travel("2026-10-10 09:00 +0800"):  # after the close date: still allowed
        perform(application, "resubmit", by=applicant)
    assert application.status == Application.Status.SUBMITTED


@pytest.mark.django_db
def test_not_relying_on_a_host_fills_the_row_with_the_unit_itself():
    application = factories.ApplicationFactory(relies_on_host=False)
    assert application.host_institution_name == application.host_unit.name
    assert application.host_institution_credit_code == application.host_unit.credit_code
