from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentStationConfig(AppConfig):
    name = "talentstation"
    verbose_name = _("Portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .fsm_states import collect_transitions_of_real_models_only

        collect_transitions_of_real_models_only()

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
        from django.core import checks

        from .middleware import start_session_clock
        from .two_factor import check_required_roles, name_otp_models, record_device_at_login

        checks.register(check_required_roles, checks.Tags.security)
        name_otp_models()

        user_logged_in.connect(start_session_clock, dispatch_uid="start_session_clock")
        user_logged_in.connect(record_device_at_login, dispatch_uid="two_factor_at_login")

        # The task queue's own admin (django-tasks-db, English only) is for operators, not
        # bureau staff: they see the e-mails in the outbox admin and the reminders in theirs.
        # Its permissions still appear in the user and group pages: a Chinese app name there.
        from django.apps import apps
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
        apps.get_app_config("django_tasks_database").verbose_name = _("Task queue")

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
