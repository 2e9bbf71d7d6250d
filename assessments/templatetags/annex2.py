"""``{% may_download_annex2 request.user assessment as allowed %}``: whether the page shows the
link to the station's Annex 2 sheet (the rule of its download view)."""

from django import template

from .. import rules

register = template.Library()


@register.simple_tag
def may_download_annex2(user, assessment):
    return rules.download_annex2(user, assessment)
