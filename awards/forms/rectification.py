"""Forms of the rectification pages: issuing an order, the unit's report, the re-inspection,
revoking (an order's station or a certified station for another reason), and an order made
by hand."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.models import Station
from talentstation.dates import today
from talentstation.forms_base import PortalForm
from talentstation.models import TransitionLog
from talentstation.uploads import UploadField

from ..models import RectificationOrder, RectificationProblem

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON_MAX = TransitionLog._meta.get_field("reason").max_length


def _textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


def _not_in_future(value):
    if value and value > today():
        raise forms.ValidationError(_("This date cannot be in the future."))
    return value


class IssueForm(PortalForm):
    issued_on = forms.DateField(label=_("issued on"), widget=DATE_INPUT)
    deadline = forms.DateField(
        label=_("deadline"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: the period of the policy settings counted from the day of issue."),
    )
    notice_number = forms.CharField(
        label=_("notice number"),
        required=False,
        max_length=100,
        help_text=_("Empty: the next number of the year."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("issued_on", today())

    def clean_issued_on(self):
        return _not_in_future(self.cleaned_data["issued_on"])

    def clean(self):
        data = super().clean()
        issued_on, deadline = data.get("issued_on"), data.get("deadline")
        if issued_on and deadline and deadline <= issued_on:
            self.add_error("deadline", _("The deadline must be after the day of issue."))
        return data


class ReportForm(PortalForm):
    text = forms.CharField(
        label=_("rectification report"),
        max_length=RectificationOrder._meta.get_field("report_text").max_length,
        widget=_textarea(10),
        help_text=_("What was rectified, item by item, and how."),
    )
    evidence = UploadField(
        label=_("evidence"),
        help_text=_("One PDF, JPG or PNG file (scan several pages into one PDF)."),
    )


class InspectionForm(PortalForm):
    inspected_on = forms.DateField(label=_("re-inspected on"), widget=DATE_INPUT)
    findings = forms.CharField(
        label=_("re-inspection findings"),
        max_length=min(REASON_MAX, 3000),
        widget=_textarea(),
        help_text=_("Recorded in the history and shown to the unit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("inspected_on", today())

    def clean_inspected_on(self):
        return _not_in_future(self.cleaned_data["inspected_on"])


class RevokeForm(PortalForm):
    notice_date = forms.DateField(label=_("date of the revocation notice"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("reason"),
        max_length=REASON_MAX,
        widget=_textarea(),
        help_text=_("Recorded in the history and shown to the unit."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("notice_date", today())


class OrderForm(PortalForm):
    """An order made by hand for a certified station (not from an assessment)."""

    station = forms.ModelChoiceField(
        label=_("station"),
        queryset=Station.objects.filter(status=Station.Status.CERTIFIED).order_by("name"),
    )
    reason = forms.CharField(
        label=_("why the order is made"),
        max_length=RectificationOrder._meta.get_field("reason").max_length,
        widget=_textarea(3),
    )
    problem = forms.CharField(
        label=_("problem found"),
        max_length=RectificationProblem._meta.get_field("problem").max_length,
        widget=_textarea(3),
    )
    requirement = forms.CharField(
        label=_("what must be done"),
        required=False,
        max_length=RectificationProblem._meta.get_field("requirement").max_length,
        widget=_textarea(3),
    )
