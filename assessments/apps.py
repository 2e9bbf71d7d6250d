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
        self._register_cycles()
        self._register_documents()
        self._register_dashboard()
        self._register_station_sections()
        self._register_reminders()
        self._register_front_door()
        self._register_todos()

    def _register_operations(self):
        from talentstation.demo_steps import register_demo_step
        from talentstation.views_workflow import register_page_transitions

        from . import rules
        from .demo_operations import load_operations

        # Station operations: staff accept and reject entries with the pages' buttons.
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

    def _register_cycles(self):
        """The biennial assessment: page buttons of cycles and self-assessments, the measures
        the evidence gives for the tier conditions."""
        from talentstation.assignments import register_lateness
        from talentstation.views_workflow import register_page_transitions

        from . import models, rules
        from .scoring import late_scorers, register_measures

        register_lateness(models.Assessment, late_scorers)

        register_page_transitions(
            "assessments.assessmentcycle", {"open", "close"}, visible=rules.view_cycles
        )
        register_page_transitions(
            "assessments.selfassessment",
            {"return_for_correction"},
            visible=rules.view_self_assessment,
        )
        register_measures()

    def _register_documents(self):
        """The demo cycles (closed and open) of the demo district."""
        from talentstation.demo_steps import register_demo_step

        from .demo_cycles import load_cycles

        register_demo_step("assessments.cycles", load_cycles, order=30)

    def _register_dashboard(self):
        """The panels of the officials' and staff's overview (数据概览)."""
        from . import dashboard

        dashboard.register()

    def _register_station_sections(self):
        """The activities and assessments sections of the staff station page."""
        from .station_sections import register

        register()

    def _register_reminders(self):
        """The deadlines of plans, summaries, self-assessments and scoring (send_reminders)."""
        from . import reminder_sources

        reminder_sources.register()

    def _register_front_door(self):
        """The blank Annex 2 form of the public policy page."""
        from . import front_door

        front_door.register()

    def _register_todos(self):
        """The to-do items of station operations and the assessment."""
        from . import todos

        todos.register()
