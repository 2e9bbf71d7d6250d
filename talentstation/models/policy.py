import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentstation.dates import today
from talentstation.numbering import save_with_next_number

from .fields import AwardListField, LeadDaysField


def _rank(pair):
    return int(pair["rank"])


def policy_2024() -> dict:
    """The rules of the 2024 measures (榕高新区人社规〔2024〕2号), from fixtures/policy_2024.yaml:
    the first version is created from them by a data migration. After that, staff change rules
    only by saving a new version."""
    from talentstation import fixtures

    data = fixtures.load("policy_2024.yaml")
    return fixtures.field_values(PolicyVersion, {"title": data["title"], **data["rules"]})


class PolicyVersion(models.Model):
    """One version of the rules the portal applies. Versions are never changed once saved.

    A call or an assessment cycle pins the version it used, so changing the rules later never
    rewrites a past decision.
    """

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    title = models.CharField(
        _("policy basis"), max_length=200, help_text=_("The document these rules come from.")
    )
    effective_from = models.DateField(_("effective from"), default=today)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "The last day the policy basis is valid (Art. 23: the 2024 measures run two years "
            "from 2024-07-02). Empty: no end date. When it has passed, staff see a to-do item "
            "until they save a successor or an extension as a new version."
        ),
    )
    note = models.TextField(_("what changed and why"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    publicity_working_days = models.PositiveSmallIntegerField(
        _("publicity period (working days)"), validators=[MinValueValidator(1)]
    )
    pass_mark = models.DecimalField(
        _("assessment pass mark (points)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    min_activities_per_year = models.PositiveSmallIntegerField(_("minimum activities a year"))
    min_person_times_per_year = models.PositiveIntegerField(_("minimum person-times served a year"))
    assessment_min_certified_months = models.PositiveSmallIntegerField(
        _("months certified for a year to count in an assessment"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_(
            "A calendar year of an assessment cycle counts for a station only when it was "
            "certified for at least this many months of it."
        ),
    )
    excellent_count = models.PositiveSmallIntegerField(
        _("number of excellent stations"), validators=[MinValueValidator(1)]
    )
    awards = AwardListField(
        _("awards by rank (yuan)"),
        help_text=_(
            "One line per rank: “1 = 50000”. Ranks 1, 2, 3 … in order; a rank not named gets "
            "no award."
        ),
    )
    tie_break_items = models.CharField(
        _("tie-break: Annex 2 items, in order"),
        max_length=200,
        default="开展活动、人才服务",
        help_text=_(
            "When two stations have the same score, the higher points in these items of the "
            "Annex 2 sheet decide, first the first; separate them with “、”. Where they do not "
            "separate the stations, staff decide with a reason."
        ),
    )
    excellent_title = models.CharField(
        _("title of an excellent station"), max_length=100, default="福州高新区优秀人才驿站"
    )
    excellent_publicity_title = models.CharField(
        _("title of the publicity of excellent stations"),
        max_length=200,
        default="福州高新区优秀人才驿站拟评选名单公示",
    )
    excellent_publicity_basis = models.TextField(
        _("basis of the publicity of excellent stations"),
        max_length=1000,
        default=(
            "根据《福州高新区人才驿站管理办法（试行）》（榕高新区人社规〔2024〕2号）第十四条，"
            "经区级人才驿站考核、区人才工作领导小组联席会议审议，拟评选以下人才驿站为"
            "福州高新区优秀人才驿站，现予以公示。"
        ),
    )
    rectification_days = models.PositiveSmallIntegerField(
        _("rectification period (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("The default deadline of a rectification order, counted from its issue."),
    )
    usage_report_years_after_payment = models.PositiveSmallIntegerField(
        _("usage report due (years after the payment)"),
        default=1,
        validators=[MaxValueValidator(5)],
        help_text=_(
            "Art. 19: the report on the use of an award is due on 31 December of the year of "
            "the payment plus this many years."
        ),
    )
    reminder_lead_days = LeadDaysField(
        _("reminder lead times (days)"),
        blank=True,
        help_text=_(
            "One line per kind of deadline: “call_close = 7, 1, -1” sends a reminder 7 days and "
            "1 day before the deadline and 1 day after it when it is overdue. A kind not named "
            "gets no reminders."
        ),
    )
    reminder_overdue_window_days = models.PositiveSmallIntegerField(
        _("reminders: overdue window (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "A reminder missed (the daily command did not run) is sent late, but not once its "
            "deadline is more than this many days behind."
        ),
    )
    upload_max_mb = models.PositiveSmallIntegerField(
        _("upload size limit (MB per file)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    stamped_scan_required = models.BooleanField(
        _("stamped scan of Annex 1 required before submission")
    )
    review_quorum = models.PositiveSmallIntegerField(
        _("expert score sheets needed for the shortlist"),
        default=0,
        help_text=_("0: every assigned expert must submit a score sheet."),
    )
    plaque_number_pattern = models.CharField(
        _("plaque number pattern"),
        max_length=100,
        default="榕高新人才驿站〔{year}〕{seq:03d}号",
        help_text=_(
            "{year} is the year of certification, {seq} the running number of that "
            "year, e.g. {seq:03d} for 001."
        ),
    )

    # The texts a list of stations to be certified starts its publicity with (staff may
    # change them for each list).
    new_stations_publicity_title = models.CharField(
        _("title of the publicity of new stations"),
        max_length=200,
        default="福州高新区人才驿站拟认定名单公示",
    )
    new_stations_publicity_basis = models.TextField(
        _("basis of the publicity of new stations"),
        max_length=1000,
        default=(
            "根据《福州高新区人才驿站管理办法（试行）》（榕高新区人社规〔2024〕2号）第十条，"
            "经专家实地考察和综合评估、区人才工作领导小组联席会议审议，拟认定以下单位为"
            "福州高新区人才驿站，现予以公示。"
        ),
    )

    class Meta:
        verbose_name = _("policy settings version")
        verbose_name_plural = _("policy settings versions")
        ordering = ["-version"]

    def __str__(self):
        return _("Policy settings v%(version)s (%(title)s)") % {
            "version": self.version,
            "title": self.title,
        }

    @classmethod
    def current(cls) -> "PolicyVersion":
        """The newest version; the 2024 rules if none exists yet."""
        latest = cls.objects.order_by("-version").first()
        if latest is None:
            latest = cls.objects.create(**policy_2024(), note="初始版本")
        return latest

    def lapsed(self, on=None) -> bool:
        """Whether the policy basis of this version is past its validity on ``on`` (today)."""
        return self.valid_until is not None and self.valid_until < (on or today())

    @property
    def upload_max_bytes(self) -> int:
        return self.upload_max_mb * 1024 * 1024

    @property
    def award_amounts(self):
        """The award of each rank, rank 1 first (``Decimal`` yuan)."""
        return [Decimal(str(pair["amount"])) for pair in sorted(self.awards, key=_rank)]

    def award_for(self, rank):
        """The award of ``rank`` (``Decimal`` yuan), or None for a rank the version names none."""
        amounts = self.award_amounts
        return amounts[rank - 1] if 1 <= rank <= len(amounts) else None

    @property
    def tie_break_titles(self):
        """The Annex 2 item titles that break a tie, first the first."""
        return [t.strip() for t in re.split("[、,，;；]", self.tie_break_items) if t.strip()]

    def usage_report_due(self, paid_on):
        """Art. 19: the last day of the year after the payment (by default)."""
        return datetime.date(paid_on.year + self.usage_report_years_after_payment, 12, 31)

    def lead_days(self, kind):
        """The lead times of the reminders of ``kind`` (days before; negative: after)."""
        return list((self.reminder_lead_days or {}).get(kind, []))

    def rule_values(self) -> dict:
        """The rule fields of this version, to prefill the next one (its dates and note are the
        new version's own: a successor or an extension states its own validity)."""
        return {
            f.name: getattr(self, f.name)
            for f in self._meta.concrete_fields
            if f.editable and f.name not in {"id", "effective_from", "valid_until", "note"}
        }

    def clean(self):
        if self.valid_until and self.effective_from and self.valid_until < self.effective_from:
            raise ValidationError(
                {"valid_until": _("The validity cannot end before the version takes effect.")}
            )
        try:
            self.plaque_number_pattern.format(year=2026, seq=1)
        except (KeyError, IndexError, ValueError):
            raise ValidationError(
                {"plaque_number_pattern": _("Use only {year} and {seq} in the pattern.")}
            ) from None
        from talentstation.reminders import kind_label

        window = self.reminder_overdue_window_days or 0
        for kind, days in (self.reminder_lead_days or {}).items():
            if isinstance(days, list) and any(isinstance(d, int) and -d > window for d in days):
                raise ValidationError(
                    {
                        "reminder_lead_days": _(
                            "%(kind)s: a reminder more than %(window)s days after the deadline "
                            "(the overdue window) would never be sent."
                        )
                        % {"kind": kind_label(kind), "window": window}
                    }
                )
        if "{seq" not in self.plaque_number_pattern:
            raise ValidationError(
                {"plaque_number_pattern": _("The pattern needs {seq}, or numbers would repeat.")}
            )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(
                _("A saved policy version cannot be changed; save a new version instead.")
            )

        def assign():
            last = PolicyVersion.objects.aggregate(last=models.Max("version"))["last"] or 0
            self.version = last + 1

        def insert():
            super(PolicyVersion, self).save(*args, **kwargs)

        save_with_next_number(self, assign, insert)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Policy versions are kept for the record and cannot be deleted."))
