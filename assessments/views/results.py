"""The results of a closed cycle (read-only, officials and staff): every station's final score
and item points, best first, against the pass mark of the cycle's policy settings, with the
Annex 2 downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from talentstation.rules import require

from .. import board, rules
from ..models import AssessmentCycle


@login_required
def cycle_results(request, pk):
    require(rules.view_cycle_results, request.user)
    cycle = get_object_or_404(
        AssessmentCycle.objects.select_related("policy_version", "rubric"), pk=pk
    )
    if not cycle.is_closed:
        messages.info(request, _("The results are shown once the cycle is closed."))
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    items = list(cycle.rubric.items.all())
    context = {
        "cycle": cycle,
        "items": items,
        "rows": board.result_rows(cycle, items),
        "pass_mark": board.pass_mark(cycle),
    }
    return render(request, "assessments/results_cycle.html", context)
