from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .forms_base import CleanTextMixin, PortalForm
from .models import TransitionLog
from .ratelimit import RateLimitedFormMixin


class ReasonForm(PortalForm):
    """The reason of a state change, for admin actions and the pages' transition buttons:
    cleaned and bounded like every text. ``required=False`` where the transition itself says
    whether it needs one."""

    reason = forms.CharField(
        label=_("reason"),
        max_length=TransitionLog._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded in the history and shown to the people concerned."),
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class LoginForm(CleanTextMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("e-mail, mobile number or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class PortalPasswordResetForm(CleanTextMixin, RateLimitedFormMixin, PasswordResetForm):
    """Also sends the link to invited users who have not chosen a password yet.

    Limited per client (``settings.RATE_LIMITS["password_reset"]``): each request sends mail.
    """

    rate_limit = "password_reset"

    def get_users(self, email):
        from django.contrib.auth import get_user_model

        return (
            user
            for user in get_user_model()._default_manager.filter(
                email__iexact=email, is_active=True
            )
        )
