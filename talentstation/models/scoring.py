"""Score sheets, used twice: the expert review of applications (Art. 6–8) and the biennial
station assessment (Annex 2).

A :class:`ScoreSheetTemplate` is a versioned sheet of :class:`ScoreItem` s, each scored by
choosing one of its :class:`ScoreTier` s or by typing points within a range, with a weight.
Points are data staff edit, never constants in code. Only a draft template can be edited;
"editing" an active one clones it into a new draft version (:meth:`ScoreSheetTemplate.new_version`)
and activating that draft retires the old version.

A :class:`ScoreSheet` is one scorer's filled sheet for one subject (an application, a station…);
its total is computed from its :class:`ScoreEntry` s and never accepted from input. The services
in :mod:`talentstation.scoring` fill, submit and aggregate sheets.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.i18n import label_value
from talentstation.numbering import save_with_next_number
from talentstation.numbers import plain_number

from .. import rules
from ..conditions import condition
from ..measures import measure_choices, measure_label

MAX_TOTAL = Decimal("100")
CENT = Decimal("0.01")


NOT_DRAFT = _(
    "Only a draft score sheet can be edited. Make a new draft version of it and activate that "
    "instead."
)
SUBMITTED_IS_FINAL = _("A submitted score sheet cannot be changed.")


def to_cents(value) -> Decimal:
    """``value`` as a Decimal rounded half-up to two places (how points are shown and stored)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_points(value) -> str:
    """Points rounded to cents, without needless zeros: 20, 7.5, 81.67."""
    return plain_number(to_cents(value))


class TemplateQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ScoreSheetTemplate.Status.ACTIVE)


@condition(
    lambda template: "；".join(str(p) for p in template.activation_problems()),
    summary=_("every item can be scored and the best possible total is exactly 100"),
)
def ready_to_activate(template):
    return not template.activation_problems()


