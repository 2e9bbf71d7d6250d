from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentstation.i18n import label_value

from .audit import AuditModel, ObjectRecordsQuerySet


class TransitionLog(AuditModel):
    """Every state change of every workflow object: who, when, from → to, why.

    Written only by :func:`talentstation.workflow.perform`, never edited or deleted (an audit
    record, :mod:`talentstation.models.audit`).
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    subject = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    transition = models.CharField(_("transition"), max_length=64)
    from_state = models.CharField(_("from state"), max_length=32)
    to_state = models.CharField(_("to state"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    objects = ObjectRecordsQuerySet.as_manager()

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "pk"]
        base_manager_name = "objects"  # related lookups and deletes get the guard too
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return label_value(self.object_repr, f"{self.from_label} → {self.to_label}")

    @property
    def from_label(self):
        return self._state_label(self.from_state)

    @property
    def to_label(self):
        return self._state_label(self.to_state)

    @property
    def transition_label(self):
        model = self.content_type.model_class()
        return getattr(model, "TRANSITION_LABELS", {}).get(self.transition, self.transition)

    def _state_label(self, value):
        model = self.content_type.model_class()
        choices = getattr(model, "STATE_CHOICES", None)
        if choices is None:
            return value
        return dict(choices.choices).get(value, value)
