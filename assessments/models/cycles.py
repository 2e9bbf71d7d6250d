"""The biennial assessment (Art. 12, Annex 2): cycles, the stations assessed in them, the
calendar years counted, scorers' overrides of proposed tiers and the stations' self-assessments.

A :class:`AssessmentCycle` (考核周期) covers two calendar years. Opening it pins the policy
settings and the Annex 2 score sheet in force and makes one :class:`Assessment` per station
included. Each assessment has one :class:`AssessmentYear` per calendar year of the cycle; a
year in which the station was certified long enough is *counted*, and each scorer fills one
score sheet (``talentstation.ScoreSheet``, subject the year) per counted year. A scorer's
cycle total is the mean of his yearly totals; the station's score combines the scorers' cycle
totals (mean or median) and is stored at closing, rounded to cents.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo

from .. import rules

SCORE_MAX_DIGITS = 6


class CycleQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=AssessmentCycle.Status.OPEN)

    def closed(self):
        return self.filter(status=AssessmentCycle.Status.CLOSED)


def _rubric_problem(cycle):
    from talentstation.models.scoring import ScoreSheetTemplate

    if ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.STATION_ASSESSMENT) is None:
        return gettext("No version of the Annex 2 score sheet is active; activate one first.")
    return None


@condition(
    lambda cycle: _rubric_problem(cycle),
    summary=_("a version of the Annex 2 score sheet is active"),
)
def rubric_available(cycle):
    return _rubric_problem(cycle) is None


def _closing_problem(cycle):
    from ..cycles import closing_problems

    problems = closing_problems(cycle)
    return "；".join(problems) if problems else None


@condition(
    lambda cycle: _closing_problem(cycle),
    summary=_("every station assessed has the score sheets it needs"),
)
def scores_complete(cycle):
    return _closing_problem(cycle) is None


class AssessmentCycle(ConcurrentTransitionMixin, models.Model):
    """考核周期: the assessment of every certified station over two calendar years."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in preparation")
        OPEN = "open", pgettext_lazy("assessment cycle", "open")
        CLOSED = "closed", pgettext_lazy("assessment cycle", "closed")

    class Combine(models.TextChoices):
        MEAN = "mean", _("mean of the scorers' totals")
        MEDIAN = "median", _("median of the scorers' totals")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "open": _("open the assessment cycle"),
        "refresh_members": _("update the stations assessed"),
        "close": _("close the assessment cycle"),
    }

    first_year = models.PositiveSmallIntegerField(
        _("first year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The cycle covers this calendar year and the next."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    inclusion_date = models.DateField(
        _("inclusion date"),
        blank=True,
        help_text=_(
            "Stations certified on or before this date and not revoked are assessed "
            "(default: 1 January of the first year)."
        ),
    )
    self_assessment_due = models.DateField(_("self-assessment due"))
    scoring_opens = models.DateField(_("scoring opens"))
    scoring_closes = models.DateField(_("scoring closes"))
    result_date = models.DateField(_("result date"), null=True, blank=True)
    combine = models.CharField(
        _("how the scorers' totals are combined"),
        max_length=10,
        choices=Combine.choices,
        default=Combine.MEAN,
    )
    policy_version = models.ForeignKey(
        "talentstation.PolicyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("policy settings version"),
    )
    rubric = models.ForeignKey(
        "talentstation.ScoreSheetTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("score sheet version"),
    )
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    objects = CycleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        ordering = ["-first_year"]

    def __str__(self):
        return self.title or self.default_title()

    def default_title(self):
        return gettext("%(first)s–%(second)s station assessment") % {
            "first": self.first_year,
            "second": self.second_year,
        }

    @property
    def second_year(self):
        return (self.first_year or 0) + 1

    @property
    def years(self):
        return [self.first_year, self.second_year]

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def min_certified_months(self) -> int:
        """Months a station must have been certified in a year for that year to count."""
        from talentstation.models import PolicyVersion

        policy = self.policy_version or PolicyVersion.current()
        return policy.assessment_min_certified_months

    def clean(self):
        super().clean()
        if self.first_year and not self.inclusion_date:
            self.inclusion_date = datetime.date(self.first_year, 1, 1)
        errors = {}
        if self.scoring_opens and self.scoring_closes and self.scoring_opens > self.scoring_closes:
            errors["scoring_closes"] = _("Scoring cannot close before it opens.")
        if (
            self.self_assessment_due
            and self.scoring_closes
            and self.self_assessment_due > self.scoring_closes
        ):
            errors["self_assessment_due"] = _("Self-assessments must be due before scoring closes.")
        if self.result_date and self.scoring_closes and self.result_date < self.scoring_closes:
            errors["result_date"] = _("The result date cannot be before scoring closes.")
        if self.first_year and self.inclusion_date and self.inclusion_date.year > self.second_year:
            errors["inclusion_date"] = _("The inclusion date must lie before the cycle ends.")
        if self.first_year:
            overlapping = AssessmentCycle.objects.filter(
                first_year__gte=self.first_year - 1, first_year__lte=self.first_year + 1
            ).exclude(pk=self.pk)
            if overlapping.exists():
                errors["first_year"] = _(
                    "Another cycle already covers one of these years: %(cycle)s."
                ) % {"cycle": overlapping.first()}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.first_year and not self.inclusion_date:
            self.inclusion_date = datetime.date(self.first_year, 1, 1)
        super().save(*args, **kwargs)

    def notify_transition(self, log):
        """Opening tells the users of every station included what to file and by when."""
        if log.transition != "open":
            return
        from ..cycles import notify_opening

        notify_opening(self, log)

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.OPEN,
        permission=rules.manage_cycles,
        conditions=[rubric_available],
        custom={"label": TRANSITION_LABELS["open"]},
    )
    def open(self, *, by, reason=""):
        from ..cycles import pin_and_include

        pin_and_include(self)
        self.opened_at = timezone.now()

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.OPEN,
        permission=rules.manage_cycles,
        custom={"label": TRANSITION_LABELS["refresh_members"], "reason_required": True},
    )
    def refresh_members(self, *, by, reason="", plan=None):
        from ..cycles import apply_membership_plan

        apply_membership_plan(self, plan)

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.CLOSED,
        permission=rules.manage_cycles,
        conditions=[scores_complete],
        custom={"label": TRANSITION_LABELS["close"]},
    )
    def close(self, *, by, reason=""):
        from ..cycles import finalise_scores

        finalise_scores(self, by=by)
        self.closed_at = timezone.now()


