"""The unit's Annex 1: start, edit (drafts), attachments, stamped scan, PDF, status page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from talentstation.access_log import VIEW, record_access
from talentstation.rules import Refused, require, require_visible
from talentstation.submissions import submit_once
from talentstation.uploads import serve_protected
from talentstation.workflow import history

from .. import progress, rules, services
from ..documents import annex1_filename, annex1_pdf
from ..forms import ApplicationForm, AttachmentForm, StampedScanForm, StartApplicationForm
from ..models import Application, Attachment, Call


def _application(request, pk, rule=rules.view_application):
    application = get_object_or_404(
        Application.objects.select_related(
            "call__policy_version", "station", "host_unit"
        ).prefetch_related("attachments"),
        pk=pk,
    )
    require_visible(rules.view_application, request.user, application)
    if rule is not rules.view_application:
        require(rule, request.user, application)
    return application


@login_required
@require_POST
def start(request, call_pk):
    call = get_object_or_404(Call.objects.published(), pk=call_pk)
    require(rules.start_application, request.user, call)
    unit = rules.unit_of(request.user)
    form = StartApplicationForm(request.POST, unit=unit)
    if not form.is_valid():
        messages.error(request, _("Choose one of your unit's stations, or a new station."))
        return redirect("stations:my_unit")
    try:
        application = services.start_application(
            unit, call, by=request.user, station=form.cleaned_data["station"]
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("stations:my_unit")
    messages.success(
        request,
        _("Application %(number)s: save the draft whenever you like.")
        % {"number": application.number},
    )
    return redirect("stations:application_edit", pk=application.pk)


def _edit_page(request, application, form=None, *, status=200, **forms):
    max_bytes = application.call.policy_version.upload_max_bytes
    context = {
        "application": application,
        "form": form or ApplicationForm.for_page(application),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(max_bytes=max_bytes),
        "scan_form": forms.get("scan_form") or StampedScanForm(max_bytes=max_bytes),
        "attachments": [
            a for a in application.attachments.all() if a.kind != Attachment.Kind.STAMPED_SCAN
        ],
        "stamped_scan": application.stamped_scan,
        "scan_required": application.call.policy_version.stamped_scan_required,
        "next_steps": services.next_steps(application),
    }
    return render(request, "stations/application_edit.html", context, status=status)


@login_required
def edit(request, pk):
    application = _application(request, pk)
    decision = rules.edit_application.check(request.user, application)
    if not decision:
        messages.info(request, decision.reason)
        return redirect("stations:application_detail", pk=application.pk)
    if request.method == "POST":
        return _save(request, application)
    return _edit_page(request, application)


def _conflict_message(fields):
    return _(
        "Someone else of your unit saved this application while you were editing it, so "
        "your changes were not saved yet. Where the saved version differs from yours: "
        "%(fields)s. Check the form and save again to keep your version."
    ) % {"fields": "、".join(str(f) for f in fields) or "—"}


VOIDED_SCAN = gettext_lazy(
    "The application changed, so the stamped scan no longer matches and was removed. "
    "Download the new PDF, stamp it and upload the scan again."
)


def _save(request, application):
    """Save what was typed (valid or not); submit it when the submit button was used."""
    submitting = "submit" in request.POST
    form = ApplicationForm(request.POST, instance=application, submitting=submitting)
    form.is_valid()
    result = services.save_annex1(application, form, by=request.user)
    if not result.saved:
        messages.error(request, _conflict_message(result.conflict_fields))
        current = Application.objects.get(pk=application.pk)
        return _edit_page(request, application, form.rebound(current), status=409)
    if result.voided_scan:
        messages.warning(request, VOIDED_SCAN)
    if form.errors:
        messages.error(
            request,
            _(
                "Saved as a draft. Some entries need correcting; see the "
                "messages beside the fields."
            ),
        )
        fresh = _application(request, application.pk)
        return _edit_page(request, fresh, form.rebound(fresh))
    if not submitting:
        messages.success(request, _("Draft saved."))
        return redirect("stations:application_edit", pk=application.pk)
    try:
        services.submit(application, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("stations:application_edit", pk=application.pk)
    messages.success(
        request, _("Application %(number)s has been submitted.") % {"number": application.number}
    )
    return redirect("stations:application_detail", pk=application.pk)


def _upload(request, pk, form_class, form_name, store, done):
    """The two upload forms of the edit page: check the file, store it, or show the page
    again with the form's errors."""
    application = _application(request, pk, rules.edit_application)
    max_bytes = application.call.policy_version.upload_max_bytes
    form = form_class(request.POST, request.FILES, max_bytes=max_bytes)
    if not form.is_valid():
        return _edit_page(request, application, status=400, **{form_name: form})
    store(application, form.cleaned_data, request.user)
    messages.success(request, done)
    return redirect("stations:application_edit", pk=application.pk)


@login_required
@require_POST
@submit_once
def upload_attachment(request, pk):
    def store(application, data, user):
        services.add_attachment(application, kind=data["kind"], upload=data["file"], by=user)

    return _upload(request, pk, AttachmentForm, "attachment_form", store, _("File uploaded."))


@login_required
@require_POST
def upload_stamped_scan(request, pk):
    def store(application, data, user):
        services.replace_stamped_scan(application, upload=data["file"], by=user)

    return _upload(request, pk, StampedScanForm, "scan_form", store, _("Stamped scan uploaded."))


@login_required
@require_POST
def delete_attachment(request, pk, attachment_pk):
    application = _application(request, pk, rules.edit_application)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    services.remove_attachment(attachment)
    messages.success(request, _("File removed."))
    return redirect("stations:application_edit", pk=application.pk)


@login_required
def download_attachment(request, pk, attachment_pk):
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    require(rules.download_attachment_rule(attachment), request.user, attachment)
    return serve_protected(attachment.file, attachment.original_name)


@login_required
def pdf(request, pk):
    application = _application(request, pk)
    from talentstation.documents import pdf_response

    return pdf_response(annex1_pdf(application), annex1_filename(application), subject=application)


@login_required
def detail(request, pk):
    """The status page: number, state in plain words, what to do next, history."""
    application = _application(request, pk)
    user = request.user
    log = list(history(application))
    context = {
        "application": application,
        "rows": services.annex1_rows(application),
        "history": log,
        "steps": progress.stepper(application, log),
        "next_steps": services.next_steps(application),
        "attachments": [
            a for a in application.attachments.all() if rules.may_download_attachment(user, a)
        ],
        "may_edit": rules.edit_application(user, application),
        "is_own": rules.is_unit_member(user, application),
    }
    if not context["is_own"]:  # staff, officials, experts see its contact persons
        record_access(request, application, VIEW, str(application))
    return render(request, "stations/application_detail.html", context)
