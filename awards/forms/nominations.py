"""Forms of the nomination batches (a batch, adding a station, a nomination's texts, its
outcome) and the filters of the Annex 3-style lists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.models import Call, Station, StationType
from talentstation.forms_base import PortalForm, PortalModelForm

from ..models import Nomination, NominationBatch


class BatchForm(PortalModelForm):
    class Meta:
        model = NominationBatch
        fields = ["title", "level", "programme", "submitting_unit", "filled_by_name", "fill_date"]
        widgets = {"fill_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "title": _("e.g. 2026年福州市级人才驿站推荐"),
            "fill_date": _("Empty: the day the batch is submitted."),
        }


class AddStationForm(PortalForm):
    station = forms.TypedChoiceField(label=_("station"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.station.pk: c for c in candidates}
        self.fields["station"].choices = [("", "---------")] + [
            (c.station.pk, _candidate_label(c)) for c in candidates
        ]

    def clean_station(self):
        return self.candidates[self.cleaned_data["station"]].station


def _candidate_label(candidate):
    label = f"{candidate.station.name}（{candidate.station.get_station_type_display()}）"
    if candidate.excellent:
        label += " · " + str(
            _("excellent station, rank %(rank)s") % {"rank": candidate.excellent.rank}
        )
    return label


class NominationForm(PortalModelForm):
    class Meta:
        model = Nomination
        fields = ["introduction", "reason"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 8}),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }


class OutcomeForm(PortalModelForm):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (Nomination.Outcome.SELECTED, Nomination.Outcome.SELECTED.label),
            (Nomination.Outcome.NOT_SELECTED, Nomination.Outcome.NOT_SELECTED.label),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Nomination
        fields = ["outcome", "outcome_note"]


class ApplicantsListForm(PortalForm):
    call = forms.ModelChoiceField(label=_("call for applications"), queryset=Call.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.order_by("-year", "-pk")


class StationsListForm(PortalForm):
    station_type = forms.ChoiceField(
        label=_("station type"),
        choices=[("", _("all types")), *StationType.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("all certified stations"))]
        + [(s.value, s.label) for s in Station.LIVE_STATES],
        required=False,
    )
