"""The two entry pages of the outcomes: the hub of staff and officials (results, awards, usage
reports, rectifications, nomination batches) and a unit's own outcomes (its results, awards,
usage reports and rectification orders, with what to do next). Each part of the app gives its
section's context (``hub_context(user)``, ``mine_context(unit, user)``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from stations.rules import unit_of
from talentstation.rules import require

from .. import funds, nominations, ranking, rectification, rules

PARTS = (ranking, funds, rectification, nominations)


@login_required
def index(request):
    require(rules.view_outcomes, request.user)
    context = {}
    for part in PARTS:
        context.update(part.hub_context(request.user))
    return render(request, "awards/index.html", context)


@login_required
def mine(request):
    unit = unit_of(request.user)
    if unit is None:
        raise Http404
    context = {"unit": unit}
    for part in PARTS:
        context.update(part.mine_context(unit, request.user))
    return render(request, "awards/mine.html", context)
