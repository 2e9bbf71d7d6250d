"""Pages of rectification orders (Art. 14): the staff list, an order's page (staff act,
officials read, the unit sees its own), the forms posted from it (issue, re-inspection,
revocation), the unit's report form, the notice PDF and the evidence, the draft-from-cycle
action, the order made by hand, and revoking a certified station for another reason. The work
is in :mod:`awards.rectification`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import AssessmentCycle
from stations.models import Station
from talentstation.documents import pdf_response
from talentstation.pages import attempt, export_refused, query_without_page
from talentstation.rules import Refused, require, require_visible
from talentstation.spreadsheets import xlsx_response
from talentstation.submissions import submit_once
from talentstation.uploads import serve_protected
from talentstation.workflow import history

from .. import exports, rectification, rules
from ..documents_rectification import notice_filename, notice_pdf
from ..filters import RectificationFilter
from ..forms.rectification import InspectionForm, IssueForm, OrderForm, ReportForm, RevokeForm


@login_required
def order_list(request):
    require(rules.view_outcomes, request.user)
    filters = RectificationFilter(request.GET)
    orders = filters.apply(rectification.orders_for_list(), filters.values(request))
    context = {
        "page": Paginator(orders, 50).get_page(request.GET.get("page")),
        "may_act": rules.manage_rectification(request.user),
        "filters": filters,
        "query": query_without_page(request),
    }
    return render(request, "awards/rectification_list.html", context, status=filters.status_code)


@login_required
def order_list_xlsx(request):
    """The list of rectification orders as xlsx, filtered as the list."""
    require(rules.view_outcomes, request.user)
    filters = RectificationFilter(request.GET)
    values = filters.values()
    if filters.status_code != 200:
        return export_refused(request, "awards:rectification_list")
    orders = filters.apply(rectification.orders_for_list(), values)
    return xlsx_response(*exports.rectification_export(orders, filters.describe(values)))


def _order(request, pk):
    order = get_object_or_404(rectification.order_queryset(), pk=pk)
    require_visible(rules.view_rectification, request.user, order)
    return order


def _detail_page(request, order, *, status=200, **forms):
    may_act = rules.manage_rectification(request.user)
    context = {
        "order": order,
        "problems": rectification.problems_of(order),
        "history": history(order),
        "may_act": may_act,
        "may_report": rules.file_rectification_report(request.user, order),
        "issue_form": forms.get("issue_form") or IssueForm(prefix="issue"),
        "inspection_form": forms.get("inspection_form") or InspectionForm(prefix="inspect"),
        "revoke_form": forms.get("revoke_form") or RevokeForm(prefix="revoke"),
    }
    return render(request, "awards/rectification_detail.html", context, status=status)


@login_required
def order_detail(request, pk):
    return _detail_page(request, _order(request, pk))


@login_required
def notice(request, pk):
    order = _order(request, pk)
    return pdf_response(notice_pdf(order), notice_filename(order))


@login_required
def evidence(request, pk):
    order = _order(request, pk)
    if not order.report_file:
        return redirect("awards:rectification_detail", pk=order.pk)
    return serve_protected(order.report_file, _("rectification evidence"))


def _staff_order(request, pk):
    order = _order(request, pk)
    require(rules.manage_rectification, request.user)
    return order


@login_required
@require_POST
def issue(request, pk):
    order = _staff_order(request, pk)
    form = IssueForm(request.POST, prefix="issue")
    if form.is_valid() and attempt(
        request,
        lambda: rectification.issue(order, by=request.user, **form.cleaned_data),
        _("The rectification notice is issued; the station is under rectification."),
    ):
        return redirect("awards:rectification_detail", pk=order.pk)
    return _detail_page(request, order, status=400, issue_form=form)


@login_required
@require_POST
def inspect(request, pk):
    order = _staff_order(request, pk)
    form = InspectionForm(request.POST, prefix="inspect")
    passed = "pass" in request.POST
    if form.is_valid() and attempt(
        request,
        lambda: rectification.inspect(order, by=request.user, passed=passed, **form.cleaned_data),
        _("The re-inspection is recorded."),
    ):
        return redirect("awards:rectification_detail", pk=order.pk)
    return _detail_page(request, order, status=400, inspection_form=form)


@login_required
@require_POST
def revoke(request, pk):
    order = _staff_order(request, pk)
    form = RevokeForm(request.POST, prefix="revoke")
    if form.is_valid() and attempt(
        request,
        lambda: rectification.revoke(
            order,
            by=request.user,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["notice_date"],
        ),
        _("The plaque is revoked."),
    ):
        return redirect("awards:rectification_detail", pk=order.pk)
    return _detail_page(request, order, status=400, revoke_form=form)


@login_required
def report(request, pk):
    order = _order(request, pk)
    require(rules.file_rectification_report, request.user, order)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = _("Your rectification report is filed.")
        if attempt(
            request,
            lambda: rectification.file_report(
                order,
                by=request.user,
                text=form.cleaned_data["text"],
                evidence=form.cleaned_data["evidence"],
            ),
            done,
        ):
            return redirect("awards:rectification_detail", pk=order.pk)
    status = 400 if form.errors else 200
    return render(
        request, "awards/rectification_report.html", {"order": order, "form": form}, status=status
    )


@login_required
@require_POST
def draft_from_cycle(request, cycle_pk):
    require(rules.manage_rectification, request.user)
    cycle = get_object_or_404(AssessmentCycle.objects.select_related("policy_version"), pk=cycle_pk)
    try:
        created = rectification.draft_orders(cycle, by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Draft orders made: %(count)s.") % {"count": len(created)})
    return redirect("awards:rectification_list")


@login_required
@submit_once
def create(request):
    require(rules.manage_rectification, request.user)
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = []
        data = form.cleaned_data
        if attempt(
            request,
            lambda: created.append(
                rectification.create_order(
                    data["station"],
                    by=request.user,
                    reason=data["reason"],
                    problem=data["problem"],
                    requirement=data["requirement"],
                )
            ),
            _("The draft order is made: check its problems, then issue it."),
        ):
            return redirect("awards:rectification_detail", pk=created[0].pk)
    status = 400 if form.errors else 200
    return render(request, "awards/rectification_create.html", {"form": form}, status=status)


@login_required
def station_revoke(request, pk):
    """Revoke a certified station's plaque for another serious reason (staff)."""
    station = get_object_or_404(Station.objects.select_related("host_unit"), pk=pk)
    require(rules.manage_rectification, request.user)
    form = RevokeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: rectification.revoke_station(
                station,
                by=request.user,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["notice_date"],
            ),
            _("The plaque is revoked."),
        )
    ):
        return redirect("stations:station_detail", pk=station.pk)
    status = 400 if form.errors else 200
    context = {"station": station, "form": form}
    return render(request, "awards/rectification_station_revoke.html", context, status=status)
