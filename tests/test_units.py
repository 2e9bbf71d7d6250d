import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from stations.models import HostUnit
from talentstation.models import TransitionLog
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

PILOT = "91350211M0000XUF46"


@pytest.mark.django_db
def test_valid_code_is_checked_and_pilot_code_unconfirmed():
    assert factories.HostUnitFactory().code_state == HostUnit.CodeState.CHECKED
    pilot = factories.HostUnitFactory(credit_code=PILOT)
    assert pilot.code_state == HostUnit.CodeState.UNCONFIRMED
    assert pilot in HostUnit.objects.needing_code_confirmation()


@pytest.mark.django_db
def test_code_is_normalised_on_save():
    unit = factories.HostUnitFactory(credit_code=" 9111 0108 5513 8508 2q")
    assert unit.credit_code == "91110108551385082Q"


@pytest.mark.django_db
def test_unconfirmed_unit_may_draft_but_not_submit_until_staff_confirm(staff_user):
    unit = factories.HostUnitFactory(credit_code=PILOT)
    user = factories.applicant_user(unit)
    application = factories.ApplicationFactory(host_unit=unit, call__year=2026)
    application.station_name = "改过的名称"  # drafting works
    application.save()

    with time_machine.travel("2026-08-01 10:00 +0800"):
        with pytest.raises(Refused, match="统一社会信用代码|credit code"):
            perform(application, "submit", by=user)
        assert unit.submission_blocker()

        with pytest.raises(Refused):  # only staff confirm, and with a reason
            perform(unit, "confirm_code", by=user, reason="ok")
        with pytest.raises(Refused):
            perform(unit, "confirm_code", by=staff_user, reason="")
        log = perform(unit, "confirm_code", by=staff_user, reason="已核对营业执照原件")
        assert log.from_state == "unconfirmed" and log.to_state == "confirmed"
        application.host_unit.refresh_from_db()
        perform(application, "submit", by=user)
    assert application.status == "submitted"


@pytest.mark.django_db
def test_staff_verify_unit_needs_licence(staff_user):
    unit = factories.HostUnitFactory(business_licence="")
    with pytest.raises(Refused, match="营业执照|business licence"):
        perform(unit, "verify", by=staff_user)
    unit.business_licence.save("l.pdf", ContentFile(factories.TINY_PDF))
    perform(unit, "verify", by=staff_user)
    assert unit.verification == HostUnit.Verification.VERIFIED
    assert TransitionLog.objects.for_object(unit).get().actor == staff_user


@pytest.mark.django_db
def test_rejected_licence_can_be_resubmitted_by_the_unit_admin(staff_user):
    unit = factories.HostUnitFactory()
    admin = factories.applicant_user(unit, is_admin=True)
    member = factories.applicant_user(unit, is_admin=False)
    perform(unit, "reject_licence", by=staff_user, reason="扫描件不清晰")
    with pytest.raises(Refused):
        perform(unit, "resubmit_licence", by=member)
    perform(unit, "resubmit_licence", by=admin)
    assert unit.verification == HostUnit.Verification.UNVERIFIED


@pytest.mark.django_db
def test_staff_todo_lists_units_to_confirm_and_verify(client, staff_user):
    pilot = factories.HostUnitFactory(credit_code=PILOT, name="试点单位")
    fresh = factories.HostUnitFactory(name="待核实单位")
    client.force_login(staff_user)
    response = client.get(reverse("stations:staff_todo"))
    body = response.content.decode()
    assert pilot.credit_code in body
    assert fresh.name in body
