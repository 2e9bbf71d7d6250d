"""Applying in the browser: drafts, conflicts, attachments, stamped scan, submission, status."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stations.models import Application, Attachment, Station
from talentstation.models import PolicyVersion
from talentstation.workflow import perform

from . import factories

OPEN = "2026-08-01 10:00 +0800"


@pytest.fixture
def call(db):
    return factories.CallFactory(year=2026)


@pytest.fixture
def draft(call, unit):
    return factories.ApplicationFactory(call=call, host_unit=unit, stamped_scan=False)


def edit_url(application):
    return reverse("stations:application_edit", args=[application.pk])


def form_data(application, **overrides):
    data = {
        "lock_version": application.lock_version,
        "station_name": application.station_name,
        "station_type": application.station_type,
        "leader_name": application.leader_name,
        "leader_mobile": application.leader_mobile,
        "leader_email": application.leader_email,
        "relies_on_host": "False",
        "host_institution_name": "",
        "host_institution_credit_code": "",
        "address": application.address,
        "built_on": application.built_on.isoformat() if application.built_on else "",
        "area_m2": str(application.area_m2 or ""),
        "staffing": application.staffing,
        "rules_and_hardware": application.rules_and_hardware,
        "activities": application.activities,
        "talent_recommendations": application.talent_recommendations,
        "save": "1",
    }
    data.update(overrides)
    return data


def pdf_upload(name="scan.pdf"):
    return SimpleUploadedFile(name, factories.TINY_PDF)


@time_machine.travel(OPEN)
def test_unit_starts_an_application_in_an_open_call(client, call, applicant):
    client.force_login(applicant)
    response = client.post(reverse("stations:application_start", args=[call.pk]))
    application = Application.objects.get()
    assert response.url == edit_url(application)
    assert application.number == "2026-0001"
    assert application.status == "draft" and application.revision == 1
    assert application.station.status == Station.Status.APPLYING
    assert application.host_unit == applicant.unit_membership.unit
    # one application per unit per call: starting again leads to the same one
    response = client.post(reverse("stations:application_start", args=[call.pk]))
    assert response.url == edit_url(application)
    assert Application.objects.count() == 1


@time_machine.travel("2026-10-01 00:00 +0800")
def test_no_new_application_after_the_close_date(client, call, applicant):
    client.force_login(applicant)
    response = client.post(reverse("stations:application_start", args=[call.pk]))
    assert response.status_code == 403
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_application_numbers_run_per_year():
    first = factories.ApplicationFactory(call__year=2026)
    second = factories.ApplicationFactory(call=first.call)
    other_year = factories.ApplicationFactory(call__year=2027)
    assert [first.number, second.number, other_year.number] == [
        "2026-0001",
        "2026-0002",
        "2027-0001",
    ]


@time_machine.travel(OPEN)
def test_draft_with_invalid_fields_is_saved_and_nothing_is_lost(client, draft, applicant):
    client.force_login(applicant)
    data = form_data(
        draft,
        station_name="新名称驿站",
        built_on="2025-13-45",
        leader_mobile="123",
        area_m2="abc",
        leader_email="not-mail",
    )
    response = client.post(edit_url(draft), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"built_on", "leader_mobile", "area_m2", "leader_email"}
    assert "手机号" in form.errors["leader_mobile"][0]
    draft.refresh_from_db()
    assert draft.station_name == "新名称驿站"  # the valid rows are saved
    assert draft.draft_data == {
        "built_on": "2025-13-45",
        "leader_mobile": "123",
        "area_m2": "abc",
        "leader_email": "not-mail",
    }
    # reopening later shows exactly what was typed, with the errors beside the fields
    response = client.get(edit_url(draft))
    body = response.content.decode()
    for typed in ('value="2025-13-45"', 'value="123"', 'value="abc"', 'value="not-mail"'):
        assert typed in body
    assert "leader_mobile" in response.context["form"].errors
    # and the status page says what is missing
    assert any(
        "手机号码" in str(step)
        for step in client.get(reverse("stations:application_detail", args=[draft.pk])).context[
            "next_steps"
        ]
    )


@time_machine.travel(OPEN)
def test_correcting_a_field_clears_its_kept_input(client, draft, applicant):
    client.force_login(applicant)
    client.post(edit_url(draft), form_data(draft, leader_mobile="123"))
    draft.refresh_from_db()
    client.post(edit_url(draft), form_data(draft, leader_mobile="13700002222"))
    draft.refresh_from_db()
    assert draft.draft_data == {} and draft.leader_mobile == "13700002222"


@time_machine.travel(OPEN)
def test_concurrent_edits_warn_instead_of_overwriting(client, draft, unit):
    first = factories.applicant_user(unit)
    second = factories.applicant_user(unit, is_admin=False)
    opened = form_data(draft)  # both open the form at lock version 0

    client.force_login(first)
    assert client.post(edit_url(draft), {**opened, "activities": "甲的版本"}).status_code == 302
    client.force_login(second)
    response = client.post(edit_url(draft), {**opened, "activities": "乙的版本"})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.activities == "甲的版本"
    assert any("活动开展情况及效果" in str(m) for m in response.context["messages"])
    # the second user's typing is still in the form; saving again keeps his version
    assert "乙的版本" in response.content.decode()
    newer = response.context["form"]["lock_version"].value()
    response = client.post(
        edit_url(draft), {**opened, "activities": "乙的版本", "lock_version": newer}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.activities == "乙的版本"


@time_machine.travel(OPEN)
def test_an_edit_voids_the_stamped_scan_and_a_save_without_change_does_not(
    client, draft, applicant
):
    client.force_login(applicant)
    client.post(
        reverse("stations:stamped_scan_upload", args=[draft.pk]), {"scan-file": pdf_upload()}
    )
    draft.refresh_from_db()
    assert draft.stamped_scan is not None
    client.post(edit_url(draft), form_data(draft))  # nothing changed
    draft = Application.objects.get(pk=draft.pk)
    assert draft.stamped_scan is not None
    response = client.post(edit_url(draft), form_data(draft, staffing="专职人员3名"), follow=True)
    draft = Application.objects.get(pk=draft.pk)
    assert draft.stamped_scan is None
    assert not Attachment.objects.filter(kind=Attachment.Kind.STAMPED_SCAN).exists()
    assert any("盖章扫描件" in str(m) for m in response.context["messages"])


@time_machine.travel(OPEN)
def test_submission_needs_every_row_and_the_stamped_scan(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(edit_url(draft), {**form_data(draft, address=""), "submit": "1"})
    assert "address" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == "draft"
    response = client.post(
        edit_url(draft), {**form_data(draft, address="高新大道9号"), "submit": "1"}, follow=True
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert any("公章" in str(m) for m in response.context["messages"])
    client.post(
        reverse("stations:stamped_scan_upload", args=[draft.pk]), {"scan-file": pdf_upload()}
    )
    draft.refresh_from_db()
    response = client.post(edit_url(draft), {**form_data(draft), "submit": "1"})
    assert response.url == reverse("stations:application_detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.submitted_at is not None
    assert draft.revisions.get().data["address"] == "高新大道9号"


@time_machine.travel(OPEN)
def test_stamped_scan_not_needed_when_policy_says_so(client, unit, applicant):
    policy = PolicyVersion.objects.create(
        **{**PolicyVersion.current().rule_values(), "stamped_scan_required": False}
    )
    application = factories.ApplicationFactory(
        host_unit=unit, call__policy_version=policy, stamped_scan=False
    )
    client.force_login(applicant)
    client.post(edit_url(application), {**form_data(application), "submit": "1"})
    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "submitted"),
    [("2026-09-30 23:59:59 +0800", True), ("2026-10-01 00:00:00 +0800", False)],
)
def test_close_date_is_inclusive_until_2359_shanghai(client, draft, applicant, moment, submitted):
    factories.AttachmentFactory(application=draft, kind=Attachment.Kind.STAMPED_SCAN)
    client.force_login(applicant)
    with time_machine.travel(moment):
        client.post(edit_url(draft), {**form_data(draft), "submit": "1"})
    draft.refresh_from_db()
    assert (draft.status == "submitted") is submitted


@pytest.mark.django_db
def test_returned_application_can_be_corrected_after_the_close_date(
    client, draft, applicant, staff_user
):
    factories.AttachmentFactory(application=draft, kind=Attachment.Kind.STAMPED_SCAN)
    with time_machine.travel(OPEN):
        perform(draft, "submit", by=applicant)
    perform(draft, "return_for_correction", by=staff_user, reason="请补充场地面积说明")
    assert draft.revision == 2
    client.force_login(applicant)
    with time_machine.travel("2026-10-15 10:00 +0800"):
        response = client.post(
            edit_url(draft), {**form_data(draft, area_m2="300"), "submit": "1"}, follow=True
        )
        draft.refresh_from_db()
        assert draft.status == "returned"  # the edit voided the scan: a new one is needed
        client.post(
            reverse("stations:stamped_scan_upload", args=[draft.pk]), {"scan-file": pdf_upload()}
        )
        draft.refresh_from_db()
        client.post(edit_url(draft), {**form_data(draft), "submit": "1"})
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert [r.revision for r in draft.revisions.all()] == [1, 2]
    assert response.status_code == 200


@time_machine.travel(OPEN)
def test_submitted_application_is_read_only(client, draft, applicant):
    factories.AttachmentFactory(application=draft, kind=Attachment.Kind.STAMPED_SCAN)
    perform(draft, "submit", by=applicant)
    client.force_login(applicant)
    response = client.get(edit_url(draft))
    assert response.url == reverse("stations:application_detail", args=[draft.pk])
    client.post(edit_url(draft), form_data(draft, activities="偷偷改"))
    draft.refresh_from_db()
    assert draft.activities != "偷偷改"
    response = client.post(
        reverse("stations:attachment_upload", args=[draft.pk]),
        {"attachment-kind": "other", "attachment-file": pdf_upload()},
    )
    assert response.status_code == 403


@time_machine.travel(OPEN)
def test_unconfirmed_code_cannot_submit_and_is_told_why(client, call):
    unit = factories.HostUnitFactory(credit_code="91350211M0000XUF46")
    applicant = factories.applicant_user(unit)
    application = factories.ApplicationFactory(call=call, host_unit=unit)
    client.force_login(applicant)
    response = client.post(
        edit_url(application), {**form_data(application), "submit": "1"}, follow=True
    )
    application.refresh_from_db()
    assert application.status == "draft"
    assert any("统一社会信用代码" in str(m) for m in response.context["messages"])


@time_machine.travel(OPEN)
def test_attachments_upload_list_download_remove(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("stations:attachment_upload", args=[draft.pk])
    response = client.post(
        url,
        {
            "attachment-kind": "venue_photo",
            "attachment-file": SimpleUploadedFile("场地.png", factories.TINY_PNG),
        },
    )
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert (attachment.original_name, attachment.size) == ("场地.png", len(factories.TINY_PNG))
    page = client.get(edit_url(draft)).content.decode()
    assert "场地.png" in page
    download = client.get(reverse("stations:attachment_download", args=[draft.pk, attachment.pk]))
    assert download["Content-Type"] == "image/png"
    assert "attachment" in download["Content-Disposition"]
    client.post(reverse("stations:attachment_delete", args=[draft.pk, attachment.pk]))
    assert not draft.attachments.exists()


@time_machine.travel(OPEN)
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        ("photo.jpg", factories.TINY_PNG),
        ("photo.pdf", b"%!PS-Adobe-3.0\n"),
    ],
)
def test_forged_upload_is_refused(client, draft, applicant, name, content):
    client.force_login(applicant)
    response = client.post(
        reverse("stations:attachment_upload", args=[draft.pk]),
        {"attachment-kind": "other", "attachment-file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "file" in response.context["attachment_form"].errors
    assert not draft.attachments.exists()


@time_machine.travel(OPEN)
def test_upload_size_limit_comes_from_the_calls_policy(client, unit, applicant):
    policy = PolicyVersion.objects.create(
        **{**PolicyVersion.current().rule_values(), "upload_max_mb": 1}
    )
    application = factories.ApplicationFactory(host_unit=unit, call__policy_version=policy)
    client.force_login(applicant)
    big = SimpleUploadedFile("big.pdf", factories.TINY_PDF + b"0" * (1024 * 1024 + 1))
    response = client.post(
        reverse("stations:attachment_upload", args=[application.pk]),
        {"attachment-kind": "other", "attachment-file": big},
    )
    assert response.status_code == 400
    assert "1.0" in response.context["attachment_form"].errors["file"][0]


@time_machine.travel(OPEN)
def test_another_unit_cannot_read_change_or_download_by_guessing(client, draft, other_unit):
    attachment = factories.AttachmentFactory(application=draft)
    intruder = factories.applicant_user(other_unit)
    own = factories.ApplicationFactory(host_unit=other_unit, call=draft.call)
    client.force_login(intruder)
    get_urls = [
        reverse("stations:application_detail", args=[draft.pk]),
        edit_url(draft),
        reverse("stations:application_pdf", args=[draft.pk]),
        reverse("stations:attachment_download", args=[draft.pk, attachment.pk]),
    ]
    for url in get_urls:
        assert client.get(url).status_code == 404, url
    post_urls = [
        edit_url(draft),
        reverse("stations:attachment_upload", args=[draft.pk]),
        reverse("stations:stamped_scan_upload", args=[draft.pk]),
        reverse("stations:attachment_delete", args=[draft.pk, attachment.pk]),
    ]
    for url in post_urls:
        assert client.post(url, {**form_data(draft, activities="x")}).status_code == 404, url
    # the other application's attachment through the intruder's own application id
    assert (
        client.get(
            reverse("stations:attachment_download", args=[own.pk, attachment.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("stations:attachment_delete", args=[own.pk, attachment.pk])).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.activities != "x" and Attachment.objects.filter(pk=attachment.pk).exists()


@time_machine.travel(OPEN)
def test_status_page_shows_number_state_next_step_and_history(client, draft, applicant, staff_user):
    client.force_login(applicant)
    body = client.get(reverse("stations:application_detail", args=[draft.pk])).content.decode()
    assert draft.number in body and "草稿" in body
    assert "公章" in body  # the next step: the stamped scan
    factories.AttachmentFactory(application=draft, kind=Attachment.Kind.STAMPED_SCAN)
    perform(draft, "submit", by=applicant)
    body = client.get(reverse("stations:application_detail", args=[draft.pk])).content.decode()
    assert "已提交" in body and "形式审查" in body


@time_machine.travel(OPEN)
def test_staff_and_officials_read_and_download_the_pdf(client, draft, staff_user, official_user):
    for user in (staff_user, official_user):
        client.force_login(user)
        response = client.get(reverse("stations:application_pdf", args=[draft.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"


@time_machine.travel(OPEN)
@pytest.mark.parametrize("rows", [1, 15])
def test_edit_and_status_pages_use_constant_queries(
    client, draft, applicant, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        factories.AttachmentFactory(application=draft)
    client.force_login(applicant)
    with django_assert_max_num_queries(20):
        assert client.get(edit_url(draft)).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("stations:application_detail", args=[draft.pk])).status_code == 200
        )


@pytest.mark.django_db
def test_not_relying_on_host_then_relying_requires_the_institution(client, draft, applicant):
    with time_machine.travel(OPEN):
        client.force_login(applicant)
        data = {**form_data(draft, relies_on_host="True"), "submit": "1"}
        response = client.post(edit_url(draft), data)
    errors = response.context["form"].errors
    assert "host_institution_name" in errors and "host_institution_credit_code" in errors