class ScoreSheetTemplate(ConcurrentTransitionMixin, models.Model):
    """One version of a score sheet: its items, their tiers or point ranges and their weights.

    A version is edited only while it is a draft. Activating it checks that the best possible
    total is exactly 100 and retires the version of the same purpose that was active before.
    """

    class Purpose(models.TextChoices):
        APPLICATION_REVIEW = "application_review", _("expert review of station applications")
        STATION_ASSESSMENT = "station_assessment", _("station assessment (Annex 2)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "activate": _("activate the score sheet version"),
        "retire": _("retire the score sheet version"),
    }
    # What "editing the template" means; transitions change only status and activated_at.
    CONTENT_FIELDS = ("name", "purpose", "note")

    name = models.CharField(_("score sheet name"), max_length=200)
    purpose = models.CharField(_("used for"), max_length=32, choices=Purpose.choices)
    version = models.PositiveIntegerField(_("version"), editable=False)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    note = models.TextField(_("what changed and why"), max_length=1000, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("based on version"),
    )
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
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True, editable=False)

    objects = TemplateQuerySet.as_manager()
    history = HistoricalRecords(table_name="assessments_historicalscoresheettemplate")

    class Meta:
        db_table = "assessments_scoresheettemplate"  # kept when the model moved here
        verbose_name = _("score sheet template")
        verbose_name_plural = _("score sheet templates")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="score_template_version_per_purpose"
            ),
            models.UniqueConstraint(
                fields=["purpose"],
                condition=models.Q(status="active"),
                name="one_active_score_template_per_purpose",
            ),
        ]

    def __str__(self):
        return _("%(name)s v%(version)s (%(status)s)") % {
            "name": self.name,
            "version": self.version,
            "status": self.get_status_display(),
        }

    @classmethod
    def active_for(cls, purpose) -> "ScoreSheetTemplate | None":
        return cls.objects.active().filter(purpose=purpose).first()

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def ordered_items(self):
        """The items in order with their tiers (uses prefetched items when there are any)."""
        return self.items.all()

    def max_total(self) -> Decimal:
        """The best possible total: each item's best points times its weight, summed."""
        total = sum((item.max_contribution() for item in self.ordered_items()), Decimal("0"))
        # 100.0000 reads as 100.00; a total with more places is kept exact for the check.
        return total.quantize(CENT) if total == total.quantize(CENT) else total

    def activation_problems(self) -> list[str]:
        """Why this version cannot be activated yet; empty when it can."""
        items = list(self.ordered_items())
        if not items:
            return [gettext("The score sheet has no items.")]
        problems = []
        for item in items:
            if item.kind == ScoreItem.Kind.TIERS and not list(item.tiers.all()):
                problems.append(gettext("Item “%(item)s” has no tiers.") % {"item": item.title})
            if item.kind == ScoreItem.Kind.RANGE and not (item.max_points or 0) > 0:
                problems.append(
                    gettext("Item “%(item)s” needs its maximum points.") % {"item": item.title}
                )
        total = self.max_total()
        if total != MAX_TOTAL:
            problems.append(
                gettext("The maximum possible total is %(total)s; it must be exactly 100.")
                % {"total": format_points(total)}
            )
        return problems

    def assert_editable(self):
        if not self.is_editable:
            raise ValidationError(NOT_DRAFT, code="not_draft")

    def _assign_version(self):
        last = ScoreSheetTemplate.objects.filter(purpose=self.purpose).aggregate(
            last=models.Max("version")
        )["last"]
        self.version = (last or 0) + 1

    def save(self, *args, **kwargs):
        if self._state.adding:
            if not self.version:
                save_with_next_number(
                    self,
                    self._assign_version,
                    lambda: super(ScoreSheetTemplate, self).save(*args, **kwargs),
                )
                return
        else:
            stored = (
                ScoreSheetTemplate.objects.filter(pk=self.pk)
                .values("status", *self.CONTENT_FIELDS)
                .first()
            )
            if stored and stored["purpose"] != self.purpose:
                raise ValidationError(
                    {
                        "purpose": _(
                            "The purpose of a version cannot change; start a new score "
                            "sheet for the other purpose instead."
                        )
                    }
                )
            changed = stored and any(
                stored[name] != getattr(self, name) for name in self.CONTENT_FIELDS
            )
            if changed and stored["status"] != self.Status.DRAFT:
                raise ValidationError(NOT_DRAFT, code="not_draft")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not self.is_editable:
            raise ValidationError(
                _("An active or retired score sheet version is kept for the record.")
            )
        return super().delete(*args, **kwargs)

    def new_version(self, by) -> "ScoreSheetTemplate":
        """A new draft version of the same purpose with copies of this version's items and
        tiers: how staff "edit" a version that is active (or retired)."""
        with transaction.atomic():
            draft = ScoreSheetTemplate(
                name=self.name,
                purpose=self.purpose,
                note="",
                based_on=self,
                created_by=by if by is not None and by.is_authenticated else None,
            )
            draft.save()
            for item in self.items.prefetch_related("tiers__conditions"):
                tiers = list(item.tiers.all())
                item_copy = ScoreItem.objects.create(
                    template=draft,
                    order=item.order,
                    title=item.title,
                    description=item.description,
                    kind=item.kind,
                    weight=item.weight,
                    max_points=item.max_points,
                )
                for tier in tiers:
                    tier_copy = ScoreTier.objects.create(
                        item=item_copy, order=tier.order, label=tier.label, points=tier.points
                    )
                    for rule in tier.conditions.all():
                        ScoreTierCondition.objects.create(
                            tier=tier_copy,
                            measure=rule.measure,
                            operator=rule.operator,
                            value=rule.value,
                        )
        return draft

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.ACTIVE,
        permission=rules.manage_templates,
        conditions=[ready_to_activate],
        custom={"label": TRANSITION_LABELS["activate"]},
    )
    def activate(self, *, by, reason=""):
        from talentstation.workflow import perform

        previous = ScoreSheetTemplate.objects.active().filter(purpose=self.purpose)
        for old in previous.exclude(pk=self.pk):
            perform(
                old,
                "retire",
                by=by,
                reason=gettext("Replaced by version %(version)s.") % {"version": self.version},
                replaced_by=self,
            )
        self.activated_at = timezone.now()

    @transition(
        field=status,
        source=Status.ACTIVE,
        target=Status.RETIRED,
        permission=rules.manage_templates,
        custom={"label": TRANSITION_LABELS["retire"]},
    )
    def retire(self, *, by, reason="", replaced_by=None):
        """Run when the next version is activated. A version is never retired alone: that
        would leave new reviews without a score sheet."""
        from talentstation.rules import Refused

        if replaced_by is None:
            raise Refused(
                _(
                    "A version is retired by activating its successor (make a new draft "
                    "version, then activate it); retired alone, new reviews would have no "
                    "score sheet."
                )
            )


