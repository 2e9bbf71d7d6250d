"""Two-factor login (README, "Logging in and sessions"): TOTP through django-otp, with
recovery codes (django-otp's static tokens).

- **Who needs it**: the roles in ``settings.TWO_FACTOR_REQUIRED_ROLES`` (bureau staff and
  officials in production mode; nobody in development and tests unless set). Everyone else may
  turn it on from the account menu.
- **Logging in**: a user with an authenticator app gives the password, then a code
  (``views_two_factor.verify``); until then the session is *not* logged in, it only remembers
  who gave the right password (``PENDING``, for ``PENDING_AGE`` seconds). Wrong codes count as
  failed logins of the account in django-axes, so the password and the second step share one
  lockout (``AXES_FAILURE_LIMIT``); django-otp also throttles each device (1, 2, 4 … seconds).
- **Who must set it up**: a user whose role needs it and who has none is logged in after the
  password, but :class:`TwoFactorMiddleware` lets him reach nothing but the set-up page (and
  logging out) until he has confirmed an app.
- A session whose user has an app but did not give a code in it (a login by another door) can
  only reach the code page.
"""

import re
import time
import unicodedata

import segno
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import roles, rules

RECOVERY_CODE_COUNT = 10
# The password was right; the code is still to come (``{"user", "backend", "at", "next"}``).
PENDING = "_two_factor_pending"
PENDING_AGE = 10 * 60
# Whether the logged-in user had an authenticator app when the session began (so pages need
# not ask the database on every request).
HAS_DEVICE = "_two_factor_device"
# Where to go once the second step or the set-up is done.
NEXT = "_two_factor_next"
# Recovery codes just made, shown once on the next page.
FRESH_CODES = "_two_factor_fresh_codes"

# Pages a user who still has to give a code or set up an app may reach.
ALWAYS_REACHABLE = {
    "logout",
    "set_language",
    "session_status",
    "session_keep_alive",
    "healthz",
    "two_factor_verify",
    "two_factor_cancel",
}
SETUP_PAGES = {"two_factor_setup", "two_factor_recovery_codes"}


# ---------------------------------------------------------------------------------------------
# Who, and which devices
# ---------------------------------------------------------------------------------------------


def required_for(user):
    """Whether ``user``'s role needs two-factor login (``TWO_FACTOR_REQUIRED_ROLES``)."""
    return rules.has_any_role(user, settings.TWO_FACTOR_REQUIRED_ROLES)


def authenticator(user):
    """The user's confirmed authenticator app (TOTP device), or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_device(user):
    return StaticDevice.objects.filter(user=user).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user).count()


def unconfirmed_authenticator(user):
    """The app being set up: kept across reloads of the set-up page, so a code scanned once
    stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret_text(device):
    """The key in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device):
    """The app's set-up link as a QR code (an SVG data URI: the CSP allows ``data:`` images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def format_code(token):
    return f"{token[:4]}-{token[4:]}"


def normalise_code(value):
    """What was typed into the code field: full-width digits become ASCII, spaces and hyphens
    go, letters are lower case."""
    text = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", text).lower()


# ---------------------------------------------------------------------------------------------
# Changes
# ---------------------------------------------------------------------------------------------


def new_recovery_codes(user):
    """Replace the user's recovery codes with ``RECOVERY_CODE_COUNT`` new ones; returns them."""
    with transaction.atomic():
        device = recovery_device(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name="recovery codes")
        device.token_set.all().delete()
        device.throttle_reset()
        codes = []
        while len(codes) < RECOVERY_CODE_COUNT:
            token = StaticToken.random_token()
            if token not in codes:
                codes.append(token)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    return codes


def confirm_authenticator(user, device):
    """Make ``device`` the user's app (dropping any other) and give him recovery codes."""
    with transaction.atomic():
        device.confirmed = True
        device.name = "authenticator"
        device.save()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        return new_recovery_codes(user)


def remove_two_factor(user, *, by):
    """Delete the user's app and recovery codes: the user turning it off (``by`` is the user)
    or staff's reset for a lost phone. The user is told in the inbox and by e-mail, so that a
    removal he did not ask for does not go unnoticed."""
    from .notifications import notify

    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        if by == user:
            subject = _("Two-factor login turned off")
            body = _(
                "Two-factor login of your account was turned off on %(when)s. If you did not "
                "do this, change your password at once and tell the bureau."
            ) % {"when": when}
        else:
            subject = _("Two-factor login reset by the bureau")
            body = _(
                "Bureau staff (%(staff)s) reset the two-factor login of your account on "
                "%(when)s, as for a lost phone; set up your authenticator app again at your "
                "next login. If you did not ask for this, tell the bureau at once."
            ) % {"staff": by.get_full_name() or by.get_username(), "when": when}
        notify([user], subject=subject, body=body, link=reverse("two_factor"), sender=by)


# ---------------------------------------------------------------------------------------------
# Checking a code
# ---------------------------------------------------------------------------------------------


