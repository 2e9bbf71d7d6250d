from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Station operations and the biennial assessment (Annex 2): activity logs, service records,
    referrals, plans, profiles, cycles, self-assessment and the Annex 2 sheets."""

    name = "assessments"
    verbose_name = _("Assessments")
    default_auto_field = "django.db.models.BigAutoField"