class Assessment(ConcurrentTransitionMixin, models.Model):
    """One station assessed in one cycle: the subject of its scorers' assignments."""

    class Status(models.TextChoices):
        SCORING = "scoring", _("being scored")
        FINAL = "final", _("final")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "finalise": _("store the final score"),
        "correct": _("correct the final score"),
    }
    # Who may be assigned to score it (read by talentstation.assignments.assign_scorer).
    SCORER_RULE = rules.may_score_assessments

    cycle = models.ForeignKey(
        AssessmentCycle,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("assessment cycle"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("station"),
    )
    station_status = models.CharField(
        _("station status when included"), max_length=20, editable=False
    )
    included_at = models.DateTimeField(_("included at"), default=timezone.now, editable=False)
    status = FSMField(_("status"), choices=Status.choices, default=Status.SCORING, protected=True)
    computed_score = models.DecimalField(
        _("score computed at closing"),
        max_digits=SCORE_MAX_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    score = models.DecimalField(
        _("final score"),
        max_digits=SCORE_MAX_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("station assessment")
        verbose_name_plural = _("station assessments")
        ordering = ["cycle", "station__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "station"], name="one_assessment_per_cycle")
        ]

    def __str__(self):
        return f"{self.station} · {self.cycle}"

    @property
    def host_unit_id(self):
        """The station's unit (the station is loaded once): for the unit rules."""
        return self.station.host_unit_id

    # What the general scorer assignment asks of its subject.

    def conflict_credit_codes(self) -> set[str]:
        """The credit codes an affiliated scorer is refused for: the host unit's, and the host
        institution's the station's applications named (any of them, to be safe)."""
        codes = set(
            self.station.applications.exclude(host_institution_credit_code="").values_list(
                "host_institution_credit_code", flat=True
            )
        )
        return {self.station.host_unit.credit_code, *codes}

    def assignment_blocker(self):
        if not self.cycle.is_open:
            return gettext("Scorers are assigned only while the cycle is open.")
        if not self.years.filter(counted=True).exists():
            return gettext("No year of this cycle counts for this station (certified too briefly).")
        return None

    def assignment_notice(self, assignment):
        from django.urls import reverse

        subject = gettext("Assessment to score: %(station)s (%(cycle)s)") % {
            "station": self.station,
            "cycle": self.cycle,
        }
        body = gettext(
            "Bureau staff ask you to score the station %(station)s in %(cycle)s. Declare that "
            "you have no conflict of interest, then score each counted year by %(due)s."
        ) % {
            "station": self.station,
            "cycle": self.cycle,
            "due": assignment.due_date or self.cycle.scoring_closes,
        }
        return subject, body, reverse("assessments:assessment_score", args=[self.pk])

    def notify_transition(self, log):
        """A correction of a final score tells the station's users."""
        if log.transition != "correct":
            return
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.station.host_unit.users(),
            subject=gettext("Assessment of %(station)s: the score was corrected")
            % {"station": self.station},
            log=log,
            link=reverse("assessments:assessment_detail", args=[self.pk]),
        )

    @transition(
        field=status,
        source=Status.SCORING,
        target=Status.FINAL,
        permission=rules.manage_cycles,
        custom={"label": TRANSITION_LABELS["finalise"]},
    )
    def finalise(self, *, by, reason="", score=None):
        self.computed_score = score
        self.score = score

    @transition(
        field=status,
        source=Status.FINAL,
        target=Status.FINAL,
        permission=rules.correct_scores,
        custom={"label": TRANSITION_LABELS["correct"], "reason_required": True},
    )
    def correct(self, *, by, reason="", score):
        self.score = score


class AssessmentYear(models.Model):
    """One calendar year of a station's assessment: the subject of the scorers' yearly sheets.

    ``counted`` when the station was certified at least the policy's minimum months of it;
    ``evidence`` is what the logs and the profile said, kept when the cycle closes.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="years", verbose_name=_("assessment")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    months_certified = models.PositiveSmallIntegerField(_("months certified"), default=0)
    counted = models.BooleanField(_("counted"), default=False)
    evidence = models.JSONField(_("evidence at closing"), default=dict, blank=True)

    class Meta:
        verbose_name = _("assessment year")
        verbose_name_plural = _("assessment years")
        ordering = ["assessment", "year"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "year"], name="one_row_per_year")
        ]

    def __str__(self):
        return gettext("%(assessment)s, year %(year)s") % {
            "assessment": self.assessment,
            "year": self.year,
        }

    def score_sheet_blocker(self, sheet):
        """A yearly sheet is submitted only while the cycle is open, by a declared scorer."""
        assessment = self.assessment
        if not assessment.cycle.is_open:
            return gettext("The cycle is closed; its scores are locked.")
        if not self.counted:
            return gettext("This year does not count for this station.")
        decision = rules.score_assessment.check(sheet.scorer, assessment)
        return None if decision else decision.reason


class TierOverride(models.Model):
    """A scorer chose another tier than the evidence proposed, and wrote why (audited)."""

    sheet = models.ForeignKey(
        "talentstation.ScoreSheet",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("score sheet"),
    )
    item = models.ForeignKey(
        "talentstation.ScoreItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("item"),
    )
    proposed_tier = models.ForeignKey(
        "talentstation.ScoreTier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed tier"),
    )
    chosen_tier = models.ForeignKey(
        "talentstation.ScoreTier",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chosen tier"),
    )
    reason = models.TextField(_("reason for the other tier"), max_length=1000)
    recorded_by = recorded_by(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("override of a proposed tier")
        verbose_name_plural = _("overrides of proposed tiers")
        ordering = ["sheet", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="one_override_per_item")
        ]

    def __str__(self):
        return f"{self.item}: {self.chosen_tier.label}"


def _self_assessment_problem(self_assessment):
    missing = self_assessment.missing_items()
    if missing:
        return gettext("Claim a tier for every item first: %(items)s.") % {
            "items": "、".join(item.title for item in missing)
        }
    if not self_assessment.summary.strip():
        return gettext("Write the overall summary first.")
    return None


@condition(
    lambda self_assessment: _self_assessment_problem(self_assessment),
    summary=_("a tier claimed for every item and an overall summary"),
)
def claims_complete(self_assessment):
    return _self_assessment_problem(self_assessment) is None


class SelfAssessment(ConcurrentTransitionMixin, models.Model):
    """自评: what the station claims per item, filed once per cycle by its own users."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "submit": _("submit the self-assessment"),
        "return_for_correction": _("return the self-assessment for correction"),
    }

    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.CASCADE,
        related_name="self_assessment",
        verbose_name=_("assessment"),
    )
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    summary = models.TextField(_("overall summary"), max_length=2000, blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to=UploadTo("self_assessments"), blank=True, max_length=200
    )
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = recorded_by(_("submitted by"))

    history = HistoricalRecords(excluded_fields=["attachment"])

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["assessment"]

    def __str__(self):
        return gettext("Self-assessment of %(assessment)s") % {"assessment": self.assessment}

    @property
    def host_unit_id(self):
        return self.assessment.host_unit_id

    @property
    def due(self):
        return self.assessment.cycle.self_assessment_due

    @property
    def is_late(self) -> bool:
        """Submitted after its due date, or still not submitted after it."""
        from talentstation.dates import today

        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.due
        return today() > self.due

    def missing_items(self):
        claimed = {c.item_id for c in self.claims.all() if c.tier_id is not None}
        return [item for item in self.assessment.cycle.rubric.items.all() if item.pk not in claimed]

    def notify_transition(self, log):
        """Tell the station's users that it was submitted or returned."""
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.assessment.station.host_unit.users(),
            subject=gettext("Self-assessment of %(station)s: %(change)s")
            % {"station": self.assessment.station, "change": log.transition_label},
            log=log,
            link=reverse("assessments:self_assessment_detail", args=[self.assessment_id]),
        )

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=rules.file_self_assessment,
        conditions=[claims_complete],
        custom={"label": TRANSITION_LABELS["submit"]},
    )
    def submit(self, *, by, reason=""):
        self.submitted_at = timezone.now()
        self.submitted_by = by

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.DRAFT,
        permission=rules.return_self_assessment,
        custom={"label": TRANSITION_LABELS["return_for_correction"], "reason_required": True},
    )
    def return_for_correction(self, *, by, reason=""):
        self.submitted_at = None


