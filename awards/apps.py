from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Ranking, awards, rectification, funds, nominations and Annex 3. Built by a later issue."""

    name = "awards"
    verbose_name = _("Awards and outcomes")
    default_auto_field = "django.db.models.BigAutoField"