class ScoreItem(models.Model):
    """One line of a score sheet (e.g. 场地配备), scored by a tier or by points in a range.

    Its contribution to the total is the points times the weight.
    """

    class Kind(models.TextChoices):
        TIERS = "tiers", _("choose one tier")
        RANGE = "range", _("points within a range")

    template = models.ForeignKey(
        ScoreSheetTemplate,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("score sheet template"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("condition"),
        max_length=1000,
        blank=True,
        help_text=_("What the scorer checks, in the policy's words."),
    )
    kind = models.CharField(
        _("how it is scored"), max_length=10, choices=Kind.choices, default=Kind.TIERS
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(CENT)],
        help_text=_("The item counts its points times this weight."),
    )
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(CENT)],
        help_text=_("For items scored within a range; a tiered item's maximum is its best tier."),
    )

    history = HistoricalRecords(table_name="assessments_historicalscoreitem")

    class Meta:
        db_table = "assessments_scoreitem"  # kept when the model moved here
        verbose_name = _("score sheet item")
        verbose_name_plural = _("score sheet items")
        ordering = ["template", "order", "pk"]

    def __str__(self):
        return self.title

    def maximum(self) -> Decimal:
        """The best points of this item, before the weight."""
        if self.kind == self.Kind.RANGE:
            return self.max_points or Decimal("0")
        return max((tier.points for tier in self.tiers.all()), default=Decimal("0"))

    def max_contribution(self) -> Decimal:
        return self.maximum() * self.weight

    def clean(self):
        if self.kind == self.Kind.RANGE and not self.max_points:
            raise ValidationError(
                {"max_points": _("An item scored within a range needs its maximum points.")}
            )
        if self.kind == self.Kind.TIERS and self.max_points is not None:
            raise ValidationError(
                {
                    "max_points": _(
                        "A tiered item takes its maximum from its best tier; leave "
                        "the maximum points empty."
                    )
                }
            )

    def save(self, *args, **kwargs):
        ScoreSheetTemplate.objects.get(pk=self.template_id).assert_editable()
        if self.pk is not None:
            stored = ScoreItem.objects.filter(pk=self.pk).values_list("template_id", flat=True)
            for template_id in stored:
                ScoreSheetTemplate.objects.get(pk=template_id).assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ScoreSheetTemplate.objects.get(pk=self.template_id).assert_editable()
        return super().delete(*args, **kwargs)


class ScoreTier(models.Model):
    """One choice of a tiered item, e.g. 「设立项目展示和人才政策宣传专区，分发政策宣传单等」,
    worth the points staff set for it."""

    item = models.ForeignKey(
        ScoreItem, on_delete=models.CASCADE, related_name="tiers", verbose_name=_("item")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("tier"), max_length=500)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords(table_name="assessments_historicalscoretier")

    class Meta:
        db_table = "assessments_scoretier"  # kept when the model moved here
        verbose_name = _("score tier")
        verbose_name_plural = _("score tiers")
        ordering = ["item", "order", "pk"]

    def __str__(self):
        return _("%(label)s (%(points)s points)") % {
            "label": self.label,
            "points": format_points(self.points),
        }

    def _template(self, item_id):
        return ScoreSheetTemplate.objects.get(items__pk=item_id)

    def save(self, *args, **kwargs):
        if self.points is not None and self.points < 0:
            raise ValidationError({"points": _("Points cannot be negative.")})
        self._template(self.item_id).assert_editable()
        if self.pk is not None:
            for item_id in ScoreTier.objects.filter(pk=self.pk).values_list("item_id", flat=True):
                self._template(item_id).assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._template(self.item_id).assert_editable()
        return super().delete(*args, **kwargs)


