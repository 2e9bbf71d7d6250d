from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from talentstation import credit_code
from talentstation.dates import validate_not_in_future
from talentstation.forms_base import PortalForm, PortalModelForm
from talentstation.models import ExpertAffiliation, ScorerAssignment, TransitionLog
from talentstation.models.users import normalise_mobile, validate_mainland_mobile
from talentstation.ratelimit import RateLimitedFormMixin
from talentstation.uploads import KeepUploadsMixin, UploadField

from . import services
from .models import Application, Attachment


class CreditCodeField(forms.CharField):
    """Normalises what users type (spaces, lower case, full-width characters) and checks the
    format; a wrong check character is left to the form, which asks for confirmation."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "help_text",
            _("18 characters, as printed on the business licence (统一社会信用代码)."),
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        )

    def to_python(self, value):
        return credit_code.normalize(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            credit_code.check(value)


class MobileField(forms.CharField):
    default_validators = [validate_mainland_mobile]

    def __init__(self, **kwargs):
        # Room for what people type ("+86 139 1234 5678"); the validator checks the 11 digits.
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update({"autocomplete": "tel"})

    def to_python(self, value):
        return normalise_mobile(super().to_python(value))


class CodeCheckMixin:
    """Accept a code whose check character fails only after the user confirms it; mark it
    unconfirmed then. Never silently rejected, never silently accepted."""

    code_field = "credit_code"

    def check_code_confirmation(self, code):
        result = credit_code.check(code)
        if result.confirmed_by_checksum:
            return
        self.fields["confirm_unusual_code"].widget = forms.CheckboxInput()
        if not self.cleaned_data.get("confirm_unusual_code"):
            self.add_error(
                self.code_field,
                _(
                    "The check character (the last one) does not match the other 17 characters. "
                    "Please compare the code with your business licence. If it is exactly as "
                    "printed (some early codes are), tick the confirmation below and register "
                    "again: the code will be marked unconfirmed until bureau staff check it, "
                    "and you can draft but not submit applications until then."
                ),
            )


class RegistrationForm(KeepUploadsMixin, RateLimitedFormMixin, CodeCheckMixin, PortalForm):
    keep_uploads = ("business_licence",)
    rate_limit = "registration"

    unit_name = forms.CharField(label=_("unit name"), max_length=200)
    credit_code = CreditCodeField(label=_("unified social credit code"))
    confirm_unusual_code = forms.BooleanField(
        label=_("I confirm the code is exactly as printed on our business licence."),
        required=False,
        widget=forms.HiddenInput,
    )
    business_licence = UploadField(
        label=_("business licence scan"),
        help_text=_("PDF, JPG or PNG. Bureau staff check it before accepting applications."),
    )
    contact_name = forms.CharField(label=_("contact person"), max_length=100)
    mobile = MobileField(label=_("mobile number"))
    email = forms.EmailField(label=_("e-mail address"))
    password1 = forms.CharField(
        label=_("password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        if error := services.credit_code_taken(code):
            raise error
        return code

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if error := services.email_taken(email):
            raise error
        return email

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"]
        if error := services.mobile_taken(mobile):
            raise error
        return mobile

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("credit_code")
        # Registered while the fields were checked (two identical registrations at once):
        # say that the code is taken, not only the e-mail or mobile.
        taken = code and (self.has_error("email") or self.has_error("mobile"))
        if taken and (error := services.credit_code_taken(code)):
            self.add_error("credit_code", error)
            code = None
        if code:
            self.check_code_confirmation(code)
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = get_user_model()(
                email=cleaned.get("email", ""), full_name=cleaned.get("contact_name", "")
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self):
        """Register the unit: (unit, user), or None when another registration took its code,
        e-mail or mobile since the form was checked; the form then says so (and keeps the
        licence), as if it had been checked a moment later."""
        data = self.cleaned_data
        try:
            return services.register_unit(
                unit_name=data["unit_name"],
                credit_code=data["credit_code"],
                business_licence=data["business_licence"],
                contact_name=data["contact_name"],
                mobile=data["mobile"],
                email=data["email"],
                password=data["password1"],
            )
        except forms.ValidationError as conflict:
            _check_again(self, conflict)
            return None


def _check_again(form, conflict):
    """After a save lost a race: check the form again (it now sees what the other request
    saved); the conflict itself is shown if the checks do not name it."""
    form.full_clean()
    if not form.errors:
        form.add_error(None, conflict)


class InviteMemberForm(PortalForm):
    full_name = forms.CharField(label=_("full name"), max_length=100)
    email = forms.EmailField(label=_("e-mail address"))
    mobile = MobileField(label=_("mobile number"), required=False)
    is_admin = forms.BooleanField(label=_("also a unit administrator"), required=False)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if error := services.email_taken(email, own=False):
            raise error
        return email

    def clean_mobile(self):
        mobile = self.cleaned_data["mobile"]
        if error := services.mobile_taken(mobile):
            raise error
        return mobile

    def save(self, unit, *, by):
        """Invite the person into ``unit``: the new user, or None when the e-mail or mobile got
        an account since the form was checked (the form then says so)."""
        try:
            return services.invite_member(unit, by=by, **self.cleaned_data)
        except forms.ValidationError as conflict:
            _check_again(self, conflict)
            return None


class MemberActionForm(PortalForm):
    action = forms.ChoiceField(
        choices=[
            ("promote", _("make administrator")),
            ("demote", _("no longer administrator")),
            ("deactivate", _("remove access")),
        ]
    )


class ApplicationForm(CodeCheckMixin, PortalModelForm):
    """Annex 1. Drafts may be saved with any field empty or invalid; submission needs them all.

    ``submitting=True`` makes the required rows required, so the errors show beside them.
    """

    code_field = "host_institution_credit_code"

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    relies_on_host = forms.TypedChoiceField(
        label=_("built relying on a host institution"),
        choices=[(True, _("yes")), (False, _("no"))],
        coerce=lambda value: value in (True, "True"),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("If not, the applying unit itself is the institution."),
    )
    host_institution_credit_code = CreditCodeField(
        label=_("host institution's unified social credit code"), required=False
    )
    confirm_unusual_code = forms.BooleanField(
        label=_("I confirm the code is exactly as printed on the institution's licence."),
        required=False,
        widget=forms.HiddenInput,
    )
    leader_mobile = MobileField(label=_("mobile number"), required=False)

    class Meta:
        model = Application
        fields = Application.ANNEX1_FIELDS
        widgets = {
            "built_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "area_m2": forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
            "staffing": forms.Textarea(attrs={"rows": 3}),
            "rules_and_hardware": forms.Textarea(attrs={"rows": 4}),
            "activities": forms.Textarea(attrs={"rows": 6}),
            "talent_recommendations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        for name in self.Meta.fields:
            self.fields[name].required = False
        if submitting:
            for name in self.instance.REQUIRED_FIELDS:
                self.fields[name].required = True
        self.fields["leader_email"].widget.attrs["autocomplete"] = "email"

    @classmethod
    def for_page(cls, application):
        """The form of the edit page: the saved values, with what was typed but is not valid
        yet (kept in ``draft_data``) and its errors."""
        if not application.draft_data:
            return cls(instance=application, initial={"lock_version": application.lock_version})
        unbound = cls(instance=application)
        data = {name: unbound[name].value() for name in unbound.fields}
        data.update(application.draft_data)
        data["lock_version"] = application.lock_version
        bound = cls(data, instance=type(application).objects.get(pk=application.pk))
        bound.is_valid()
        return bound

    def rebound(self, application):
        """The same typed data and errors, against the stored ``application``'s lock version."""
        data = self.data.copy()
        data["lock_version"] = application.lock_version
        form = type(self)(data, instance=application, submitting=self.submitting)
        form.is_valid()
        return form

    def clean(self):
        cleaned = super().clean()
        relies = cleaned.get("relies_on_host")
        if relies:
            code = cleaned.get("host_institution_credit_code")
            if self.submitting:
                for name in ("host_institution_name", "host_institution_credit_code"):
                    if not cleaned.get(name) and name not in self.errors:
                        self.add_error(
                            name, _("Required when the station relies on a host institution.")
                        )
            if code:
                self.check_code_confirmation(code)
        return cleaned