class SelfAssessmentClaim(models.Model):
    """The tier a station claims for one item of the cycle's sheet, with a short explanation."""

    self_assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=_("self-assessment"),
    )
    item = models.ForeignKey(
        "talentstation.ScoreItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("item"),
    )
    tier = models.ForeignKey(
        "talentstation.ScoreTier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tier claimed"),
    )
    explanation = models.TextField(_("explanation"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment claim")
        verbose_name_plural = _("self-assessment claims")
        ordering = ["self_assessment", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["self_assessment", "item"], name="one_claim_per_item")
        ]

    def __str__(self):
        return f"{self.item}: {self.tier.label if self.tier_id else '—'}"


class ItemScore(models.Model):
    """A station's points on one item of the cycle's sheet, stored when the cycle closes: the
    combination (mean or median, as the cycle says) of each complete scorer's mean over the
    counted years, rounded to cents."""

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="item_scores",
        verbose_name=_("assessment"),
    )
    item = models.ForeignKey(
        "talentstation.ScoreItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("item"),
    )
    points = models.DecimalField(_("points"), max_digits=SCORE_MAX_DIGITS, decimal_places=2)

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["assessment", "item__order", "item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_item_score_each")
        ]

    def __str__(self):
        from talentstation.models.scoring import format_points

        return f"{self.item}: {format_points(self.points)}"
