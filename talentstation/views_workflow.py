"""One endpoint for every workflow button on the staff and expert pages.

A form posts to ``transition/<app>.<model>/<pk>/<name>/``; the transition itself checks who may
run it and when (talentstation.workflow.perform), so this view only finds the object.
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .workflow import TransitionRefused, perform

# The models whose transitions may be run from pages (the others only from code and admin).
PAGE_TRANSITIONS = {
    "stations.application": {
        "accept",
        "reject",
        "return_for_correction",
        "shortlist",
        "not_select",
    },
    "stations.hostunit": {"verify", "reject_licence", "confirm_code"},
    "stations.call": {"publish", "close"},
}


@login_required
@require_POST
def run_transition(request, model_label, pk, name):
    if name not in PAGE_TRANSITIONS.get(model_label, ()):
        raise Http404
    model = apps.get_model(model_label)
    obj = get_object_or_404(model, pk=pk)
    try:
        perform(obj, name, by=request.user, reason=request.POST.get("reason", ""))
    except TransitionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Done: “%(action)s” for %(object)s.")
            % {"action": model.TRANSITION_LABELS[name], "object": obj},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
