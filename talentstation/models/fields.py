"""Field shapes the portal's models repeat."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def recorded_by(verbose_name, *, editable=False, related_name="+"):
    """Who did something (created, edited, uploaded…): optional, kept when the user goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=editable,
        related_name=related_name,
        verbose_name=verbose_name,
    )


AWARD_LINE = re.compile(
    r"^\s*第?\s*(\d{1,3})\s*名?\s*[=:：＝]\s*([0-9][0-9,，]*(?:\.[0-9]{1,2})?)\s*元?\s*$"
)


def awards_text(pairs):
    """A list of awards as a form shows it: one line per rank, ``1 = 50000.00``."""
    return "\n".join(f"{pair['rank']} = {pair['amount']}" for pair in (pairs or []))


def parse_awards(text):
    """The awards of ``text`` (one ``rank = amount`` a line), or ValidationError naming the
    line that is not one."""
    pairs = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = AWARD_LINE.match(line)
        if not match:
            raise ValidationError(
                _("Line %(line)s is not “rank = amount in yuan” (e.g. 1 = 50000).")
                % {"line": number}
            )
        amount = Decimal(re.sub("[,，]", "", match.group(2))).quantize(Decimal("0.01"))
        pairs.append({"rank": int(match.group(1)), "amount": str(amount)})
    return pairs


def validate_award_list(value):
    """Ranks 1, 2, … without gaps or repeats; amounts positive and not increasing with rank."""
    try:
        pairs = [(int(pair["rank"]), Decimal(str(pair["amount"]))) for pair in value or []]
    except (TypeError, KeyError, ValueError, InvalidOperation):
        raise ValidationError(_("Each award needs a rank and an amount in yuan.")) from None
    if [rank for rank, _amount in pairs] != list(range(1, len(pairs) + 1)):
        raise ValidationError(_("Name the ranks 1, 2, 3 … in order, each once."))
    if any(amount <= 0 for _rank, amount in pairs):
        raise ValidationError(_("Every award must be more than 0 yuan."))
    amounts = [amount for _rank, amount in pairs]
    if amounts != sorted(amounts, reverse=True):
        raise ValidationError(
            _("Award amounts must not increase with rank (rank 1 ≥ rank 2 ≥ rank 3).")
        )


class AwardListFormField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})
    default_validators = [validate_award_list]

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        kwargs["max_length"] = 500  # a few dozen ranks at most
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value if isinstance(value, str) else awards_text(value)

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return parse_awards(super().to_python(value))

    def has_changed(self, initial, data):
        try:
            return parse_awards(data) != (initial or [])
        except ValidationError:
            return True


class AwardListField(models.JSONField):
    """The awards of a policy version: a list of ``{"rank": 1, "amount": "50000.00"}``, edited
    as one line per rank, so a later version may name more or fewer ranks than three."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("validators", [validate_award_list])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AwardListFormField, **kwargs})


# --- reminder lead times ----------------------------------------------------------------------

#: Lead times of the reminders of each kind of deadline, in days before it (negative: after it,
#: overdue). The 2024 defaults; fixtures/policy_2024.yaml repeats them.
DEFAULT_REMINDER_LEAD_DAYS = {
    "call_close": [7, 1],
    "review_due": [3, 1, -1],
    "publicity_end": [1, -1],
    "scoring_due": [7, 1, -1],
    "self_assessment_due": [7, 1, -1],
    "plan_due": [14, 7, 1, -1],
    "summary_due": [14, 7, 1, -1],
    "rectification_deadline": [14, 7, 1, -1],
    "usage_report_due": [30, 7, 1, -1, -7],
}
LEAD_DAYS_MIN, LEAD_DAYS_MAX = -90, 365
LEAD_LINE = re.compile(r"^\s*([^=:：＝]+?)\s*[=:：＝]\s*(.*?)\s*$")


def default_reminder_lead_days():
    return {kind: list(days) for kind, days in DEFAULT_REMINDER_LEAD_DAYS.items()}


def _kind_labels():
    from talentstation.reminders import kind_labels

    return kind_labels()


def lead_days_text(value):
    """Lead times as a form shows them: one line per kind by its label, ``申报截止 = 7, 1``."""
    labels = _kind_labels()
    return "\n".join(
        f"{labels.get(kind, kind)} = {', '.join(str(day) for day in days)}"
        for kind, days in (value or {}).items()
    )


def parse_lead_days(text):
    """The lead times of ``text`` (one ``kind = 7, 1, -1`` a line; the kind by its code or its
    label), or ValidationError naming the line that is not one."""
    by_label = {str(label): kind for kind, label in _kind_labels().items()}
    value = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = LEAD_LINE.match(line)
        days = []
        if match:
            kind = by_label.get(match.group(1), match.group(1))
            try:
                days = [int(day) for day in re.split(r"[,，、\s]+", match.group(2)) if day]
            except ValueError:
                match = None
        if not match:
            raise ValidationError(
                _("Line %(line)s is not “kind = days, days…” (e.g. call_close = 7, 1, -1).")
                % {"line": number}
            )
        if kind in value:
            raise ValidationError(_("Line %(line)s repeats a kind.") % {"line": number})
        value[kind] = days
    return value


def validate_lead_days(value):
    """Known kinds; whole days from -90 to 365, each once per kind."""
    if not isinstance(value, dict):
        raise ValidationError(_("Give the lead times as one line per kind of deadline."))
    known = _kind_labels()
    for kind, days in value.items():
        if known and kind not in known:
            raise ValidationError(
                _("“%(kind)s” is not a kind of deadline; the kinds are: %(kinds)s.")
                % {"kind": kind, "kinds": "、".join(str(label) for label in known.values())}
            )
        if not isinstance(days, list) or not all(
            isinstance(day, int) and not isinstance(day, bool) for day in days
        ):
            raise ValidationError(_("Lead times are whole numbers of days."))
        if any(not LEAD_DAYS_MIN <= day <= LEAD_DAYS_MAX for day in days):
            raise ValidationError(
                _("Lead times run from %(min)s to %(max)s days.")
                % {"min": LEAD_DAYS_MIN, "max": LEAD_DAYS_MAX}
            )
        if len(set(days)) != len(days):
            raise ValidationError(
                _("%(kind)s names a lead time twice.") % {"kind": known.get(kind, kind)}
            )


class LeadDaysFormField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 8})
    default_validators = [validate_lead_days]

    def __init__(self, *, encoder=None, decoder=None, **kwargs):
        kwargs["max_length"] = 1000
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value if isinstance(value, str) else lead_days_text(value)

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        return parse_lead_days(super().to_python(value))

    def has_changed(self, initial, data):
        try:
            return parse_lead_days(data) != (initial or {})
        except ValidationError:
            return True


class LeadDaysField(models.JSONField):
    """The reminder lead times of a policy version: ``{kind: [7, 1, -1]}``, edited as one line
    per kind of deadline."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", default_reminder_lead_days)
        kwargs.setdefault("validators", [validate_lead_days])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LeadDaysFormField, **kwargs})
