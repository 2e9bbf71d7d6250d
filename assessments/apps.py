from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Station operations and the biennial assessment (Annex 2): activity logs, service records,
    referrals, plans, profiles, cycles, self-assessment and the Annex 2 sheets."""

    name = "assessments"
    verbose_name = _("Assessments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from talentstation.demo_steps import register_demo_step
        from talentstation.views_workflow import register_page_transitions

        from . import rules
        from .demo_operations import load_operations

        # Station operations: staff accept and reject entries with the pages' buttons.
        for model in ("assessments.activity", "assessments.servicerecord"):
            register_page_transitions(model, {"accept", "reject"}, visible=rules.view_entry)
        register_demo_step("assessments.operations", load_operations, order=10)