class ScoreTierCondition(models.Model):
    """A machine-readable condition of a tier on the evidence of the subject, e.g. "accepted
    activities in the year ≥ 5": a proposal is the first tier, in order, whose conditions all
    hold (see :func:`talentstation.scoring.proposed_tier`). Versioned with its template: it
    changes only while the template is a draft."""

    class Operator(models.TextChoices):
        AT_LEAST = ">=", "≥"
        MORE_THAN = ">", ">"
        AT_MOST = "<=", "≤"
        LESS_THAN = "<", "<"
        EQUALS = "==", "="

    tier = models.ForeignKey(
        ScoreTier, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("tier")
    )
    measure = models.CharField(_("measure"), max_length=40, choices=measure_choices)
    operator = models.CharField(
        _("comparison"), max_length=2, choices=Operator.choices, default=Operator.AT_LEAST
    )
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tier condition")
        verbose_name_plural = _("tier conditions")
        ordering = ["tier", "pk"]

    def __str__(self):
        measure = measure_label(self.measure)
        return f"{measure} {self.get_operator_display()} {plain_number(self.value)}"

    def holds(self, evidence) -> bool:
        """Whether the condition holds for ``evidence`` (a missing measure never holds)."""
        value = evidence.get(self.measure)
        if value is None:
            return False
        value = Decimal(value)
        return {
            ">=": value >= self.value,
            ">": value > self.value,
            "<=": value <= self.value,
            "<": value < self.value,
            "==": value == self.value,
        }[self.operator]

    def _template(self, tier_id):
        return ScoreSheetTemplate.objects.get(items__tiers__pk=tier_id)

    def save(self, *args, **kwargs):
        self._template(self.tier_id).assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._template(self.tier_id).assert_editable()
        return super().delete(*args, **kwargs)


@condition(
    lambda sheet: (
        _("Score every item first: %(items)s.")
        % {"items": "、".join(item.title for item in sheet.unanswered_items())}
    ),
    summary=_("every item is scored"),
)
def all_items_answered(sheet):
    return not sheet.unanswered_items()


def _subject_blocker(sheet):
    """What the sheet's subject says stops its submission (e.g. an application's review needs
    the expert's on-site visit first): ``subject.score_sheet_blocker(sheet)``, or None."""
    blocker = getattr(sheet.subject, "score_sheet_blocker", None)
    return blocker(sheet) if blocker else None


@condition(
    lambda sheet: _subject_blocker(sheet),
    summary=_("what the subject requires first (for an application: the on-site visit)"),
)
def subject_allows_submission(sheet):
    return _subject_blocker(sheet) is None


class ScoreSheetQuerySet(models.QuerySet):
    def for_subject(self, subject):
        return self.filter(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
        )

    def submitted(self):
        return self.filter(status=ScoreSheet.Status.SUBMITTED)


