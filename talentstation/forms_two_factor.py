"""The forms of two-factor login (talentstation/two_factor.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import two_factor
from .forms_base import PortalForm


def code_field(label, help_text):
    return forms.CharField(
        label=label,
        max_length=32,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )


def wait_error(check):
    seconds = check.seconds_to_wait
    return ValidationError(
        ngettext(
            "Too many wrong codes. Wait %(seconds)d second and try again.",
            "Too many wrong codes. Wait %(seconds)d seconds and try again.",
            seconds,
        ),
        code="throttled",
        params={"seconds": seconds},
    )


class CodeForm(PortalForm):
    """A code from the user's authenticator app or one of his recovery codes.

    ``device``: the app being set up (only its codes count). After validation, ``check`` is the
    :class:`~talentstation.two_factor.CodeCheck`; ``wrong`` says a code was checked and wrong
    (the login counts it as a failed attempt).
    """

    code = code_field(
        _("Verification code"),
        _(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes "
            "if you do not have your phone."
        ),
    )

    def __init__(self, user, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.device = user, device
        self.check = None
        if device is not None:
            self.fields["code"].label = _("Code from the app")
            self.fields["code"].help_text = _(
                "The 6-digit code the app shows after you have added the account."
            )

    @property
    def wrong(self):
        return self.check is not None and not self.check.ok and self.check.wait_until is None

    def clean_code(self):
        value = self.cleaned_data["code"]
        self.check = two_factor.check_code(self.user, value, device=self.device)
        if self.check.ok:
            return value
        if self.check.wait_until is not None:
            raise wait_error(self.check)
        if self.device is not None:
            raise ValidationError(
                _(
                    "This code is not right. Check that the phone's time is set automatically "
                    "and type the code the app shows now."
                ),
                code="wrong",
            )
        raise ValidationError(
            _("This code is not right, has expired or was already used. Try the current code."),
            code="wrong",
        )


class PasswordConfirmForm(PortalForm):
    """The user's password again, before a change to his login."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not right."), code="wrong_password")
        return password
