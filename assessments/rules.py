"""Who may do what with score sheets (see :mod:`talentstation.rules` for the shared roles).

Bureau staff manage the versions of the score sheets and see every filled sheet; a scorer fills
in and submits only his own sheet; others' sheets are shown by :func:`assessments.scoring.
visible_sheets` (to a scorer only after he has submitted his own).
"""

from django.utils.translation import gettext_lazy as _

from talentstation.rules import is_staff, rule

manage_templates = is_staff


@rule(_("Only the scorer fills in his own score sheet."), label=_("the scorer"))
def is_scorer(user, sheet):
    return bool(user.is_authenticated and user.is_active and user.pk == sheet.scorer_id)


fill_sheet = is_scorer
