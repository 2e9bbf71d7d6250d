"""The filters of the list pages, parsed by forms: a value that is not one of the choices is a
clear message and an unfiltered list, never an error page."""

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentstation.forms_base import PortalForm

from .models import Application, Call, Station, StationType


class ListFilter(PortalForm):
    """A GET filter form. :meth:`apply` filters a queryset with the valid values."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data else None, **kwargs)

    def values(self, request=None):
        """The valid values (the invalid ones are dropped, and said so when ``request``)."""
        if not self.is_bound:
            return {name: field.initial for name, field in self.fields.items()}
        self.is_valid()
        if self.errors and request is not None:
            labels = "、".join(str(self.fields[name].label) for name in self.errors)
            messages.error(
                request, _("Not a valid filter, shown without it: %(fields)s.") % {"fields": labels}
            )
        return {
            name: self.cleaned_data.get(name) if name not in self.errors else None
            for name in self.fields
        }

    @property
    def status_code(self):
        return 400 if self.is_bound and self.errors else 200

    def describe(self, values):
        """The filters applied, as ``label：value`` texts (in the active language), for the
        header of an export."""
        notes = []
        for name, value in values.items():
            if value in (None, ""):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                shown = field.label_from_instance(value)
            elif isinstance(field, forms.ChoiceField):
                shown = dict(field.choices).get(value, value)
            else:
                shown = value
            notes.append(f"{field.label}：{shown}")
        return notes


def _choices(choices):
    return [("", gettext_lazy("all")), *choices]


class DirectoryFilter(ListFilter):
    q = forms.CharField(label=gettext_lazy("station name"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=gettext_lazy("station type"), required=False, choices=_choices(StationType.choices)
    )

    def apply(self, stations, values):
        if values["type"]:
            stations = stations.filter(station_type=values["type"])
        if values["q"]:
            stations = stations.filter(name__icontains=values["q"].strip())
        return stations


class StationFilter(DirectoryFilter):
    q = forms.CharField(
        label=gettext_lazy("station, unit or credit code"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=gettext_lazy("status"), required=False, choices=_choices(Station.Status.choices)
    )

    def apply(self, stations, values):
        if values["type"]:
            stations = stations.filter(station_type=values["type"])
        if values["status"]:
            stations = stations.filter(status=values["status"])
        if query := (values["q"] or "").strip():
            stations = stations.filter(
                Q(name__icontains=query)
                | Q(host_unit__name__icontains=query)
                | Q(host_unit__credit_code__icontains=query.upper())
            )
        return stations


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, call):
        return call.title


class ApplicationFilter(ListFilter):
    call = CallChoiceField(
        label=gettext_lazy("call for applications"), required=False, queryset=Call.objects.none()
    )
    status = forms.ChoiceField(
        label=gettext_lazy("status"),
        required=False,
        choices=_choices(Application.Status.choices),
    )
    panel = forms.ChoiceField(
        label=gettext_lazy("expert panel"),
        required=False,
        choices=[("", gettext_lazy("all")), ("none", gettext_lazy("no expert assigned yet"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.published()

    def apply(self, applications, values):
        if values["call"]:
            applications = applications.filter(call=values["call"])
        if values["status"]:
            applications = applications.filter(status=values["status"])
        if values["panel"] == "none":
            applications = applications.filter(review_assignments=None)
        return applications


class BoardFilter(ListFilter):
    call = CallChoiceField(
        label=gettext_lazy("call for applications"), required=False, queryset=Call.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.published()


class AssignmentFilter(ListFilter):
    """An expert's list of reviews: by call and by what is left to do."""

    call = CallChoiceField(
        label=gettext_lazy("call for applications"), required=False, queryset=Call.objects.none()
    )
    stage = forms.ChoiceField(label=gettext_lazy("what is left to do"), required=False)

    def __init__(self, *args, expert, **kwargs):
        from .review import ReviewStage

        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.filter(
            applications__review_assignments__scorer=expert
        ).distinct()
        self.fields["stage"].choices = _choices(ReviewStage.choices)

    def apply(self, assignments, values):
        if values["call"]:
            assignments = assignments.filter(application__call=values["call"])
        if values["stage"]:
            assignments = assignments.filter(stage=values["stage"])
        return assignments
