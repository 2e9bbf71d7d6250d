"""Bureau staff's acceptance queue of the district's log entries (officials read it), and the
correction form (new values with a reason). Accepting and rejecting run through the shared
transition endpoint (talentstation.views_workflow) from the queue and the entry pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from talentstation.pages import export_refused, query_without_page
from talentstation.rules import Refused, require
from talentstation.spreadsheets import xlsx_response

from .. import exports, operations, rules
from ..forms.activities import ActivityCorrectionForm, QueueFilter, ServiceCorrectionForm
from ..models import Activity, ReviewedEntry, ServiceRecord
from .station_log import PAGE_SIZE, _entry, _form_page


def _filtered_queue(request, *, say_why=True):
    """The filter form, its valid values, the model and the entries; ``say_why``: an invalid
    filter is told to the user (the export leaves it to the list it redirects to)."""
    filters = QueueFilter(request.GET)
    values = filters.values(request if say_why else None)
    model = ServiceRecord if values["entry"] == "service" else Activity
    return filters, values, model, operations.district_entries(model, **values)


@login_required
def queue(request):
    require(rules.view_queue, request.user)
    filters, values, model, entries = _filtered_queue(request)
    context = {
        "page": Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query_without_page(request),
        "filters": filters,
        "selected": {key: "" if value is None else str(value) for key, value in values.items()},
        "is_services": model is ServiceRecord,
        "may_review": rules.review_entries(request.user),
        "statuses": ReviewedEntry.Status.choices,
    }
    return render(request, "assessments/queue_list.html", context, status=filters.status_code)


@login_required
def queue_xlsx(request):
    """The queue as filtered, as xlsx (an invalid filter: back to the list, which says why)."""
    require(rules.view_queue, request.user)
    filters, values, model, entries = _filtered_queue(request, say_why=False)
    if filters.status_code != 200:
        return export_refused(request, "assessments:queue")
    services = model is ServiceRecord
    return xlsx_response(*exports.queue_export(entries, filters, values, services=services))


def _correct(request, model, pk, form_class, title):
    entry = _entry(request, model, pk)
    require(rules.review_entries, request.user, entry)
    form = form_class(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            operations.correct(entry, form.cleaned_data, by=request.user, reason=reason)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The entry is corrected and accepted."))
            return redirect(entry)
    context = {"station": entry.station, "form": form, "title": title, "entry": entry}
    return _form_page(request, context, status=400 if form.is_bound else 200)


@login_required
def activity_correct(request, pk):
    return _correct(request, Activity, pk, ActivityCorrectionForm, _("Correct the activity"))


@login_required
def service_correct(request, pk):
    title = _("Correct the service record")
    return _correct(request, ServiceRecord, pk, ServiceCorrectionForm, title)
