"""The unit's Annex 1: start, edit (drafts), attachments, stamped scan, PDF, status page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentstation.access import require
from talentstation.uploads import serve_protected
from talentstation.workflow import TransitionRefused, history, perform

from .. import access, services
from ..documents import annex1_filename, annex1_pdf
from ..forms import ApplicationForm, AttachmentForm, StampedScanForm
from ..models import Application, Attachment, Call, Station


def _application(pk):
    return get_object_or_404(
        Application.objects.select_related(
            "call__policy_version", "station", "host_unit"
        ).prefetch_related("attachments"),
        pk=pk,
    )


@login_required
@require_POST
def start(request, call_pk):
    call = get_object_or_404(Call, pk=call_pk)
    unit = access.unit_of(request.user)
    require(access.start_application(request.user, call))
    existing = Application.objects.filter(call=call, host_unit=unit).first()
    if existing is not None:
        messages.info(request, _("Your unit already has an application in this call."))
        return redirect("stations:application_edit", pk=existing.pk)
    station = None
    if station_pk := request.POST.get("station"):
        station = get_object_or_404(
            Station, pk=station_pk, host_unit=unit, status=Station.Status.NOT_SELECTED
        )
    try:
        application = services.start_application(unit, call, by=request.user, station=station)
    except (IntegrityError, TransitionRefused):
        messages.error(request, _("The application could not be started; please try again."))
        return redirect("stations:my_unit")
    messages.success(
        request,
        _("Application %(number)s started. Save the draft whenever you like.")
        % {"number": application.number},
    )
    return redirect("stations:application_edit", pk=application.pk)


def _bound_from_draft(application):
    """A form showing the saved values with what was typed but not valid yet, and its errors."""
    form = ApplicationForm(instance=application)
    data = {name: form[name].value() for name in form.fields}
    data.update(application.draft_data)
    data["lock_version"] = application.lock_version
    bound = ApplicationForm(data, instance=Application.objects.get(pk=application.pk))
    bound.is_valid()
    return bound


def _edit_context(request, application, form):
    max_bytes = application.call.policy_version.upload_max_bytes
    return {
        "application": application,
        "form": form,
        "attachment_form": AttachmentForm(max_bytes=max_bytes),
        "scan_form": StampedScanForm(max_bytes=max_bytes),
        "attachments": [
            a for a in application.attachments.all() if a.kind != Attachment.Kind.STAMPED_SCAN
        ],
        "stamped_scan": application.stamped_scan,
        "scan_required": application.call.policy_version.stamped_scan_required,
        "next_steps": services.next_steps(application),
    }


@login_required
def edit(request, pk):
    application = _application(pk)
    decision = access.change_application(request.user, application)
    if not decision and access.view_application(request.user, application):
        messages.info(request, decision.reason)
        return redirect("stations:application_detail", pk=application.pk)
    require(decision)

    if request.method != "POST":
        form = _form_for_page(application)
        return render(
            request, "stations/application_edit.html", _edit_context(request, application, form)
        )

    submitting = "submit" in request.POST
    form = ApplicationForm(request.POST, instance=application, submitting=submitting)
    form.is_valid()
    result = services.save_annex1(application, form, by=request.user)
    if not result.saved:
        messages.error(
            request,
            _(
                "Someone else of your unit saved this application while you were editing it, so "
                "your changes were not saved yet. Where the saved version differs from yours: "
                "%(fields)s. Check the form and save again to keep your version."
            )
            % {"fields": "、".join(str(f) for f in result.conflict_fields) or "—"},
        )
        data = request.POST.copy()
        data["lock_version"] = Application.objects.get(pk=application.pk).lock_version
        form = ApplicationForm(data, instance=application, submitting=submitting)
        form.is_valid()
        return render(
            request,
            "stations/application_edit.html",
            _edit_context(request, application, form),
            status=409,
        )
    if result.voided_scan:
        messages.warning(
            request,
            _(
                "The application changed, so the stamped scan no longer matches and was removed. "
                "Download the new PDF, stamp it and upload the scan again."
            ),
        )
    if form.errors:
        messages.error(
            request,
            _(
                "Saved as a draft. Some entries need correcting; see the "
                "messages beside the fields."
            ),
        )
        fresh = _application(pk)
        form.instance = fresh
        return render(
            request,
            "stations/application_edit.html",
            _edit_context(request, fresh, _rebind(form, fresh)),
            status=200,
        )
    if submitting:
        name = "resubmit" if application.status == Application.Status.RETURNED else "submit"
        try:
            perform(application, name, by=request.user)
        except TransitionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("stations:application_edit", pk=application.pk)
        messages.success(
            request,
            _("Application %(number)s has been submitted.") % {"number": application.number},
        )
        return redirect("stations:application_detail", pk=application.pk)
    messages.success(request, _("Draft saved."))
    return redirect("stations:application_edit", pk=application.pk)


def _rebind(form, application):
    """The same typed data with the new lock version, errors kept."""
    data = form.data.copy()
    data["lock_version"] = application.lock_version
    rebound = ApplicationForm(data, instance=application, submitting=form.submitting)
    rebound.is_valid()
    return rebound


@login_required
@require_POST
def upload_attachment(request, pk):
    application = _application(pk)
    require(access.change_application(request.user, application))
    form = AttachmentForm(
        request.POST, request.FILES, max_bytes=application.call.policy_version.upload_max_bytes
    )
    if form.is_valid():
        services.add_attachment(
            application,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            by=request.user,
        )
        messages.success(request, _("File uploaded."))
        return redirect("stations:application_edit", pk=application.pk)
    context = _edit_context(request, application, _form_for_page(application))
    context["attachment_form"] = form
    return render(request, "stations/application_edit.html", context, status=400)


@login_required
@require_POST
def upload_stamped_scan(request, pk):
    application = _application(pk)
    require(access.change_application(request.user, application))
    form = StampedScanForm(
        request.POST, request.FILES, max_bytes=application.call.policy_version.upload_max_bytes
    )
    if form.is_valid():
        services.replace_stamped_scan(
            application, upload=form.cleaned_data["file"], by=request.user
        )
        messages.success(request, _("Stamped scan uploaded."))
        return redirect("stations:application_edit", pk=application.pk)
    context = _edit_context(request, application, _form_for_page(application))
    context["scan_form"] = form
    return render(request, "stations/application_edit.html", context, status=400)


def _form_for_page(application):
    if application.draft_data:
        return _bound_from_draft(application)
    return ApplicationForm(instance=application, initial={"lock_version": application.lock_version})


@login_required
@require_POST
def delete_attachment(request, pk, attachment_pk):
    application = _application(pk)
    require(access.change_application(request.user, application))
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    services.remove_attachment(attachment)
    messages.success(request, _("File removed."))
    return redirect("stations:application_edit", pk=application.pk)


@login_required
def download_attachment(request, pk, attachment_pk):
    application = _application(pk)
    require(access.view_application(request.user, application))
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return serve_protected(attachment.file, attachment.original_name)


@login_required
def pdf(request, pk):
    application = _application(pk)
    require(access.view_application(request.user, application))
    from talentstation.documents import pdf_response

    return pdf_response(annex1_pdf(application), annex1_filename(application))


@login_required
def detail(request, pk):
    """The status page: number, state in plain words, what to do next, history."""
    application = _application(pk)
    require(access.view_application(request.user, application))
    rows = [
        (application._meta.get_field(name).verbose_name, _display(application, name))
        for name in Application.ANNEX1_FIELDS
    ]
    context = {
        "application": application,
        "rows": rows,
        "history": history(application),
        "next_steps": services.next_steps(application),
        "attachments": application.attachments.all(),
        "may_edit": access.change_application(request.user, application).allowed,
        "is_own": access.unit_of(request.user) == application.host_unit,
    }
    return render(request, "stations/application_detail.html", context)


def _display(obj, name):
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
