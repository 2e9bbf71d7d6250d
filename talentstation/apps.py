from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentStationConfig(AppConfig):
    name = "talentstation"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models import fields
        from django.db.models.signals import post_migrate

        # The empty choice of select boxes; Django 6.1's own label has no Chinese yet.
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")

        from django.contrib.auth.models import Group

        from . import i18n, roles

        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)

        # Chinese names for what Django and simple-history only name in English.
        i18n.translate_historical_models()
        i18n.name_link_rows()
        Group.__str__ = i18n.group_label

        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="start_session_clock")

        from . import audit

        audit.connect_guards()

        from . import dashboard_panels, front_door_pages, reminder_sources, todo_sources
        from .demo_steps import register_demo_step
        from .reminders import run_demo_reminders

        dashboard_panels.register()
        reminder_sources.register()
        front_door_pages.register()
        todo_sources.register()
        register_demo_step("talentstation.reminders", run_demo_reminders, order=50)
