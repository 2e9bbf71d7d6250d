from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """The outcomes of an assessment: ranking and excellent stations, awards and their usage
    reports, rectification and revocation, upward nomination and Annex 3."""

    name = "awards"
    verbose_name = _("Awards and outcomes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            dashboard,
            front_door,
            reminder_sources,
            setup_funds,
            setup_nominations,
            setup_ranking,
            setup_rectification,
            station_sections,
            todos,
        )

        setup_ranking.register()
        setup_funds.register()
        setup_rectification.register()
        setup_nominations.register()
        dashboard.register()
        station_sections.register()
        reminder_sources.register()
        front_door.register()
        todos.register()