class CodeCheck:
    """The outcome of :func:`check_code`: ``device`` when it matched; ``wait_until`` when the
    device refuses to check codes for now (after wrong ones); ``recovery`` when a recovery
    code was used."""

    def __init__(self, device=None, wait_until=None, recovery=False):
        self.device, self.wait_until, self.recovery = device, wait_until, recovery

    @property
    def ok(self):
        return self.device is not None

    @property
    def seconds_to_wait(self):
        if self.wait_until is None:
            return 0
        return max(1, int((self.wait_until - timezone.now()).total_seconds() + 0.999))


def check_code(user, value, device=None):
    """Check a code typed by ``user``: six digits against the app (or ``device``, the app
    being set up), anything else against the recovery codes (used up when it matches).

    The device row is locked while checking, so the same code is never accepted twice.
    """
    code = normalise_code(value)
    recovery = device is None and not re.fullmatch(r"\d{6}", code)
    with transaction.atomic():
        if device is not None:
            queryset = TOTPDevice.objects.filter(pk=device.pk)
        elif recovery:
            queryset = StaticDevice.objects.filter(user=user)
        else:
            queryset = TOTPDevice.objects.filter(user=user, confirmed=True)
        candidate = queryset.select_for_update().first()
        if candidate is None:
            return CodeCheck()
        allowed, details = candidate.verify_is_allowed()
        if not allowed:
            return CodeCheck(wait_until=(details or {}).get("locked_until"))
        if candidate.verify_token(code):
            return CodeCheck(device=candidate, recovery=recovery)
        return CodeCheck()


# ---------------------------------------------------------------------------------------------
# The session
# ---------------------------------------------------------------------------------------------


def safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def begin_pending(request, user, next_url):
    """The password was right: remember who, until the code comes."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": int(time.time()),
        "next": safe_next(request, next_url) or "",
    }


def pending_login(request):
    """The pending login of this session, or None (also when it is older than PENDING_AGE)."""
    pending = request.session.get(PENDING)
    if not pending or int(time.time()) - pending.get("at", 0) > PENDING_AGE:
        return None
    return pending


def clear_pending(request):
    request.session.pop(PENDING, None)


def mark_verified(request, device):
    """The code was right: this session counts as verified with ``device``."""
    otp_login(request, device)
    request.session[HAS_DEVICE] = True


def forget_verification(request, has_device=False):
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[HAS_DEVICE] = has_device


def remember_next(request, url):
    url = safe_next(request, url)
    if url:
        request.session[NEXT] = url


def take_next(request, default="home"):
    return safe_next(request, request.session.pop(NEXT, None)) or reverse(default)


def record_device_at_login(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: whether the user has an app, once per login (so pages need
    not ask on every request). ``views_two_factor`` marks a login it has verified itself."""
    session = getattr(request, "session", None)
    if session is None:
        return
    verified = getattr(request, "two_factor_device", None)
    if verified is not None:
        mark_verified(request, verified)
    else:
        session.pop(DEVICE_ID_SESSION_KEY, None)
        session[HAS_DEVICE] = has_two_factor(user)


class TwoFactorMiddleware:
    """Keeps a logged-in user who still owes a code on the code page, and one who must set up
    an app on the set-up page. Goes after django-otp's OTPMiddleware and the session timeout.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        session = request.session
        if session.get(HAS_DEVICE) is None:  # a session from before two-factor login
            session[HAS_DEVICE] = has_two_factor(user)
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in ALWAYS_REACHABLE:
            return None
        if session[HAS_DEVICE]:
            return self.send_to(request, "two_factor_verify")
        if required_for(user):
            request.two_factor_setup_required = True
            if name in SETUP_PAGES:
                return None
            return self.send_to(request, "two_factor_setup")
        return None

    @staticmethod
    def send_to(request, view_name):
        if request.method == "GET":
            remember_next(request, request.get_full_path())
        return redirect(reverse(view_name))


def login_url_with_next(next_url):
    url = reverse("login")
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


def check_required_roles(app_configs=None, **kwargs):
    """System check: ``TWO_FACTOR_REQUIRED_ROLES`` names only roles that exist (a typo would
    silently turn the requirement off)."""
    from django.core.checks import Error

    unknown = sorted(set(settings.TWO_FACTOR_REQUIRED_ROLES) - set(roles.Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"TWO_FACTOR_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use some of: {', '.join(roles.Role.values)}.",
            id="talentstation.E201",
        )
    ]


def name_otp_models():
    """Chinese names for django-otp's apps and models (content types, permissions, history):
    upstream names them in English only."""
    from django.apps import apps
    from django.utils.translation import gettext_lazy as _

    for label in ("otp_totp", "otp_static"):
        apps.get_app_config(label).verbose_name = _("Two-factor login")
    names = {
        TOTPDevice: (_("authenticator app"), _("authenticator apps")),
        StaticDevice: (_("set of recovery codes"), _("sets of recovery codes")),
        StaticToken: (_("recovery code"), _("recovery codes")),
    }
    for model, (singular, plural) in names.items():
        model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
