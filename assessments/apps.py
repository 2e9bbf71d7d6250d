from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Station operations and the biennial assessment (Annex 2): activity logs, service records,
    referrals, plans, profiles, cycles, self-assessment and the Annex 2 sheets."""

    name = "assessments"
    verbose_name = _("Assessments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        self._register_operations()
        self._register_records()

    def _register_operations(self):
        """Station operations: staff accept and reject entries with the pages' buttons."""
        from talentstation.demo_steps import register_demo_step
        from talentstation.views_workflow import register_page_transitions

        from . import rules
        from .demo_operations import load_operations

        for model in ("assessments.activity", "assessments.servicerecord"):
            register_page_transitions(model, {"accept", "reject"}, visible=rules.view_entry)
        register_demo_step("assessments.operations", load_operations, order=10)

    def _register_records(self):
        """The station records (profile, referrals, plans and summaries) with the core."""
        from stations.prefill import register_prefill
        from talentstation.demo_steps import register_demo_step
        from talentstation.views_workflow import register_page_transitions

        from . import rules
        from .demo_records import load_records
        from .records import referrals_text

        register_page_transitions(
            "assessments.talentreferral", {"confirm", "reject"}, visible=rules.view_station_records
        )
        register_page_transitions(
            "assessments.stationreport",
            {"accept", "return_report"},
            visible=rules.view_station_records,
        )
        register_prefill("talent_recommendations", referrals_text)
        register_demo_step("assessments.records", load_records, order=20)
