"""Forms of the operation log: an activity, a service record, a staff correction, the xlsx
import, and the filters of the log, the acceptance queue and the compliance page."""

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from stations.filters import ListFilter
from stations.forms import MultipleUploadField, MultipleUploadInput
from stations.models import StationType
from talentstation.dates import today
from talentstation.forms import ReasonForm
from talentstation.forms_base import PortalForm, PortalModelForm

from ..models import Activity, ReviewedEntry, ServiceRecord

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(PortalModelForm):
    """An activity as the station logs or edits it, with photos and sign-in sheets to add."""

    photos = MultipleUploadField(
        label=_("photos"),
        required=False,
        kinds=("jpg", "png"),
        widget=MultipleUploadInput(attrs={"accept": "image/jpeg,image/png,.jpg,.jpeg,.png"}),
        help_text=_("JPG or PNG; you may choose several."),
    )
    sign_in_sheets = MultipleUploadField(
        label=_("sign-in sheets"),
        required=False,
        kinds=("pdf", "jpg", "png"),
        widget=MultipleUploadInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
        help_text=_("PDF, JPG or PNG scans; you may choose several."),
    )

    class Meta:
        model = Activity
        fields = list(Activity.VALUE_FIELDS)
        widgets = {
            "date": DATE_INPUT,
            "mode": forms.RadioSelect,
            "person_times": forms.NumberInput(attrs={"min": "1"}),
            "high_level_talents": forms.NumberInput(attrs={"min": "0"}),
            "report": forms.Textarea(attrs={"rows": 5}),
        }


class ServiceRecordForm(PortalModelForm):
    class Meta:
        model = ServiceRecord
        fields = list(ServiceRecord.VALUE_FIELDS)
        widgets = {
            "date": DATE_INPUT,
            "person_times": forms.NumberInput(attrs={"min": "1"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }


def _with_reason(form_class):
    """The same values (without files) and the reason of the correction, required."""

    class CorrectionForm(form_class):
        reason = forms.CharField(
            label=_("reason of the correction"),
            max_length=ReasonForm.base_fields["reason"].max_length,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_(
                "Recorded in the history with what changed, and sent to the station's users."
            ),
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in ("photos", "sign_in_sheets"):
                self.fields.pop(name, None)

    return CorrectionForm


class ActivityCorrectionForm(_with_reason(ActivityForm)):
    pass


class ServiceCorrectionForm(_with_reason(ServiceRecordForm)):
    pass


XLSX_MAX_BYTES = 2 * 1024 * 1024


class ActivityImportForm(PortalForm):
    file = forms.FileField(
        label=_("xlsx file"),
        help_text=_("The filled-in template (Excel .xlsx), at most %(size)s.")
        % {"size": filesizeformat(XLSX_MAX_BYTES)},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name or "").suffix.lower() != ".xlsx":
            raise ValidationError(_("Choose an Excel file (.xlsx): download the template above."))
        if upload.size > XLSX_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; it may be at most %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(XLSX_MAX_BYTES)}
            )
        upload.seek(0)
        if upload.read(4) != b"PK\x03\x04":
            raise ValidationError(_("This is not an Excel (.xlsx) file."))
        upload.seek(0)
        return upload


class ConfirmImportForm(PortalForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)


# -- filters --------------------------------------------------------------------------------


def _choices(choices):
    return [("", _("all")), *choices]


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(label=_("year"), required=False, min_value=2000, max_value=2100, **kwargs)


class LogFilter(ListFilter):
    """A station's log: the calendar year (default this year)."""

    year = YearField()

    def year_of(self, request):
        return self.values(request)["year"] or today().year


class QueueFilter(ListFilter):
    """The district's entries: waiting for acceptance unless another status is chosen."""

    entry = forms.ChoiceField(
        label=_("kind of entry"),
        required=False,
        choices=[("activity", _("activities")), ("service", _("service records"))],
    )
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[*ReviewedEntry.Status.choices, ("all", _("all"))],
    )
    type = forms.ChoiceField(
        label=_("station type"), required=False, choices=_choices(StationType.choices)
    )
    q = forms.CharField(label=_("station or unit"), required=False, max_length=100)
    year = YearField()


class ComplianceFilter(ListFilter):
    year = YearField()
    type = forms.ChoiceField(
        label=_("station type"), required=False, choices=_choices(StationType.choices)
    )
    standing = forms.ChoiceField(label=_("standing"), required=False)

    def __init__(self, *args, **kwargs):
        from ..compliance import Standing

        super().__init__(*args, **kwargs)
        self.fields["standing"].choices = _choices(Standing.choices)
