"""A failing mail server neither rolls back nor loses a transition.

Through the real pages, with real commits (transactional tests): the unit submits its Annex 1
and bureau staff return it, while the SMTP server refuses connections (a closed port) or
answers with an error. The transition is committed, its log row is written, the page answers
normally, and the e-mail stays in the outbox, not sent, for a later attempt. Only the public
behaviour is asserted (the state, the log, the outbox row), not how or when sending happens.
"""

import socket

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from stations.models import Application
from talentstation.models import Notification, OutboxEmail, TransitionLog
from talentstation.roles import Role

from . import factories
from .test_applications import form_data

OPEN = "2026-08-01 10:00 +0800"


def closed_port():
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_to_a_closed_port():
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }


SERVERS = {
    "connection refused": smtp_to_a_closed_port,
    "SMTP error": lambda: {"default": {"BACKEND": "tests.test_notifications.FailingBackend"}},
}


def assert_kept_for_retry(recipient):
    mails = OutboxEmail.objects.filter(to=recipient.email)
    assert mails.exists(), "the e-mail was lost"
    assert all(mail.status == OutboxEmail.Status.PENDING for mail in mails)
    assert all(mail.sent_at is None for mail in mails)
    assert Notification.objects.filter(recipient=recipient).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("server", list(SERVERS))
def test_a_submission_is_kept_when_the_mail_server_fails(settings, server):
    settings.MAILERS = SERVERS[server]()
    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    draft = factories.ApplicationFactory(call=factories.CallFactory(year=2026), host_unit=unit)
    client = Client(raise_request_exception=True)
    client.force_login(applicant)
    with time_machine.travel(OPEN):
        response = client.post(
            reverse("stations:application_edit", args=[draft.pk]),
            {**form_data(draft), "submit": "1"},
        )
    assert response.status_code == 302
    assert response.url == reverse("stations:application_detail", args=[draft.pk])
    assert Application.objects.get(pk=draft.pk).status == Application.Status.SUBMITTED
    log = TransitionLog.objects.for_object(draft).get()
    assert (log.transition, log.actor) == ("submit", applicant)
    assert_kept_for_retry(applicant)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("server", list(SERVERS))
def test_a_staff_transition_with_a_reason_is_kept_when_the_mail_server_fails(settings, server):
    from talentstation.workflow import perform

    from .conftest import seed_shipped_score_sheets

    seed_shipped_score_sheets()
    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    draft = factories.ApplicationFactory(call=factories.CallFactory(year=2026), host_unit=unit)
    with time_machine.travel(OPEN):
        perform(draft, "submit", by=applicant)
    OutboxEmail.objects.all().delete()
    settings.MAILERS = SERVERS[server]()
    staff = factories.UserFactory(role=Role.STAFF, is_staff=True)
    client = Client(raise_request_exception=True)
    client.force_login(staff)
    url = reverse(
        "run_transition", args=["stations.application", draft.pk, "return_for_correction"]
    )
    detail = reverse("stations:staff_application", args=[draft.pk])
    response = client.post(url, {"next": detail, "reason": "请补充场地面积说明"})
    assert response.status_code == 302
    assert Application.objects.get(pk=draft.pk).status == Application.Status.RETURNED
    log = TransitionLog.objects.for_object(draft).get(transition="return_for_correction")
    assert (log.actor, log.reason) == (staff, "请补充场地面积说明")
    assert_kept_for_retry(applicant)
