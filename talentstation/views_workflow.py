"""One endpoint for every workflow button on the pages.

A form posts to ``transition/<app>.<model>/<pk>/<name>/``. The apps register which of their
transitions pages may run and who may see such an object (:func:`register_page_transitions`,
in their ``AppConfig.ready()``): a user who may not see the object gets the same 404 as its
page and learns nothing about it; the transition itself then checks who may run it and when
(:func:`talentstation.workflow.perform`).
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ReasonForm
from .rules import Refused, Rule, require_visible
from .workflow import perform


@dataclass(frozen=True)
class PageTransitions:
    names: frozenset
    visible: Rule  # who may see such an object at all


# model label ("stations.application") → what pages may run on such objects.
PAGE_TRANSITIONS: dict[str, PageTransitions] = {}


def register_page_transitions(model_label, names, *, visible):
    PAGE_TRANSITIONS[model_label.lower()] = PageTransitions(frozenset(names), visible)


def page_transition_names(obj):
    entry = PAGE_TRANSITIONS.get(obj._meta.label_lower)
    return entry.names if entry else frozenset()


@login_required
@require_POST
def run_transition(request, model_label, pk, name):
    entry = PAGE_TRANSITIONS.get(model_label)
    if entry is None or name not in entry.names:
        raise Http404
    model = apps.get_model(model_label)
    obj = get_object_or_404(model, pk=pk)
    require_visible(entry.visible, request.user, obj)
    form = ReasonForm(request.POST, required=False)
    try:
        if not form.is_valid():
            raise Refused(" ".join(form.errors["reason"]))
        perform(obj, name, by=request.user, reason=form.cleaned_data["reason"])
    except Refused as refusal:
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
