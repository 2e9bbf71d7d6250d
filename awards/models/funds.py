"""The award money (Art. 18–19): one payment per award to the station's host institution
(依托单位, the unit itself when the station is not hosted), after the result's publicity, and
the report on the use of the money and the station's work, due at the end of the year after
the payment, whose spending lines by the purposes of Art. 18 total no more than the award."""

from decimal import Decimal

from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.dates import end_of_day
from talentstation.dates import now as shanghai_now
from talentstation.models.fields import recorded_by
from talentstation.rules import Refused
from talentstation.uploads import UploadTo

from .. import rules
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


@condition(
    _("The award is paid once the result is published (after its publicity)."),
    summary=_("the result is published"),
)
def result_published(award):
    return award.entry.ranking.status == "published" and not award.entry.withdrawn_reason


class Award(ConcurrentTransitionMixin, models.Model):
    """The award of one excellent station, due once its result is published, paid once."""

    class Status(models.TextChoices):
        DUE = "due", _("to be paid")
        PAID = "paid", _("paid")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {"pay": _("record the payment")}

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
        constraints = [
            # A paid award has its payment recorded; an unpaid one has none (one payment only:
            # the state machine, the row lock of perform and the one usage report per award).
            models.CheckConstraint(
                condition=(
                    Q(
                        status="paid",
                        paid_on__isnull=False,
                        amount_paid__isnull=False,
                        amount_paid__gt=0,
                    )
                    | Q(status="due", paid_on__isnull=True, amount_paid__isnull=True)
                ),
                name="award_paid_once_with_its_payment",
            ),
        ]

    def __str__(self):
        return f"{self.station} · {self.amount_due}"

    @property
    def host_unit_id(self):
        return self.station.host_unit_id

    def policy(self):
        """The policy settings of the award's cycle (pinned when the cycle opened)."""
        ranking = self.entry.ranking
        return ranking.cycle.policy_version or ranking.policy_version

    @property
    def is_paid(self):
        return self.status == self.Status.PAID

    def notify_transition(self, log):
        """Tell the unit's users that their award has been paid."""
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.station.host_unit.users(),
            subject=_("Award of %(station)s: %(amount)s yuan paid; report on its use due %(due)s")
            % {
                "station": self.station.name,
                "amount": self.amount_paid,
                "due": self.report_due.isoformat() if self.report_due else "—",
            },
            log=log,
            link=reverse("awards:mine"),
        )

    @transition(
        field=status,
        source=Status.DUE,
        target=Status.PAID,
        permission=rules.pay_awards,
        conditions=[result_published],
        custom={"label": TRANSITION_LABELS["pay"]},
    )
    def pay(
        self,
        *,
        by,
        reason="",
        paid_on,
        amount,
        voucher_reference,
        voucher_file,
        payee_name,
        payee_credit_code,
    ):
        """Record the one payment (a reason is needed when the amount differs from the award)
        and open the usage report (Art. 19), due by the cycle's policy settings."""
        amount = Decimal(amount).quantize(Decimal("0.01"))
        if amount <= 0:
            raise Refused(_("The amount paid must be more than zero."))
        if amount != self.amount_due and not reason:
            raise Refused(
                _(
                    "The amount paid (%(paid)s yuan) differs from the award (%(due)s yuan): "
                    "give the reason."
                )
                % {"paid": amount, "due": self.amount_due}
            )
        self.paid_on, self.amount_paid = paid_on, amount
        self.amount_reason = reason if amount != self.amount_due else ""
        self.voucher_reference, self.voucher_file = voucher_reference, voucher_file
        self.payee_name, self.payee_credit_code = payee_name, payee_credit_code
        self.paid_by = by
        self.report_due = self.policy().usage_report_due(paid_on)
        # The OneToOne makes a second report (of a second payment) fail in the database too.
        UsageReport.objects.create(award=self, created_by=by)


@condition(_("Write the work of the station first."), summary=_("the work is written"))
def has_work_summary(report):
    return bool(report.work_summary.strip())


@condition(_("Attach the signed report first."), summary=_("the signed report is attached"))
def has_signed_report(report):
    return bool(report.attachment)


def _over_award_message(report):
    return _(
        "The spending lines total %(total)s yuan, more than the %(paid)s yuan paid: correct "
        "or delete lines first."
    ) % {"total": report.spent_total(), "paid": report.award.amount_paid}


@condition(_over_award_message, summary=_("the lines total no more than the amount paid"))
def within_award(report):
    return report.spent_total() <= (report.award.amount_paid or Decimal("0.00"))


class UsageReport(ConcurrentTransitionMixin, models.Model):
    """奖励经费使用及工作开展情况报告 of one award (Art. 19)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        ACCEPTED = "accepted", _("accepted")

    STATE_CHOICES = Status
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    FILED = (Status.SUBMITTED, Status.ACCEPTED)
    TRANSITION_LABELS = {
        "submit": _("submit"),
        "accept": _("accept"),
        "return_report": _("return for correction"),
    }

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

    @property
    def editable_by_station(self):
        return self.status in self.EDITABLE

    def spent_total(self):
        """The total of the spending lines (Decimal yuan; one query)."""
        return self.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")

    def is_late(self, *, at=None):
        """Not submitted (or accepted) by the end of the due day, Shanghai time: still a draft
        or returned once the day has passed, or submitted after it."""
        due = self.award.report_due
        if due is None:
            return False
        deadline = end_of_day(due)
        if self.status in self.FILED:
            return self.submitted_at is not None and self.submitted_at > deadline
        return (at or shanghai_now()) > deadline

    def notify_transition(self, log):
        """Tell the unit's users what happened to their report (submitted, accepted, returned)."""
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.award.station.host_unit.users(),
            subject=_("Report on the use of the award of %(station)s: %(state)s")
            % {"station": self.award.station.name, "state": log.to_label},
            log=log,
            link=reverse("awards:usage_report", args=[self.pk]),
        )

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        permission=rules.file_usage_report,
        conditions=[has_work_summary, has_signed_report, within_award],
        custom={"label": TRANSITION_LABELS["submit"]},
    )
    def submit(self, *, by, reason=""):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.ACCEPTED,
        permission=rules.decide_usage_reports,
        custom={"label": TRANSITION_LABELS["accept"]},
    )
    def accept(self, *, by, reason=""):
        self.decided_at, self.decided_by = timezone.now(), by

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=rules.decide_usage_reports,
        custom={"label": TRANSITION_LABELS["return_report"], "reason_required": True},
    )
    def return_report(self, *, by, reason=""):
        self.decided_at, self.decided_by = timezone.now(), by
        self.return_reason = reason


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
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="usage_line_amount_positive")
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.amount}"

    @property
    def host_unit_id(self):
        return self.report.award.station.host_unit_id
