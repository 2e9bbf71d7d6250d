"""Bureau staff in Django admin: every model listed, filters and search, transition actions."""

import io
import zipfile

import pytest
from django.contrib import admin
from django.urls import reverse

from stations.models import Application, HostUnit
from talentstation.models import TransitionLog

from . import factories


@pytest.mark.django_db
def test_every_portal_model_is_in_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    for model in apps.get_models():
        portal = model._meta.app_label in ("talentstation", "stations", "assessments")
        if portal and not model.__name__.startswith("Historical"):
            if model.__name__ in (
                "UnitMember",
                "SubmittedRevision",
                "Attachment",
                "CallDocument",
                "SiteVisitPhoto",
                "PublicityItem",
                "ScoreTier",
                "ScoreTierCondition",
                "ScoreEntry",
                "ActivityFile",
                "AssessmentYear",
                "ItemScore",
                "SelfAssessmentClaim",
                "PolicyAnnex",
            ):
                continue  # inlines of their unit / application / policy document
            if model.__name__ == "SubmissionToken":
                continue  # the one-time tokens of create forms: bookkeeping, nothing to read
            assert model in registered, model


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:stations_application_changelist",
        "admin:stations_hostunit_changelist",
        "admin:stations_station_changelist",
        "admin:stations_call_changelist",
        "admin:talentstation_policyversion_changelist",
        "admin:talentstation_transitionlog_changelist",
        "admin:talentstation_user_changelist",
    ],
)
def test_changelists_load_for_staff_in_chinese(client, staff_user, url_name):
    factories.ApplicationFactory()
    client.force_login(staff_user)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_application_list_filters_and_search(client, staff_user):
    first = factories.ApplicationFactory(station_name="光电人才驿站")
    factories.ApplicationFactory(station_name="创业人才驿站")
    client.force_login(staff_user)
    url = reverse("admin:stations_application_changelist")
    response = client.get(url, {"q": first.host_unit.credit_code})
    assert list(response.context["cl"].result_list) == [first]
    response = client.get(
        url,
        {
            "status__exact": "draft",
            "host_unit__verification__exact": "unverified",
            "call__id__exact": first.call_id,
        },
    )
    assert first in response.context["cl"].result_list


@pytest.mark.django_db
def test_application_change_page_shows_attachments_pdf_and_history(client, staff_user):
    application = factories.ApplicationFactory()
    client.force_login(staff_user)
    response = client.get(reverse("admin:stations_application_change", args=[application.pk]))
    body = response.content.decode()
    assert reverse("stations:application_pdf", args=[application.pk]) in body
    stamped = application.attachments.get()
    assert reverse("stations:attachment_download", args=[application.pk, stamped.pk]) in body


@pytest.mark.django_db
def test_admin_pdf_action_one_and_many(client, staff_user):
    first, second = factories.ApplicationFactory(), factories.ApplicationFactory()
    client.force_login(staff_user)
    url = reverse("admin:stations_application_changelist")
    response = client.post(url, {"action": "download_pdfs", "_selected_action": [first.pk]})
    assert response["Content-Type"] == "application/pdf"
    response = client.post(
        url, {"action": "download_pdfs", "_selected_action": [first.pk, second.pk]}
    )
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == sorted(f"附件1-建站申报表-{a.number}.pdf" for a in (first, second))


@pytest.mark.django_db
def test_admin_transition_action_asks_for_a_reason_and_logs(client, staff_user):
    unit = factories.HostUnitFactory(credit_code="91350211M0000XUF46")
    client.force_login(staff_user)
    url = reverse("admin:stations_hostunit_changelist")
    data = {"action": "transition_confirm_code", "_selected_action": [unit.pk]}
    response = client.post(url, data)
    assert response.status_code == 200 and "reason" in response.context["form"].fields
    response = client.post(url, {**data, "confirm": "1", "reason": "已核对营业执照原件"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.code_state == HostUnit.CodeState.CONFIRMED
    log = TransitionLog.objects.get()
    assert (log.actor, log.reason) == (staff_user, "已核对营业执照原件")


@pytest.mark.django_db
def test_admin_refused_transition_is_reported(client, staff_user):
    application = factories.ApplicationFactory()
    client.force_login(staff_user)
    url = reverse("admin:stations_application_changelist")
    response = client.post(
        url,
        {
            "action": "transition_return_for_correction",
            "_selected_action": [application.pk],
            "confirm": "1",
            "reason": "缺材料",
        },
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert any("退回修改" in str(m) for m in response.context["messages"])


@pytest.mark.django_db
def test_policy_versions_cannot_be_deleted_in_admin(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:talentstation_policyversion_changelist"))
    assert "delete_selected" not in response.content.decode()


@pytest.mark.django_db
def test_admin_assigns_a_panel_to_several_applications_refusing_conflicts(client, staff_user):
    import time_machine

    from talentstation.models import ExpertAffiliation
    from talentstation.roles import Role
    from talentstation.workflow import perform

    applications = []
    for _ in range(2):
        application = factories.ApplicationFactory()
        applicant = factories.applicant_user(application.host_unit)
        with time_machine.travel("2026-08-01 10:00 +0800"):
            perform(application, "submit", by=applicant)
        perform(application.host_unit, "verify", by=staff_user)
        perform(application, "accept", by=staff_user)
        applications.append(application)
    free, tied = (factories.UserFactory(role=Role.EXPERT) for _ in range(2))
    ExpertAffiliation.objects.create(
        expert=tied, organisation="关联单位", credit_code=applications[0].host_unit.credit_code
    )
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:stations_application_changelist"),
        {
            "action": "form_action_assign_panel",
            "_selected_action": [a.pk for a in applications],
            "confirm": "1",
            "experts": [free.pk, tied.pk],
            "due_date": "2026-09-30",
        },
        follow=True,
    )
    assert applications[0].review_assignments.get().scorer == free
    assert applications[1].review_assignments.count() == 2
    assert any("关联单位" in str(m) for m in response.context["messages"])