class ScoreSheet(ConcurrentTransitionMixin, models.Model):
    """One scorer's filled score sheet for one subject (an application, a station…).

    The total is computed from the entries by :meth:`recompute_total` (also on every save):
    it is never typed and never taken from input. A submitted sheet cannot change.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {"submit": _("submit the score sheet")}

    template = models.ForeignKey(
        ScoreSheetTemplate,
        on_delete=models.PROTECT,
        related_name="sheets",
        verbose_name=_("score sheet template"),
    )
    scorer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="score_sheets",
        verbose_name=_("scorer"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("kind of subject")
    )
    object_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("content_type", "object_id")
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    total = models.DecimalField(
        _("total"), max_digits=8, decimal_places=2, default=Decimal("0"), editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)

    objects = ScoreSheetQuerySet.as_manager()
    history = HistoricalRecords(table_name="assessments_historicalscoresheet")

    class Meta:
        db_table = "assessments_scoresheet"  # kept when the model moved here
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["content_type", "object_id", "template", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "scorer", "content_type", "object_id"],
                name="one_score_sheet_per_scorer_subject_template",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]

    def __str__(self):
        return _("%(scorer)s: %(template)s for %(subject)s") % {
            "scorer": self.scorer,
            "template": self.template.name,
            "subject": self.subject,
        }

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def entries_by_item(self) -> dict:
        return {entry.item_id: entry for entry in self.entries.select_related("item", "tier")}

    def unanswered_items(self) -> list:
        entries = self.entries_by_item()
        return [
            item
            for item in self.template.items.all()
            if item.pk not in entries or not entries[item.pk].answered
        ]

    def computed_total(self) -> Decimal:
        if self.pk is None:
            return Decimal("0")
        values = (entry.value() for entry in self.entries.select_related("item", "tier"))
        return to_cents(sum((v for v in values if v is not None), Decimal("0")))

    def recompute_total(self, save=True) -> Decimal:
        """Set :attr:`total` from the entries (the only way it is ever set)."""
        self.total = self.computed_total()
        if save and self.pk is not None:
            type(self).objects.filter(pk=self.pk).update(
                total=self.total, updated_at=timezone.now()
            )
        return self.total

    def assert_editable(self):
        if not self.is_editable:
            raise ValidationError(SUBMITTED_IS_FINAL, code="submitted")

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True)
            if self.Status.SUBMITTED in stored:
                raise ValidationError(SUBMITTED_IS_FINAL, code="submitted")
        # Whatever was assigned, the total is what the entries say.
        self.total = self.computed_total()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.assert_editable()
        return super().delete(*args, **kwargs)

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=rules.fill_sheet,
        conditions=[all_items_answered, subject_allows_submission],
        custom={"label": TRANSITION_LABELS["submit"]},
    )
    def submit(self, *, by, reason=""):
        self.recompute_total(save=False)
        self.submitted_at = timezone.now()


class ScoreEntry(models.Model):
    """The score of one item on one sheet: a tier (tiered items) or points (range items)."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="entries", verbose_name=_("score sheet")
    )
    item = models.ForeignKey(
        ScoreItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    tier = models.ForeignKey(
        ScoreTier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tier"),
    )
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)

    history = HistoricalRecords(table_name="assessments_historicalscoreentry")

    class Meta:
        db_table = "assessments_scoreentry"  # kept when the model moved here
        verbose_name = _("score entry")
        verbose_name_plural = _("score entries")
        ordering = ["sheet", "item__order", "item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="one_entry_per_item_per_sheet")
        ]

    def __str__(self):
        value = self.value()
        return label_value(self.item, "—" if value is None else format_points(value))

    @property
    def answered(self) -> bool:
        if self.item.kind == ScoreItem.Kind.TIERS:
            return self.tier_id is not None
        return self.points is not None

    def value(self) -> Decimal | None:
        """The contribution to the total: the tier's points or the typed points, times the
        item's weight; None while unanswered."""
        if self.item.kind == ScoreItem.Kind.TIERS:
            points = self.tier.points if self.tier_id is not None else None
        else:
            points = self.points
        return None if points is None else points * self.item.weight

    def clean(self):
        item = self.item
        if self.sheet.template_id != item.template_id:
            raise ValidationError({"item": _("The item belongs to another score sheet template.")})
        if item.kind == ScoreItem.Kind.TIERS:
            if self.points is not None:
                raise ValidationError({"points": _("Choose a tier for this item.")})
            if self.tier_id is not None and self.tier.item_id != item.pk:
                raise ValidationError({"tier": _("Choose one of this item's tiers.")})
        else:
            if self.tier_id is not None:
                raise ValidationError({"tier": _("This item is scored with points, not a tier.")})
            maximum = item.max_points or Decimal("0")
            if self.points is not None and not Decimal("0") <= self.points <= maximum:
                raise ValidationError(
                    {
                        "points": _("Give between 0 and %(max)s points.")
                        % {"max": format_points(maximum)}
                    }
                )

    def save(self, *args, recompute=True, **kwargs):
        """Validate and save; then the sheet's total follows (unless ``recompute=False``, for
        callers that save several entries and recompute once)."""
        ScoreSheet.objects.get(pk=self.sheet_id).assert_editable()
        self.clean()
        super().save(*args, **kwargs)
        if recompute:
            self.sheet.recompute_total()

    def delete(self, *args, **kwargs):
        ScoreSheet.objects.get(pk=self.sheet_id).assert_editable()
        result = super().delete(*args, **kwargs)
        self.sheet.recompute_total()
        return result
