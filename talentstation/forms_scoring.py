from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from talentstation.forms_base import PortalForm

from .models.scoring import ScoreEntry, ScoreItem, format_points
from .scoring import comment_field_name, item_field_name, save_entries


class ScoreSheetForm(PortalForm):
    """A scorer's sheet: one field per item (the tiers as radio buttons, or points within the
    item's range) and an optional comment per item.

    The total is shown, computed from the saved scores; there is no field for it. With
    ``for_submit=True`` every item must be scored. A submitted sheet renders read-only.
    """

    template_name = "scoring/score_sheet_form.html"

    def __init__(self, sheet, *args, for_submit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.items = list(sheet.template.items.prefetch_related("tiers"))
        entries = sheet.entries_by_item() if sheet.pk else {}
        for item in self.items:
            entry = entries.get(item.pk)
            field = self._item_field(item, required=for_submit)
            name = item_field_name(item)
            self.fields[name] = field
            comment = forms.CharField(
                label=_("Comment on “%(item)s”") % {"item": item.title},
                max_length=ScoreEntry._meta.get_field("comment").max_length,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[comment_field_name(item)] = comment
            if entry is not None:
                self.initial.setdefault(
                    name, entry.tier_id if item.kind == ScoreItem.Kind.TIERS else entry.points
                )
                self.initial.setdefault(comment_field_name(item), entry.comment)
        if not sheet.is_editable:
            for field in self.fields.values():
                field.disabled = True

    @staticmethod
    def _item_field(item, *, required):
        help_parts = [item.description] if item.description else []
        if item.kind == ScoreItem.Kind.TIERS:
            field = forms.TypedChoiceField(
                choices=[(tier.pk, str(tier)) for tier in item.tiers.all()],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                required=required,
            )
        else:
            field = forms.DecimalField(
                min_value=0,
                max_value=item.max_points,
                max_digits=6,
                decimal_places=2,
                required=required,
            )
            help_parts.append(
                str(
                    _("Give between 0 and %(max)s points.")
                    % {"max": format_points(item.max_points or 0)}
                )
            )
        if item.weight != 1:
            help_parts.append(
                str(_("Weight ×%(weight)s.") % {"weight": format_points(item.weight)})
            )
        field.label = item.title
        field.help_text = " ".join(help_parts)
        return field

    def item_rows(self):
        """(score field, comment field) per item, in the sheet's order."""
        return [
            (self[item_field_name(item)], self[comment_field_name(item)]) for item in self.items
        ]

    @property
    def computed_total(self):
        """The total of the saved scores (computed, for display only)."""
        return format_points(self.sheet.computed_total())

    @property
    def max_total(self):
        return format_points(sum((item.max_contribution() for item in self.items), 0))

    def entries_data(self) -> dict:
        """The cleaned input in the shape :func:`talentstation.scoring.save_entries` takes."""
        data = {}
        for item in self.items:
            value = self.cleaned_data.get(item_field_name(item))
            key = "tier" if item.kind == ScoreItem.Kind.TIERS else "points"
            data[item.pk] = {
                key: value,
                "comment": self.cleaned_data.get(comment_field_name(item), ""),
            }
        return data

    def save(self, *, by=None):
        """Save the scores through the service; on a refusal the errors go to the form and
        None is returned."""
        try:
            return save_entries(self.sheet, self.entries_data(), by=by)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = field if field in self.fields and field != NON_FIELD_ERRORS else None
                for message in messages:
                    self.add_error(target, message)
            return None
