"""The navbar's 「驿站运营」 entry: shown to a unit's users once one of its stations is live."""

from django import template

from stations.models import Station

register = template.Library()


@register.simple_tag
def keeps_operation_log(user):
    """Whether ``user`` belongs to a unit with a certified station (or one under
    rectification): one query, made only on the pages of applicant users."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Station.objects.certified().filter(host_unit__members__user=user).exists()
