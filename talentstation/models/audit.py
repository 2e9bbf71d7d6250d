"""Audit records: kept as written. The state changes (TransitionLog), the access log (AccessLog),
Django's admin history (LogEntry) and simple-history's records are never changed and deleted
only by ``manage.py purge_audit`` once older than AUDIT_RETENTION_DAYS (talentstation.audit).

Our own audit models refuse it at every level: the admin is view only, ``save()`` of a stored
record, ``delete()``, ``QuerySet.update()`` and ``QuerySet.delete()`` raise
:class:`AuditRecordProtected`, and on PostgreSQL a trigger refuses UPDATE and a DELETE of rows
younger than the policy's minimum retention (migration 0016_audit_access_log) even from SQL.
"""

import contextlib
import contextvars

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Policy: audit records are kept at least six months.
MINIMUM_RETENTION_DAYS = 183

_purging = contextvars.ContextVar("talentstation_audit_purging", default=False)


class AuditRecordProtected(PermissionDenied):
    """An audit record was to be changed or deleted."""


@contextlib.contextmanager
def purging():
    """Within: audit records may be deleted (only talentstation.audit.purge uses it)."""
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


def is_purging():
    return _purging.get()


def refuse(model):
    raise AuditRecordProtected(
        _("%(records)s are audit records: they cannot be changed or deleted.")
        % {"records": model._meta.verbose_name_plural}
    )


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        refuse(self.model)

    def delete(self):
        if not is_purging():
            refuse(self.model)
        return super().delete()

    def _raw_delete(self, using):
        if not is_purging():
            refuse(self.model)
        return super()._raw_delete(using)


class AuditModel(models.Model):
    """Written once: saving a stored record or deleting one raises."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            refuse(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not is_purging():
            refuse(type(self))
        return super().delete(*args, **kwargs)


class ObjectRecordsQuerySet(AuditQuerySet):
    """The audit records of a generic ``content_type`` / ``object_id`` (state changes, access)."""

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=obj.pk,
        )


class AccessLog(AuditModel):
    """Who viewed, downloaded or exported personal data or a licence file, when, from where.

    Written only by :func:`talentstation.access_log.record_access`."""

    class Kind(models.TextChoices):
        VIEW = "view", _("viewed")
        DOWNLOAD = "download", _("downloaded")
        EXPORT = "export", _("exported")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # The user's name at the time, searchable without a join and kept if renamed.
    user_label = models.CharField(_("user name"), max_length=200, blank=True)
    kind = models.CharField(_("kind of access"), max_length=16, choices=Kind.choices)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("object type"),
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("what"), max_length=300)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    url = models.CharField(_("address (URL)"), max_length=500, blank=True)

    objects = ObjectRecordsQuerySet.as_manager()

    class Meta:
        verbose_name = _("data access record")
        verbose_name_plural = _("data access log")
        ordering = ["-at", "-pk"]
        base_manager_name = "objects"
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.user_label or '—'} · {self.get_kind_display()} · {self.label}"
