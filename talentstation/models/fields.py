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
