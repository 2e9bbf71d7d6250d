"""Forms of the station records: the profile, talent referrals, plans and summaries, and the
filters of the district lists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.filters import ListFilter
from talentstation.dates import today
from talentstation.forms_base import PortalModelForm
from talentstation.uploads import KeepUploadsMixin, UploadField

from ..models import ProgrammeLevel, ReportKind, StationProfile, StationReport, TalentReferral
from ..models.profile import RULE_FIELDS

DOCUMENT_HELP = _("PDF, JPG or PNG.")


def _document_field(label, help_text=DOCUMENT_HELP):
    return UploadField(label=label, required=False, help_text=help_text)


class ProfileForm(KeepUploadsMixin, PortalModelForm):
    """The station's venue, team and rules in place (a valid document kept when the rest of
    the form has errors)."""

    keep_uploads = tuple(f"{name}_document" for name in RULE_FIELDS)

    class Meta:
        model = StationProfile
        fields = [
            "area_m2",
            "has_display_area",
            "has_publicity_area",
            "hands_out_leaflets",
            "equipment",
            "manager_name",
            "manager_contact",
            "has_management_team",
            "full_time_staff",
            "part_time_staff",
        ]
        for name in RULE_FIELDS:
            fields += [name, f"{name}_document"]
        widgets = {"equipment": forms.Textarea(attrs={"rows": 3})}
        for name in RULE_FIELDS:
            widgets[name] = forms.RadioSelect

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RULE_FIELDS:
            model_field = StationProfile._meta.get_field(f"{name}_document")
            field = _document_field(
                model_field.verbose_name,
                _("PDF, JPG or PNG; needed when the rules are complete or incomplete."),
            )
            field.initial = self.fields[f"{name}_document"].initial
            self.fields[f"{name}_document"] = field
        self.fields["manager_name"].widget.attrs["autocomplete"] = "name"


class ReferralForm(KeepUploadsMixin, PortalModelForm):
    keep_uploads = ("evidence",)

    evidence = _document_field(
        _("evidence"),
        _("Optional: the recommendation letter or the selection notice (PDF, JPG or PNG)."),
    )

    class Meta:
        model = TalentReferral
        fields = ["person_name", "employer", "level", "programme", "year", "outcome", "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = ProgrammeLevel.choices
        self.fields["year"].widget.attrs.update({"min": 2000, "max": today().year})
        if self.instance.year is None:
            self.initial["year"] = today().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and year > today().year:
            raise forms.ValidationError(
                _("A referral is recorded once it is made: enter a year up to %(year)s."),
                params={"year": today().year},
            )
        return year


class ReportForm(KeepUploadsMixin, PortalModelForm):
    keep_uploads = ("document",)

    document = _document_field(
        _("document"), _("Optional when the text is written: PDF, JPG or PNG.")
    )

    class Meta:
        model = StationReport
        fields = ["text", "document"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = _("At most %(count)s characters.") % {
            "count": self.fields["text"].max_length
        }


def _choices(choices):
    return [("", _("all")), *choices]


class ReportFilter(ListFilter):
    """The district list of plans and summaries: by year, kind and lateness."""

    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=_choices(ReportKind.choices))
    late = forms.ChoiceField(
        label=_("late"),
        required=False,
        choices=_choices([("yes", _("late")), ("no", _("on time or not yet due"))]),
    )


class ReferralFilter(ListFilter):
    """The district list of talent referrals."""

    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=_choices(TalentReferral.Status.choices)
    )
    level = forms.ChoiceField(
        label=_("programme level"), required=False, choices=_choices(ProgrammeLevel.choices)
    )
    outcome = forms.ChoiceField(
        label=_("outcome"), required=False, choices=_choices(TalentReferral.Outcome.choices)
    )

    def apply(self, referrals, values):
        for name in ("year", "status", "level", "outcome"):
            if values[name]:
                referrals = referrals.filter(**{name: values[name]})
        return referrals
