"""The district's Art. 7(6) compliance page for bureau staff and officials: every live
station's accepted activities and person-times of a year against the minimums and the pace."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from talentstation.pages import query_without_page
from talentstation.rules import require

from .. import rules
from ..compliance import district_compliance
from ..forms.activities import ComplianceFilter
from .station_log import PAGE_SIZE


@login_required
def district(request):
    require(rules.view_compliance, request.user)
    filters = ComplianceFilter(request.GET)
    values = filters.values(request)
    result = district_compliance(
        values["year"], station_type=values["type"], standing=values["standing"]
    )
    context = {
        "result": result,
        "page": Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query_without_page(request),
        "filters": filters,
        "selected": {key: "" if value is None else str(value) for key, value in values.items()},
        "standings": [(s.value, s.label, count) for s, count in result.standings],
    }
    return render(
        request, "assessments/compliance_district.html", context, status=filters.status_code
    )
