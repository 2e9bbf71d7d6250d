"""Two-factor login pages: the login's second step, the account's two-factor page, setting up
an authenticator app, recovery codes, turning it off (talentstation/two_factor.py)."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import LoginForm
from .forms_two_factor import CodeForm, PasswordConfirmForm


class LoginView(auth_views.LoginView):
    """The password step. A user with an authenticator app is not logged in yet: the code
    page comes next. A user who must set one up is logged in and sent to set it up."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.has_two_factor(user):
            two_factor.begin_pending(self.request, user, self.get_redirect_url())
            return redirect("two_factor_verify")
        response = super().form_valid(form)
        if two_factor.required_for(user):
            two_factor.remember_next(self.request, self.get_success_url())
            return redirect("two_factor_setup")
        return response


def failed_attempt(request, user):
    """A wrong code or password counts as a failed login of the account (django-axes): the
    lockout then ends this login too (``AxesMiddleware`` answers with the lockout page)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if getattr(request, "axes_locked_out", False) and request.user.is_authenticated:
        logout(request)


def user_to_verify(request):
    """Whose code this page asks for: the pending login's user, or a logged-in user whose
    session has not been verified."""
    if request.user.is_authenticated:
        return request.user
    pending = two_factor.pending_login(request)
    if pending is None:
        return None
    return get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()


@sensitive_post_parameters("code")
@never_cache
def verify(request):
    """The login's second step: a code from the app or a recovery code."""
    user = user_to_verify(request)
    if user is None:
        messages.info(request, _("Please log in with your password first."))
        return redirect("login")
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(two_factor.take_next(request))
    if request.user.is_authenticated and not two_factor.has_two_factor(user):
        two_factor.forget_verification(request)  # e.g. reset by staff meanwhile
        return redirect(two_factor.take_next(request))
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return end_locked_login(request, credentials)
    form = CodeForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            return complete_login(request, user, form.check)
        if form.wrong:
            failed_attempt(request, user)
            if getattr(request, "axes_locked_out", False):
                two_factor.clear_pending(request)
    return render(request, "registration/two_factor_verify.html", {"form": form})


def end_locked_login(request, credentials):
    two_factor.clear_pending(request)
    if request.user.is_authenticated:
        logout(request)
    return get_lockout_response(request, None, credentials)


def complete_login(request, user, check):
    if request.user.is_authenticated:
        two_factor.mark_verified(request, check.device)
        next_url = two_factor.take_next(request)
    else:
        pending = two_factor.pending_login(request)
        two_factor.clear_pending(request)
        request.two_factor_device = check.device  # see two_factor.record_device_at_login
        login(request, user, backend=pending["backend"])
        next_url = two_factor.safe_next(request, pending["next"]) or two_factor.take_next(request)
    if check.recovery:
        left = two_factor.recovery_codes_left(user)
        messages.warning(
            request,
            ngettext(
                "You logged in with a recovery code; it cannot be used again. %(count)d "
                "recovery code is left: make new ones on your two-factor login page.",
                "You logged in with a recovery code; it cannot be used again. %(count)d "
                "recovery codes are left: make new ones on your two-factor login page.",
                left,
            )
            % {"count": left},
        )
    return redirect(next_url)


@login_required
def overview(request):
    """The account's two-factor page: on or off, the recovery codes left, what can be done."""
    user = request.user
    device = two_factor.authenticator(user)
    context = {
        "device": device,
        "required": two_factor.required_for(user),
        "codes_left": two_factor.recovery_codes_left(user) if device else 0,
    }
    return render(request, "registration/two_factor.html", context)


@sensitive_post_parameters("code")
@never_cache
@login_required
def setup(request):
    """Setting up an authenticator app: the QR code, the key as text, the first code."""
    user = request.user
    if two_factor.has_two_factor(user):
        messages.info(request, _("Two-factor login is already on for your account."))
        return redirect("two_factor")
    device = two_factor.unconfirmed_authenticator(user)
    form = CodeForm(user, request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_authenticator(user, form.check.device)
        two_factor.mark_verified(request, form.check.device)
        request.session[two_factor.FRESH_CODES] = codes
        messages.success(request, _("Two-factor login is on."))
        return redirect("two_factor_recovery_codes")
    context = {
        "form": form,
        "qr_code": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_text(device),
        "required": two_factor.required_for(user),
    }
    return render(request, "registration/two_factor_setup.html", context)


@sensitive_post_parameters("password")
@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes, shown once; making new ones (with the password) voids the old."""
    user = request.user
    if not two_factor.has_two_factor(user):
        return redirect("two_factor")
    form = PasswordConfirmForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            request.session[two_factor.FRESH_CODES] = two_factor.new_recovery_codes(user)
            messages.success(request, _("New recovery codes are made; the old ones are void."))
            return redirect("two_factor_recovery_codes")
        if form.has_error("password", "wrong_password"):
            failed_attempt(request, user)
    fresh = request.session.pop(two_factor.FRESH_CODES, None)
    context = {
        "form": form,
        "codes": [two_factor.format_code(code) for code in fresh or ()],
        "codes_left": two_factor.recovery_codes_left(user),
        "next_url": two_factor.take_next(request) if fresh else None,
    }
    return render(request, "registration/two_factor_recovery_codes.html", context)


@sensitive_post_parameters("password")
@never_cache
@login_required
def disable(request):
    """Turning two-factor login off, with the password; not where the role requires it."""
    user = request.user
    if two_factor.required_for(user):
        messages.error(request, _("Your role requires two-factor login: it cannot be turned off."))
        return redirect("two_factor")
    if not two_factor.has_two_factor(user):
        return redirect("two_factor")
    form = PasswordConfirmForm(user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            two_factor.remove_two_factor(user, by=user)
            two_factor.forget_verification(request)
            messages.success(request, _("Two-factor login is off."))
            return redirect("two_factor")
        if form.has_error("password", "wrong_password"):
            failed_attempt(request, user)
    return render(request, "registration/two_factor_disable.html", {"form": form})


@require_POST
def cancel(request):
    """Leave the code page: the pending login is forgotten."""
    two_factor.clear_pending(request)
    if request.user.is_authenticated:
        logout(request)
    return redirect("login")
