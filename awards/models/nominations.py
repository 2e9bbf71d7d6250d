"""Upward nomination (Art. 15 honours): staff recommend stations to the city or the province
for an honour or programme, in batches exported as Annex 3 「人才驿站推荐汇总表」."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField
from simple_history.models import HistoricalRecords

from talentstation.models.fields import recorded_by


class NominationBatch(ConcurrentTransitionMixin, models.Model):
    class Level(models.TextChoices):
        CITY = "city", _("city (Fuzhou)")
        PROVINCE = "province", _("province (Fujian)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SUBMITTED = "submitted", _("submitted")
        DECIDED = "decided", _("outcomes recorded")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {}

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("recommended to"), max_length=10, choices=Level.choices)
    programme = models.CharField(
        _("honour or programme"), max_length=200, help_text=_("e.g. 福州市级人才驿站")
    )
    submitting_unit = models.CharField(
        _("submitting unit"), max_length=200, default="福州高新区人力资源和社会保障局"
    )
    filled_by_name = models.CharField(_("filled in by"), max_length=100, blank=True)
    fill_date = models.DateField(_("date filled in"), null=True, blank=True)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination batch")
        verbose_name_plural = _("nomination batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class Nomination(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("awaiting the outcome")
        SELECTED = "selected", _("selected")
        NOT_SELECTED = "not_selected", _("not selected")

    batch = models.ForeignKey(
        NominationBatch,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("nomination batch"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("station"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    introduction = models.TextField(
        _("introduction of the station"),
        max_length=2000,
        help_text=_("驿站简介: the site, rules, staff and activities."),
    )
    reason = models.TextField(_("reason for the recommendation"), max_length=1000)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_note = models.CharField(_("outcome note"), max_length=300, blank=True)
    outcome_recorded_by = recorded_by(_("outcome recorded by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["batch", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "station"], name="nominated_once_per_batch")
        ]

    def __str__(self):
        return f"{self.batch} · {self.station}"
