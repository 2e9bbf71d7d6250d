"""The award money (Art. 18–19): one payment per award to the station's host institution
(依托单位, the unit itself when the station is not hosted), after the result's publicity, and
the report on the use of the money and the station's work, due at the end of the year after
the payment, whose spending lines by the purposes of Art. 18 total no more than the award."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField
from simple_history.models import HistoricalRecords

from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo

from .ranking import MONEY_DIGITS


class UsagePurpose(models.TextChoices):
    """What Art. 18 lets the money be spent on."""

    INFRASTRUCTURE = "infrastructure", _("infrastructure of the station")
    POLICY_CONSULTATION = "policy_consultation", _("policy consultation")
    NETWORKING = "networking", _("networking and exchange")
    ACADEMIC_EXCHANGE = "academic_exchange", _("academic exchange")
    CREATIVE_PRACTICE = "creative_practice", _("creative practice")
    TECHNOLOGY_SHARING = "technology_sharing", _("technology sharing")
    ROADSHOW = "roadshow", _("project roadshows")
    BUSINESS_NEGOTIATION = "business_negotiation", _("business negotiation")
    OTHER = "other", _("other service activities")


class Award(ConcurrentTransitionMixin, models.Model):
    """The award of one excellent station, due once its result is published, paid once."""

    class Status(models.TextChoices):
        DUE = "due", _("to be paid")
        PAID = "paid", _("paid")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {}

    entry = models.OneToOneField(
        "awards.RankingEntry",
        on_delete=models.PROTECT,
        related_name="award",
        verbose_name=_("ranking entry"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("station"),
    )
    amount_due = models.DecimalField(_("award (yuan)"), **MONEY_DIGITS)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DUE, protected=True)
    payee_name = models.CharField(_("paid to"), max_length=200, blank=True)
    payee_credit_code = models.CharField(
        _("payee's unified social credit code"), max_length=18, blank=True
    )
    paid_on = models.DateField(_("payment date"), null=True, blank=True)
    amount_paid = models.DecimalField(
        _("amount paid (yuan)"), null=True, blank=True, **MONEY_DIGITS
    )
    voucher_reference = models.CharField(_("voucher reference"), max_length=100, blank=True)
    voucher_file = models.FileField(
        _("voucher"), upload_to=UploadTo("award-vouchers"), blank=True, max_length=200
    )
    amount_reason = models.TextField(
        _("why the amount differs from the award"), max_length=2000, blank=True
    )
    report_due = models.DateField(_("usage report due"), null=True, blank=True)
    paid_by = recorded_by(_("payment recorded by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    history = HistoricalRecords(excluded_fields=["voucher_file"])

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.station} · {self.amount_due}"

    @property
    def host_unit_id(self):
        return self.station.host_unit_id


class UsageReport(ConcurrentTransitionMixin, models.Model):
    """奖励经费使用及工作开展情况报告 of one award (Art. 19)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        ACCEPTED = "accepted", _("accepted")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {}

    award = models.OneToOneField(
        Award, on_delete=models.PROTECT, related_name="usage_report", verbose_name=_("award")
    )
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    work_summary = models.TextField(_("the station's work"), max_length=5000, blank=True)
    attachment = models.FileField(
        _("signed report"), upload_to=UploadTo("usage-reports"), blank=True, max_length=200
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = recorded_by(_("decided by"))
    return_reason = models.TextField(_("why returned"), max_length=2000, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True, editable=False)
    created_by = recorded_by(_("created by"))

    history = HistoricalRecords(excluded_fields=["attachment"])

    class Meta:
        verbose_name = _("award usage report")
        verbose_name_plural = _("award usage reports")
        ordering = ["award"]

    def __str__(self):
        return str(self.award)

    @property
    def station(self):
        return self.award.station

    @property
    def host_unit_id(self):
        return self.award.station.host_unit_id


class UsageLine(models.Model):
    """One spending line of a usage report."""

    report = models.ForeignKey(
        UsageReport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("report")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=UsagePurpose.choices)
    description = models.CharField(_("what was paid for"), max_length=300)
    spent_on = models.DateField(_("date"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY_DIGITS)
    receipt = models.FileField(
        _("receipt"), upload_to=UploadTo("usage-receipts"), blank=True, max_length=200
    )

    history = HistoricalRecords(excluded_fields=["receipt"])

    class Meta:
        verbose_name = _("spending line")
        verbose_name_plural = _("spending lines")
        ordering = ["report", "pk"]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.amount}"