class StartApplicationForm(PortalForm):
    """Which station applies: a new one (empty), or one of the unit's stations that was not
    selected before."""

    station = forms.ModelChoiceField(label=_("station"), queryset=None, required=False)

    def __init__(self, *args, unit, **kwargs):
        from .models import Station

        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(
            host_unit=unit, status=Station.Status.NOT_SELECTED
        )


class AttachmentForm(PortalForm):
    prefix = "attachment"
    kind = forms.ChoiceField(label=_("kind of material"))
    file = UploadField(label=_("file"), help_text=_("PDF, JPG or PNG."))

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            choice
            for choice in Attachment.Kind.choices
            if choice[0] != Attachment.Kind.STAMPED_SCAN
        ]
        self.fields["file"].max_bytes = max_bytes


class StampedScanForm(PortalForm):
    prefix = "scan"
    file = UploadField(
        label=_("stamped scan of Annex 1"),
        help_text=_(
            "The generated Annex 1 PDF, printed, stamped with the unit's seal and "
            "scanned: PDF, JPG or PNG."
        ),
    )

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].max_bytes = max_bytes


class AssignExpertForm(PortalForm):
    expert = forms.ModelChoiceField(label=_("expert"), queryset=None)
    due_date = forms.DateField(
        label=_("due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, application, **kwargs):
        from django.contrib.auth import get_user_model

        from talentstation.roles import Role

        super().__init__(*args, **kwargs)
        assigned = application.review_assignments.values("scorer_id")
        self.fields["expert"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.EXPERT, is_active=True)
            .exclude(pk__in=assigned)
            .order_by("full_name")
        )


class LeadershipDecisionForm(PortalForm):
    """区人才工作领导小组联席会议审议: the decision on one shortlisted application, and the
    talent office's opinion that fills the last box of Annex 1."""

    meeting = forms.ModelChoiceField(label=_("leadership group meeting"), queryset=None)
    approved = forms.TypedChoiceField(
        label=_("decision"),
        choices=[(True, _("approved")), (False, _("not approved"))],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason (shown to the unit when not approved)"),
        max_length=TransitionLog._meta.get_field("reason").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    office_opinion = forms.CharField(
        label=_("talent office opinion"),
        max_length=Application._meta.get_field("office_opinion").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    office_opinion_date = forms.DateField(
        label=_("talent office opinion date"),
        required=False,
        validators=[validate_not_in_future],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        from .models import LeadershipMeeting

        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = LeadershipMeeting.objects.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approved") is False and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason the unit will read."))
        dated = cleaned.get("office_opinion_date") or "office_opinion_date" in self.errors
        if cleaned.get("office_opinion") and not dated:
            self.add_error("office_opinion_date", _("Date the opinion."))
        return cleaned


class MultipleUploadInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleUploadField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, kinds=("jpg", "png"), **kwargs):
        kwargs.setdefault("widget", MultipleUploadInput())
        self.kinds = kinds
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        from talentstation.models import PolicyVersion
        from talentstation.uploads import clean_filename, validate_upload

        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleUploadField, self).clean(f, initial) for f in files if f]
        max_bytes = PolicyVersion.current().upload_max_bytes
        errors = []
        for upload in cleaned:
            try:
                validate_upload(upload, kinds=self.kinds, max_bytes=max_bytes)
            except forms.ValidationError as error:
                errors += [
                    _("%(name)s: %(message)s") % {"name": upload.name, "message": message}
                    for message in error.messages
                ]
        if errors:
            raise forms.ValidationError(errors)
        for upload in cleaned:
            upload.name = clean_filename(upload.name)
        return cleaned


class SiteVisitForm(PortalModelForm):
    photos = MultipleUploadField(
        label=_("photos of the visit"),
        required=False,
        widget=MultipleUploadInput(attrs={"accept": "image/jpeg,image/png,.jpg,.jpeg,.png"}),
        help_text=_("JPG or PNG; you may choose several."),
    )

    class Meta:
        model = ScorerAssignment
        fields = ["visit_date", "visit_notes"]
        widgets = {
            "visit_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "visit_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_date"].required = True


class AffiliationForm(PortalModelForm):
    credit_code = CreditCodeField(label=_("unified social credit code"))

    class Meta:
        model = ExpertAffiliation
        fields = ["organisation", "credit_code", "relation"]
