"""District lists of station records for bureau staff and officials: plans and summaries by
year (who is late) and talent referrals. Staff decide with the buttons of each row."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.shortcuts import render

from talentstation.dates import today
from talentstation.pages import query_without_page
from talentstation.rules import require

from .. import records, rules
from ..forms.records import ReferralFilter, ReportFilter
from ..models import ReportKind, TalentReferral


def _selected(values):
    return {key: "" if value is None else str(value) for key, value in values.items()}


@login_required
def staff_reports(request):
    require(rules.view_district_records, request.user)
    filters = ReportFilter(request.GET)
    values = filters.values(request)
    year = values["year"] or today().year
    late = {"yes": True, "no": False}.get(values["late"] or "")
    result = records.district_reports(
        year, kind=values["kind"] or None, late=late, page=request.GET.get("page")
    )
    context = {
        "result": result,
        "page": result.page,
        "kinds": ReportKind.choices,
        "selected": {**_selected(values), "year": str(year)},
        "query": query_without_page(request),
    }
    return render(
        request, "assessments/report_staff_list.html", context, status=filters.status_code
    )


@login_required
def staff_referrals(request):
    require(rules.view_district_records, request.user)
    filters = ReferralFilter(request.GET)
    values = filters.values(request)
    waiting = Q(status=TalentReferral.Status.RECORDED)
    referrals = (
        TalentReferral.objects.select_related("station__host_unit")
        .alias(waiting=ExpressionWrapper(waiting, output_field=BooleanField()))
        .order_by("-waiting", "-year", "station__name", "pk")
    )
    page = Paginator(filters.apply(referrals, values), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "may_open_evidence": rules.download_any_referral_evidence(request.user),
        "statuses": TalentReferral.Status.choices,
        "levels": TalentReferral._meta.get_field("level").choices,
        "outcomes": TalentReferral.Outcome.choices,
        "selected": _selected(values),
        "query": query_without_page(request),
    }
    return render(
        request, "assessments/referral_staff_list.html", context, status=filters.status_code
    )
