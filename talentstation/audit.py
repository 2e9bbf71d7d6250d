"""The audit records and how long they are kept (README "Backups and audit").

Audit records: the state changes (TransitionLog), the access log (AccessLog), Django's admin
history (LogEntry) and simple-history's field history (the Historical… models). Nobody changes
or deletes them through the portal: their admin is view only, our models refuse it themselves
(:mod:`talentstation.models.audit`), and for Django's and simple-history's models the signal
guards below refuse saving a stored record and deleting one (also simple-history's own
``clean_old_history`` and ``clean_duplicate_history`` commands, and a deleted user's admin
history, which Django would delete with the user).

Retention: AUDIT_RETENTION_DAYS. Unset, audit records are kept forever; set, it must be at
least :data:`MINIMUM_RETENTION_DAYS` (a system check error otherwise), and
``manage.py purge_audit`` deletes the records older than that — the only code that may.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import checks
from django.db import transaction
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone
from simple_history.models import HistoricalChanges

from .models.audit import MINIMUM_RETENTION_DAYS, is_purging, purging, refuse

__all__ = ["MINIMUM_RETENTION_DAYS", "audit_models", "purge", "retention_days"]


def audit_models():
    """(model, its time field) of every kind of audit record."""
    found = [
        (apps.get_model("talentstation", "TransitionLog"), "at"),
        (apps.get_model("talentstation", "AccessLog"), "at"),
        (LogEntry, "action_time"),
    ]
    found += [
        (model, "history_date")
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    ]
    return found


def retention_days():
    """Days audit records are kept, or None: forever."""
    return getattr(settings, "AUDIT_RETENTION_DAYS", None)


def _refuse_change(sender, instance, raw=False, **kwargs):
    if not raw and not instance._state.adding:
        refuse(sender)


def _refuse_delete(sender, instance, **kwargs):
    if not is_purging():
        refuse(sender)


def connect_guards():
    """The guards of the audit models that are not ours (ours guard themselves)."""
    for model, _field in audit_models():
        if model._meta.app_label == "talentstation":
            continue
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_refuse_change, sender=model, dispatch_uid=f"{uid}-save")
        pre_delete.connect(_refuse_delete, sender=model, dispatch_uid=f"{uid}-delete")


def purge(*, dry_run=False, now=None):
    """Delete the audit records older than the retention; {model label: count}. Nothing when
    the records are kept forever (AUDIT_RETENTION_DAYS unset)."""
    days = retention_days()
    if days is None:
        return {}
    if days < MINIMUM_RETENTION_DAYS:  # the system check says so too; never purge then
        raise ValueError(f"AUDIT_RETENTION_DAYS is {days}; at least {MINIMUM_RETENTION_DAYS}.")
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    counts = {}
    with transaction.atomic(), purging():
        for model, field in audit_models():
            old = model._base_manager.filter(**{f"{field}__lt": cutoff})
            count = old.count()
            if count and not dry_run:
                old.delete()
            counts[model._meta.label] = count
    return counts


@checks.register(checks.Tags.security)
def check_retention(app_configs=None, **kwargs):
    days = retention_days()
    if days is not None and (not isinstance(days, int) or days < MINIMUM_RETENTION_DAYS):
        return [
            checks.Error(
                f"AUDIT_RETENTION_DAYS is {days!r}: audit records must be kept at least "
                f"{MINIMUM_RETENTION_DAYS} days (six months, by policy).",
                hint="Unset it to keep them forever, or set a number of days ≥ 183.",
                id="talentstation.E101",
            )
        ]
    return []


def records_of_users(users):
    """What keeps ``users`` from being deleted: their admin history, which Django would delete
    with them (the state changes and the access log protect their users themselves)."""
    from django.db.models import Count
    from django.utils.translation import gettext as _

    counts = (
        LogEntry.objects.filter(user__in=users)
        .values("user")
        .annotate(entries=Count("pk"))
        .order_by()
    )
    by_user = {row["user"]: row["entries"] for row in counts}
    return [
        _("%(user)s: %(count)d admin history entries (audit records; deactivate the user)")
        % {"user": user, "count": by_user[user.pk]}
        for user in users
        if by_user.get(user.pk)
    ]
