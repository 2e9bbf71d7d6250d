import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from . import factories


@pytest.mark.django_db
def test_a_call_inside_q3_needs_no_reason():
    call = factories.CallFactory.build(policy_version=None)
    call.clean()
    assert call.inside_q3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("open_date", "close_date"),
    [
        (datetime.date(2026, 6, 30), datetime.date(2026, 9, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)),
        (datetime.date(2026, 11, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_a_call_outside_q3_needs_an_explicit_reason(open_date, close_date):
    call = factories.CallFactory.build(open_date=open_date, close_date=close_date)
    with pytest.raises(ValidationError) as excinfo:
        call.clean()
    assert "outside_q3_reason" in excinfo.value.message_dict
    call.outside_q3_reason = "上级部门通知推迟申报"
    call.clean()


@pytest.mark.django_db
def test_a_call_cannot_close_before_it_opens():
    call = factories.CallFactory.build(
        open_date=datetime.date(2026, 9, 1), close_date=datetime.date(2026, 8, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        call.clean()
    assert "close_date" in excinfo.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        ("2026-06-30 23:59:59 +0800", False),
        ("2026-07-01 00:00:00 +0800", True),
        ("2026-06-30 16:00:00 +0000", True),  # 00:00 on 1 July in Shanghai
        ("2026-09-30 23:59:59 +0800", True),  # close date inclusive until 23:59
        ("2026-09-30 15:59:59 +0000", True),
        ("2026-10-01 00:00:00 +0800", False),
        ("2026-09-30 16:00:00 +0000", False),
    ],
)
def test_call_window_boundaries_in_shanghai_time(moment, is_open):
    call = factories.CallFactory()
    with time_machine.travel(moment):
        assert call.is_open() is is_open


@pytest.mark.django_db
def test_submission_after_the_close_date_is_refused():
    from talentstation.rules import Refused
    from talentstation.workflow import perform

    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel("2026-10-01 00:00:01 +0800"), pytest.raises(Refused):
        perform(application, "submit", by=applicant)


@pytest.mark.django_db
def test_staff_publish_and_close_a_call_and_the_public_sees_it(client, staff_user):
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from stations.models import Call, CallDocument
    from talentstation.rules import Refused
    from talentstation.workflow import perform

    call = factories.CallFactory(status=Call.Status.DRAFT, description="申报通知正文")
    CallDocument.objects.create(
        call=call, title="附件1 建站申报表", file=ContentFile(factories.TINY_PDF, name="annex1.pdf")
    )
    assert client.get(reverse("stations:call_detail", args=[call.pk])).status_code == 404
    applicant = factories.applicant_user()
    with pytest.raises(Refused):
        perform(call, "publish", by=applicant)
    perform(call, "publish", by=staff_user)
    with time_machine.travel("2026-08-01 10:00 +0800"):
        assert call.is_open()
        page = client.get(reverse("stations:call_detail", args=[call.pk]))
    assert "申报通知正文" in page.content.decode()
    document = call.documents.get()
    download = client.get(reverse("stations:call_document", args=[call.pk, document.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert call.title in client.get(reverse("stations:call_list")).content.decode()
    perform(call, "close", by=staff_user)
    with time_machine.travel("2026-08-01 10:00 +0800"):
        assert not call.is_open()  # closed early by staff


@pytest.mark.django_db
def test_a_draft_call_is_not_open_and_outside_q3_needs_its_reason_to_publish(staff_user):
    from stations.models import Call
    from talentstation.rules import Refused
    from talentstation.workflow import perform

    call = factories.CallFactory(
        status=Call.Status.DRAFT,
        open_date=datetime.date(2026, 11, 1),
        close_date=datetime.date(2026, 11, 30),
    )
    with time_machine.travel("2026-11-10 10:00 +0800"):
        assert not call.is_open()
    with pytest.raises(Refused):
        perform(call, "publish", by=staff_user)
    call.outside_q3_reason = "上级通知延后"
    call.save()
    perform(call, "publish", by=staff_user)
