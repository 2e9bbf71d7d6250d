"""django-axes (login lock-outs and the login audit log) under a Chinese name.

Bureau staff use its admin pages to see the login attempts and to lift a lock-out (delete the
access attempt); ``locale/`` translates its field names (see ``package_strings``). Its app name
("Axes") and its objects' names ("Access Log for … @ …") are not translatable upstream: this
app config (``INSTALLED_APPS`` names it instead of ``"axes"``) gives translatable ones.
"""

from axes.apps import AppConfig as AxesConfig
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _when(value):
    return formats.date_format(value, "DATETIME_FORMAT") if value else ""


def _access_attempt_str(attempt):
    return gettext("Login attempts of %(username)s since %(time)s") % {
        "username": attempt.username,
        "time": _when(attempt.attempt_time),
    }


def _access_log_str(log):
    return gettext("Login of %(username)s at %(time)s") % {
        "username": log.username,
        "time": _when(log.attempt_time),
    }


def _access_failure_str(failure):
    text = gettext("Failed login of %(username)s at %(time)s") % {
        "username": failure.username,
        "time": _when(failure.attempt_time),
    }
    if failure.locked_out:
        text = gettext("%(failure)s (locked out)") % {"failure": text}
    return text


class LoginProtectionConfig(AxesConfig):
    verbose_name = _("Login protection")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = _access_attempt_str
        AccessLog.__str__ = _access_log_str
        AccessFailureLog.__str__ = _access_failure_str
