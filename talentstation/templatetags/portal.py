from django import template
from django.urls import reverse

from talentstation import workflow
from talentstation.views_workflow import PAGE_TRANSITIONS

register = template.Library()


@register.simple_tag
def available_transitions(obj, user):
    """The transitions ``user`` may run on ``obj`` from a page, as buttons."""
    allowed = PAGE_TRANSITIONS.get(obj._meta.label_lower, ())
    return [t for t in workflow.available_transitions(obj, user) if t.name in allowed]


@register.simple_tag
def transition_url(obj, name):
    return reverse("run_transition", args=[obj._meta.label_lower, obj.pk, name])
