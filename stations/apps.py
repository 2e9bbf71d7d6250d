from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Stations and applications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .publication import register_hooks

        register_hooks()
