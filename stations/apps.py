from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Stations and applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.urls import reverse

        from talentstation.assignments import register_lateness
        from talentstation.roles import Role
        from talentstation.rules import view_staff_pages
        from talentstation.start_pages import register_start_page
        from talentstation.views_workflow import register_page_transitions

        from . import (
            board,
            dashboard,
            front_door,
            models,
            reminder_sources,
            rules,
            station_sections,
            todos,
        )
        from .publication import register_purpose

        register_purpose()
        register_lateness(models.Application, board.late_reviews)
        register_page_transitions(
            "stations.application",
            {"accept", "reject", "return_for_correction", "shortlist", "not_select"},
            visible=rules.view_application,
        )
        register_page_transitions(
            "stations.hostunit",
            {"verify", "reject_licence", "confirm_code"},
            visible=rules.view_unit,
        )
        register_page_transitions("stations.call", {"publish", "close"}, visible=view_staff_pages)
        register_start_page(Role.STAFF, lambda user: reverse("stations:staff_todo"))
        register_start_page(Role.OFFICIAL, lambda user: reverse("dashboard"))
        register_start_page(Role.EXPERT, lambda user: reverse("stations:expert_assignments"))
        register_start_page(
            Role.APPLICANT,
            lambda user: reverse("stations:my_unit") if rules.unit_of(user) else None,
        )
        dashboard.register()
        station_sections.register()
        reminder_sources.register()
        front_door.register()
        todos.register()

        from talentstation.demo_steps import register_demo_step

        from .demo_access import load_access_records

        register_demo_step("stations.access", load_access_records, order=60)
