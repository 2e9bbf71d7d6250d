from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .forms_base import CleanTextMixin
from .ratelimit import RateLimitedFormMixin


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
