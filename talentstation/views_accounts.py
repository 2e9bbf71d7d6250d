"""Account pages that differ from django.contrib.auth's."""

from django.contrib.auth import views as auth_views

from .clients import client_key
from .forms import PortalPasswordResetForm


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link; limited per client, answering 429 with the form kept."""

    form_class = PortalPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "client": client_key(self.request)}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.limited:
            response.status_code = 429
        return response
