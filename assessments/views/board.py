"""The cycle board 「考核进度」 of bureau staff (officials read it): per station, the
self-assessment, the scorers and who is late, the score once closed. Filtered and paginated."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from talentstation.pages import query_without_page
from talentstation.rules import require

from .. import board, rules
from ..forms.board import CycleBoardFilter
from ..models import AssessmentCycle

PAGE_SIZE = 50


@login_required
def cycle_board(request, pk):
    require(rules.view_cycle_board, request.user)
    cycle = get_object_or_404(AssessmentCycle.objects.select_related("policy_version"), pk=pk)
    filters = CycleBoardFilter(request.GET)
    rows = board.board_queryset(cycle)
    summary = board.board_summary(rows)
    page = Paginator(filters.apply(rows, filters.values(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = board.board_rows(cycle, assessments=page.object_list)
    context = {
        "cycle": cycle,
        "filters": filters,
        "summary": summary,
        "page": page,
        "query": query_without_page(request),
        "filtered": page.paginator.count != summary.stations,
        "may_manage": rules.manage_cycles(request.user),
    }
    return render(request, "assessments/cycle_board.html", context, status=filters.status_code)


@login_required
def current_board(request):
    """The board of the open cycle (the latest one if none is open): the staff board links it."""
    require(rules.view_cycle_board, request.user)
    cycle = AssessmentCycle.objects.open().first() or AssessmentCycle.objects.first()
    if cycle is None:
        return redirect("assessments:cycle_list")
    return redirect("assessments:cycle_board", pk=cycle.pk)
