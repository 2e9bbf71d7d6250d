from django import template
from django.utils.html import format_html

from talentstation.submissions import FIELD, new_token

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_token(context):
    """The hidden one-time token of a create form (see :mod:`talentstation.submissions`)."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FIELD, new_token(context["request"])
    )
