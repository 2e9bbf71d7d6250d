"""Forms of the ranking pages: confirming the proposal, the leadership group's approval, the
order of a tie staff decide, and the draft publicity of the excellent stations."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from talentstation.dates import validate_not_in_future
from talentstation.forms_base import PortalForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposeForm(PortalForm):
    reason = forms.CharField(
        label=_("reason for confirming"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the list is as it is, above all where stations were tied."),
    )


class ApproveForm(PortalForm):
    meeting_date = forms.DateField(
        label=_("meeting date"), widget=DATE_INPUT, validators=[validate_not_in_future]
    )
    meeting_reference = forms.CharField(
        label=_("meeting reference"), max_length=100, help_text=_("e.g. 会议纪要编号")
    )


class TieOrderForm(PortalForm):
    """One place field per tied station (1 = best) and the reason."""

    reason = forms.CharField(
        label=_("reason for the order"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        choices = [(n, str(n)) for n in range(1, len(entries) + 1)]
        fields = {}
        for index, entry in enumerate(entries, start=1):
            fields[f"place_{entry.pk}"] = forms.TypedChoiceField(
                label=_("place of %(station)s") % {"station": entry.station.name},
                choices=choices,
                coerce=int,
                initial=index,
            )
        self.fields = {**fields, "reason": self.fields["reason"]}

    def clean(self):
        data = super().clean()
        places = [data.get(f"place_{entry.pk}") for entry in self.entries]
        if None not in places and sorted(places) != list(range(1, len(self.entries) + 1)):
            raise ValidationError(_("Give each tied station a different place."))
        return data

    def ordered_entries(self):
        data = self.cleaned_data
        return sorted(self.entries, key=lambda entry: data[f"place_{entry.pk}"])


class PublicityForm(PortalForm):
    title = forms.CharField(label=_("title"), max_length=200)
    basis = forms.CharField(
        label=_("basis"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.CharField(
        label=_("how to object"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where and how to object (telephone, address); objections need a real name."),
    )
