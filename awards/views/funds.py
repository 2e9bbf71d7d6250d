"""Pages of the award money: the lists of awards and usage reports (staff and officials), the
payment form (staff), a usage report's page (with the staff's accept and return buttons) and
the unit's forms of its report (text and signed report, add a line, delete a line, submit).
One view per form; the work is in :mod:`awards.funds`."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentstation.clients import client_key
from talentstation.pages import attempt, export_refused, query_without_page
from talentstation.rules import require, require_visible
from talentstation.spreadsheets import xlsx_response
from talentstation.submissions import submit_once
from talentstation.uploads import serve_protected
from talentstation.workflow import history

from .. import exports, funds, rules
from ..filters import AwardFilter
from ..forms.funds import PayForm, UsageLineForm, UsageReportForm
from ..models import Award, UsageLine, UsageReport

PAGE_SIZE = 50


def _form_page(request, template, context, form):
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


# --- awards -----------------------------------------------------------------------------------


@login_required
def award_list(request):
    require(rules.view_award_lists, request.user)
    filters = AwardFilter(request.GET)
    awards = filters.apply(funds.awards(), filters.values(request))
    page = Paginator(awards, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": funds.award_rows(page.object_list),
        "may_pay": rules.pay_awards(request.user),
        "station_links": True,
        "filters": filters,
        "query": query_without_page(request),
    }
    return render(request, "awards/funds_award_list.html", context, status=filters.status_code)


@login_required
def award_list_xlsx(request):
    """The list of awards as xlsx, filtered as the list."""
    require(rules.view_award_lists, request.user)
    filters = AwardFilter(request.GET)
    values = filters.values()
    if filters.status_code != 200:
        return export_refused(request, "awards:award_list")
    awards = funds.award_rows(filters.apply(funds.awards(), values))
    return xlsx_response(*exports.awards_export(awards, filters.describe(values)))


def _award(request, pk):
    award = get_object_or_404(
        Award.objects.select_related("station__host_unit", "entry__ranking__cycle"), pk=pk
    )
    require_visible(rules.view_award, request.user, award)
    return award


@login_required
def award_pay(request, pk):
    award = _award(request, pk)
    require(rules.pay_awards, request.user, award)
    form = PayForm(
        request.POST or None, request.FILES or None, award=award, client=client_key(request)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("voucher_file_kept", None)
        if attempt(
            request,
            lambda: funds.pay(award, by=request.user, **data),
            _("The payment is recorded; the unit is told to file its report on the use."),
        ):
            return redirect("awards:award_list")
    return _form_page(request, "awards/funds_pay.html", {"award": award}, form)


@login_required
def award_voucher(request, pk):
    award = _award(request, pk)
    require(rules.download_financial_files, request.user, award)
    if not award.voucher_file:
        raise Http404
    return serve_protected(
        award.voucher_file, _("voucher %(station)s") % {"station": award.station}
    )


# --- usage reports ----------------------------------------------------------------------------


@login_required
def report_list(request):
    require(rules.view_award_lists, request.user)
    page = Paginator(funds.usage_reports(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(report, report.is_late()) for report in page.object_list]
    return render(request, "awards/funds_report_list.html", {"page": page, "rows": rows})


def _report(request, pk):
    report = get_object_or_404(
        UsageReport.objects.select_related("award__station__host_unit", "award__entry"), pk=pk
    )
    require_visible(rules.view_usage_report, request.user, report)
    return report


def _editable_report(request, pk):
    report = _report(request, pk)
    require(rules.edit_usage_report, request.user, report)
    return report


@login_required
def usage_report(request, pk):
    report = _report(request, pk)
    lines = list(report.lines.all())
    context = {
        "report": report,
        "award": report.award,
        "lines": lines,
        "total": sum((line.amount for line in lines), start=Decimal("0.00")),
        "late": report.is_late(),
        "may_edit": rules.edit_usage_report(request.user, report),
        "may_open_financial": rules.download_financial_files(request.user, report),
        "staff_view": rules.view_award_lists(request.user),
        "history": history(report),
    }
    return render(request, "awards/funds_report_detail.html", context)


@login_required
def report_edit(request, pk):
    report = _editable_report(request, pk)
    form = UsageReportForm(
        request.POST or None, request.FILES or None, instance=report, client=client_key(request)
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request, lambda: funds.save_report(form, by=request.user), _("The report is saved.")
        )
    ):
        return redirect("awards:usage_report", pk=report.pk)
    return _form_page(request, "awards/funds_report_edit.html", {"report": report}, form)


@login_required
@submit_once
def line_add(request, pk):
    report = _editable_report(request, pk)
    form = UsageLineForm(
        request.POST or None,
        request.FILES or None,
        instance=UsageLine(report=report),
        client=client_key(request),
    )
    done = _("The line is added.")
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(request, lambda: funds.add_line(form, by=request.user), done)
    ):
        return redirect("awards:usage_report", pk=report.pk)
    return _form_page(request, "awards/funds_line_form.html", {"report": report}, form)


@login_required
@require_POST
def line_delete(request, pk, line_pk):
    report = _editable_report(request, pk)
    line = get_object_or_404(report.lines, pk=line_pk)
    attempt(request, lambda: funds.delete_line(line, by=request.user), _("The line is deleted."))
    return redirect("awards:usage_report", pk=report.pk)


@login_required
@require_POST
def report_submit(request, pk):
    report = _report(request, pk)
    require(rules.file_usage_report, request.user, report)
    attempt(
        request,
        lambda: funds.submit_report(report, by=request.user),
        _("The report is submitted to bureau staff."),
    )
    return redirect("awards:usage_report", pk=report.pk)


@login_required
def report_attachment(request, pk):
    report = _report(request, pk)
    if not report.attachment:
        raise Http404
    return serve_protected(report.attachment, str(report))


@login_required
def line_receipt(request, pk, line_pk):
    report = _report(request, pk)
    require(rules.download_financial_files, request.user, report)
    line = get_object_or_404(report.lines, pk=line_pk)
    if not line.receipt:
        raise Http404
    return serve_protected(line.receipt, _("receipt %(line)s") % {"line": line})
