from django import template
from django.urls import reverse

from talentstation import workflow
from talentstation.views_workflow import page_transition_names

register = template.Library()


@register.simple_tag
def available_transitions(obj, user):
    """The transitions ``user`` may run on ``obj`` from a page, as buttons."""
    allowed = page_transition_names(obj)
    names = [name for name in type(obj).TRANSITION_LABELS if name in allowed]
    return workflow.available_transitions(obj, user, names=names)


@register.simple_tag
def transition_url(obj, name):
    return reverse("run_transition", args=[obj._meta.label_lower, obj.pk, name])
