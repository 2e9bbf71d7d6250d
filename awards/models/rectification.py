"""Rectification orders (整改通知, Art. 14): a station below the pass mark is ordered to rectify
the problems found, item by item, by a deadline; the unit files its rectification report with
evidence; staff or experts re-inspect. Passed in time → certified again; not reported by the
deadline, or re-inspection failed → staff may revoke the plaque. Revocation is always a staff
decision, never automatic: a daily command only flags the orders past their deadline."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField
from simple_history.models import HistoricalRecords

from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo

from .ranking import SCORE_DIGITS


class RectificationOrder(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        ISSUED = "issued", _("issued")
        REPORTED = "reported", _("report filed")
        PASSED = "passed", _("rectified")
        FAILED = "failed", _("re-inspection failed")
        REVOKED = "revoked", _("plaque revoked")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {}

    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="rectification_orders",
        verbose_name=_("station"),
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_orders",
        verbose_name=_("assessment"),
    )
    score = models.DecimalField(_("score"), null=True, blank=True, **SCORE_DIGITS)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    summary = models.TextField(_("what is to be rectified"), max_length=3000, blank=True)
    overdue_flagged_at = models.DateTimeField(
        _("flagged overdue at"), null=True, blank=True, editable=False
    )
    report_text = models.TextField(_("rectification report"), max_length=5000, blank=True)
    report_file = models.FileField(
        _("evidence"), upload_to=UploadTo("rectification"), blank=True, max_length=200
    )
    reported_at = models.DateTimeField(_("report filed at"), null=True, blank=True, editable=False)
    reported_by = recorded_by(_("report filed by"))
    inspected_on = models.DateField(_("re-inspected on"), null=True, blank=True)
    inspected_by = recorded_by(_("re-inspection recorded by"))
    inspection_note = models.TextField(_("re-inspection findings"), max_length=3000, blank=True)
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["report_file"])

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.station} · {self.notice_number or self.pk}"

    @property
    def host_unit_id(self):
        return self.station.host_unit_id


class RectificationProblem(models.Model):
    """One problem of an order, usually by Annex 2 item."""

    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.CASCADE,
        related_name="problems",
        verbose_name=_("rectification order"),
    )
    item = models.ForeignKey(
        "talentstation.ScoreItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Annex 2 item"),
    )
    points = models.DecimalField(_("points scored"), null=True, blank=True, **SCORE_DIGITS)
    problem = models.TextField(_("problem found"), max_length=2000)
    requirement = models.TextField(_("what must be done"), max_length=2000, blank=True)
    order_in_notice = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("rectification problem")
        verbose_name_plural = _("rectification problems")
        ordering = ["order", "order_in_notice", "pk"]

    def __str__(self):
        return self.problem[:50]
