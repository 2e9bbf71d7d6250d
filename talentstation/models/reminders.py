"""Reminders of deadlines sent by ``manage.py send_reminders`` (see talentstation.reminders).

One row per reminder sent: its key (recipient, object, kind of deadline, deadline, lead time) is
unique, so a reminder is never sent twice, and the row is written in the same transaction as the
inbox item (and outbox e-mail) it created.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Reminder(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of object")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    obj = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind of deadline"), max_length=40)
    due = models.DateField(pgettext_lazy("reminder", "deadline"))
    lead_days = models.SmallIntegerField(
        _("lead time (days)"),
        help_text=_("Days before the deadline; negative: days after it (overdue)."),
    )
    run_date = models.DateField(_("sent for the date"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    notification = models.ForeignKey(
        "talentstation.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("inbox item"),
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "content_type", "object_id", "kind", "due", "lead_days"],
                name="one_reminder_per_key",
            )
        ]
        indexes = [models.Index(fields=["kind", "due"])]

    def __str__(self):
        return f"{self.kind} · {self.due.isoformat()} · {self.recipient}"
