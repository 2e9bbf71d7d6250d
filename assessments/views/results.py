"""The results of a closed cycle (read-only, officials and staff): every station's final score
and item points, best first, against the pass mark of the cycle's policy settings, with the
Annex 2 downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from talentstation.rules import require
from talentstation.spreadsheets import xlsx_response

from .. import board, exports, rules
from ..models import AssessmentCycle


def _closed_cycle(request, pk):
    """The closed cycle, or None (the user is told the results come once it is closed)."""
    require(rules.view_cycle_results, request.user)
    cycle = get_object_or_404(
        AssessmentCycle.objects.select_related("policy_version", "rubric"), pk=pk
    )
    if not cycle.is_closed:
        messages.info(request, _("The results are shown once the cycle is closed."))
        return None
    return cycle


@login_required
def cycle_results(request, pk):
    cycle = _closed_cycle(request, pk)
    if cycle is None:
        return redirect("assessments:cycle_detail", pk=pk)
    items = list(cycle.rubric.items.all())
    context = {
        "cycle": cycle,
        "items": items,
        "rows": board.result_rows(cycle, items),
        "pass_mark": board.pass_mark(cycle),
    }
    return render(request, "assessments/results_cycle.html", context)


@login_required
def cycle_results_xlsx(request, pk):
    """The results page as xlsx, rows as the page shows them."""
    cycle = _closed_cycle(request, pk)
    if cycle is None:
        return redirect("assessments:cycle_detail", pk=pk)
    items = list(cycle.rubric.items.all())
    rows = board.result_rows(cycle, items)
    return xlsx_response(*exports.results_export(cycle, items, rows, board.pass_mark(cycle)))
