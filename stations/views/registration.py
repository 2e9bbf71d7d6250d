from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from talentstation.clients import client_key

from ..forms import RegistrationForm


@sensitive_post_parameters("password1", "password2")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None, request.FILES or None, client=client_key(request))
    if request.method == "POST" and form.is_valid() and (registered := form.save()):
        unit, user = registered
        login(request, user, backend="talentstation.auth.EmailOrMobileBackend")
        messages.success(
            request,
            _("Your unit is registered. Bureau staff will check the business licence."),
        )
        if unit.code_unconfirmed:
            messages.warning(request, unit.submission_blocker())
        return redirect("stations:unit_detail", pk=unit.pk)
    status = 429 if form.limited else 200
    return render(request, "stations/register.html", {"form": form}, status=status)
