"""The filters of the staff lists of awards and of rectification orders (the same filter
forms as the stations' lists: a value that is not a choice is a message, never an error)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentCycle
from stations.filters import ListFilter

from . import funds
from .models import Award, RectificationOrder


def _all(choices):
    return [("", _("all")), *choices]


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cycle):
        return str(cycle)


class OutcomeFilter(ListFilter):
    """By assessment cycle and status; ``cycle_path`` is the lookup of the cycle."""

    cycle_path = ""
    cycle = CycleChoiceField(
        label=_("assessment cycle"),
        required=False,
        queryset=AssessmentCycle.objects.none(),
        empty_label=_("all"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = AssessmentCycle.objects.order_by("-first_year")

    def apply(self, queryset, values):
        if values["cycle"]:
            queryset = queryset.filter(**{self.cycle_path: values["cycle"]})
        if values["status"]:
            queryset = queryset.filter(status=values["status"])
        return queryset


class AwardFilter(OutcomeFilter):
    cycle_path = "entry__ranking__cycle"
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=_all(Award.Status.choices)
    )
    report = forms.ChoiceField(
        label=_("usage report"),
        required=False,
        choices=_all([("to_file", _("not filed")), ("late", _("late"))]),
    )

    def apply(self, queryset, values):
        queryset = super().apply(queryset, values)
        if values.get("report") == "to_file":
            queryset = funds.report_to_file(queryset)
        elif values.get("report") == "late":
            queryset = funds.report_late(queryset)
        return queryset


class RectificationFilter(OutcomeFilter):
    cycle_path = "assessment__cycle"
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=_all(RectificationOrder.Status.choices)
    )
