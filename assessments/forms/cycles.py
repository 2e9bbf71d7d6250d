"""Forms of the biennial assessment: assigning scorers, refreshing a cycle, correcting a score,
the scorer's yearly tiers and the station's self-assessment."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentstation.forms_base import PortalForm
from talentstation.models import PolicyVersion
from talentstation.models.scoring import ScoreItem, format_points
from talentstation.roles import Role
from talentstation.uploads import UploadField

from ..models import SelfAssessment, SelfAssessmentClaim, TierOverride
from ..scoring import field_name, reason_name


class AssignScorerForm(PortalForm):
    scorer = forms.ModelChoiceField(
        label=_("scorer"),
        queryset=get_user_model().objects.none(),
        help_text=_("Experts and bureau staff; an expert affiliated with the station is refused."),
    )
    due_date = forms.DateField(
        label=_("due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the day scoring closes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scorer"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(groups__name=Role.EXPERT.value) | Q(groups__name=Role.STAFF.value))
            .distinct()
            .order_by("full_name", "username")
        )


class ReasonForm(PortalForm):
    reason = forms.CharField(
        label=_("reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class CorrectScoreForm(ReasonForm):
    score = forms.DecimalField(
        label=_("corrected score"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    field_order = ["score", "reason"]


class DeclareForm(PortalForm):
    declare = forms.BooleanField(
        label=_(
            "I declare that I have no conflict of interest with this station, its host unit or "
            "its host institution."
        )
    )


def _tier_field(item, *, label, required=False):
    if item.kind == ScoreItem.Kind.TIERS:
        return forms.TypedChoiceField(
            label=label,
            choices=[(tier.pk, str(tier)) for tier in item.tiers.all()],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            required=required,
        )
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=item.max_points,
        max_digits=6,
        decimal_places=2,
        required=required,
        help_text=_("Give between 0 and %(max)s points.")
        % {"max": format_points(item.max_points or 0)},
    )


class ScoringForm(PortalForm):
    """The scorer's choices for every counted year and item (the proposals preselected), with a
    reason field beside each: needed when the choice differs from the proposal."""

    def __init__(self, year_rows, *args, editable=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.year_rows = year_rows
        reason_max = TierOverride._meta.get_field("reason").max_length
        for row in year_rows:
            for item_row in row.items:
                item, year = item_row.item, row.year.year
                name = field_name(year, item)
                self.fields[name] = _tier_field(
                    item, label=_("%(item)s (%(year)s)") % {"item": item.title, "year": year}
                )
                if item_row.chosen is not None:
                    self.initial[name] = getattr(item_row.chosen, "pk", item_row.chosen)
                self.fields[reason_name(year, item)] = forms.CharField(
                    label=_("Why another tier than proposed (%(item)s, %(year)s)")
                    % {"item": item.title, "year": year},
                    max_length=reason_max,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                )
                self.initial[reason_name(year, item)] = item_row.reason
        if not editable:
            for field in self.fields.values():
                field.disabled = True

    def bound_rows(self):
        """Per year: its row and, per item, (item row, choice field, reason field)."""
        return [
            (
                row,
                [
                    (
                        item_row,
                        self[field_name(row.year.year, item_row.item)],
                        self[reason_name(row.year.year, item_row.item)],
                    )
                    for item_row in row.items
                ],
            )
            for row in self.year_rows
        ]

    def choices(self) -> dict:
        """``{(year, item_pk): (value, reason)}`` for :func:`assessments.scoring.save_scores`."""
        return {
            (row.year.year, item_row.item.pk): (
                self.cleaned_data.get(field_name(row.year.year, item_row.item)),
                self.cleaned_data.get(reason_name(row.year.year, item_row.item), ""),
            )
            for row in self.year_rows
            for item_row in row.items
        }

    def add_service_errors(self, error: ValidationError):
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def claim_field_name(item):
    return f"claim_{item.pk}"


def explanation_field_name(item):
    return f"explanation_{item.pk}"


class SelfAssessmentForm(PortalForm):
    """The station's claims (a tier and a short explanation per item), the overall summary and
    an optional attachment. Saving keeps a draft; submitting needs every item and the summary."""

    summary = forms.CharField(
        label=_("overall summary"),
        max_length=SelfAssessment._meta.get_field("summary").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the station did in the two years, in a few paragraphs."),
    )
    attachment = UploadField(label=_("attachment (optional)"), required=False)

    def __init__(self, self_assessment, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.self_assessment = self_assessment
        cycle = self_assessment.assessment.cycle
        policy = cycle.policy_version or PolicyVersion.current()
        self.fields["attachment"].max_bytes = policy.upload_max_bytes
        self.items = list(cycle.rubric.items.prefetch_related("tiers"))
        claims = {c.item_id: c for c in self_assessment.claims.all()} if self_assessment.pk else {}
        explanation_max = SelfAssessmentClaim._meta.get_field("explanation").max_length
        self.initial.setdefault("summary", self_assessment.summary)
        for item in self.items:
            if item.kind != ScoreItem.Kind.TIERS:
                continue
            self.fields[claim_field_name(item)] = _tier_field(
                item, label=_("Tier claimed: %(item)s") % {"item": item.title}
            )
            self.fields[claim_field_name(item)].help_text = item.description
            self.fields[explanation_field_name(item)] = forms.CharField(
                label=_("Explanation (%(item)s)") % {"item": item.title},
                max_length=explanation_max,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            claim = claims.get(item.pk)
            if claim is not None:
                self.initial.setdefault(claim_field_name(item), claim.tier_id)
                self.initial.setdefault(explanation_field_name(item), claim.explanation)

    def item_rows(self):
        return [
            (item, self[claim_field_name(item)], self[explanation_field_name(item)])
            for item in self.items
            if claim_field_name(item) in self.fields
        ]

    def claims(self) -> dict:
        """``{item_pk: (tier_pk or None, explanation)}``."""
        return {
            item.pk: (
                self.cleaned_data.get(claim_field_name(item)),
                self.cleaned_data.get(explanation_field_name(item), ""),
            )
            for item, _claim, _explanation in self.item_rows()
        }
