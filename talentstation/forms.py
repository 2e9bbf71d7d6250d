from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .forms_base import CleanTextMixin


class LoginForm(CleanTextMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("e-mail or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class PortalPasswordResetForm(CleanTextMixin, PasswordResetForm):
    """Also sends the link to invited users who have not chosen a password yet."""

    def get_users(self, email):
        from django.contrib.auth import get_user_model

        return (
            user
            for user in get_user_model()._default_manager.filter(
                email__iexact=email, is_active=True
            )
        )
