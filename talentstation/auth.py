"""Logging in: the backend (e-mail, mobile number or username) and the login lockout.

The lockout is django-axes' database handler with two thresholds (README, "Login lockout"):

- the **account**: ``AXES_FAILURE_LIMIT`` failures lock it for ``AXES_COOLOFF_TIME``, from any
  client and whichever identifier is typed. ``lockout_username`` (``AXES_USERNAME_CALLABLE``)
  turns what was typed into the account's username, so ``Lockme``, `` lockme``, its e-mail
  address and its mobile number (with or without +86) count against one account. What does
  not name an account is normalised the same way, so unknown identifiers lock too and the
  lockout says nothing about which accounts exist;
- the **client** (IP address): ``LOGIN_CLIENT_FAILURE_LIMIT`` failures across accounts lock
  every login from it (credential stuffing), so a colleague behind the same address is not
  locked by one account's failures.
"""

import datetime
import re
import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Max, Q, Sum
from django.shortcuts import render
from django.utils import timezone

MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
MOBILE_SEPARATORS = re.compile(r"[\s\-()]")


def normalise_login(value):
    """What was typed into the login field, as one canonical string.

    Full-width characters become ASCII (NFKC), surrounding spaces go, letters are lower case,
    and a mainland mobile number loses its spaces, hyphens and +86 / 0086 prefix.
    """
    login = unicodedata.normalize("NFKC", value or "").strip().lower()
    match = MOBILE.fullmatch(MOBILE_SEPARATORS.sub("", login))
    return match.group(1) if match else login


def matching_users(login):
    """The users whose username, e-mail address or mobile number is ``login`` (normalised)."""
    if not login:
        return get_user_model()._default_manager.none()
    return get_user_model()._default_manager.filter(
        Q(username__iexact=login) | Q(email__iexact=login) | Q(mobile=login)
    )


class EmailOrMobileBackend(ModelBackend):
    """Log in with the e-mail address, the mobile number or the username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        for user in matching_users(normalise_login(username))[:2]:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        # Run the hasher once anyway, so a missing user takes as long as a wrong password.
        get_user_model()().set_password(password)
        return None


def lockout_username(request, credentials=None):
    """``AXES_USERNAME_CALLABLE``: the key axes counts failures under.

    The account's username when the login names exactly one account, otherwise the normalised
    login. Memoised on the request (axes asks several times per attempt).
    """
    if credentials:
        typed = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        typed = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    login = normalise_login(typed)
    memo = getattr(request, "_lockout_usernames", None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            request._lockout_usernames = memo
    if login not in memo:
        usernames = list(matching_users(login).values_list("username", flat=True)[:2])
        memo[login] = usernames[0] if len(usernames) == 1 else login
    return memo[login]


class AccountAndClientLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus a separate, higher threshold for the client address.

    ``AXES_LOCKOUT_PARAMETERS = ["username"]`` makes axes count (and, after a successful
    login, reset) the failures of the account only; the client's failures across accounts are
    summed here from the same ``AccessAttempt`` rows, within the same cool-off.
    """

    def client_attempts(self, request):
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts

    def client_is_locked(self, request):
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        failures = self.client_attempts(request).aggregate(n=Sum("failures_since_start"))["n"]
        return (failures or 0) >= settings.LOGIN_CLIENT_FAILURE_LIMIT

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or self.client_is_locked(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.client_is_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def lock_ends(self, request, credentials=None):
        """When the lock on this request ends at the latest (if no further failure counts)."""
        cool_off = get_cool_off(request)
        if cool_off is None:
            return None
        locks = [
            (attempts, get_failure_limit(request, credentials))
            for attempts in self.get_user_attempts(request, credentials)
        ]
        locks.append((self.client_attempts(request), settings.LOGIN_CLIENT_FAILURE_LIMIT))
        last_failures = []
        for attempts, limit in locks:
            totals = attempts.aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
            if (totals["n"] or 0) >= limit:
                last_failures.append(totals["last"])
        return max(last_failures, default=timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the Chinese lockout page, saying until when and whom to ask."""
    handler = AxesProxyHandler.get_implementation()
    lock_ends = getattr(handler, "lock_ends", None)
    cool_off = get_cool_off(request)
    context = {
        "lock_ends": lock_ends(request, credentials) if lock_ends else None,
        "cool_off_minutes": int(cool_off / datetime.timedelta(minutes=1)) if cool_off else None,
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
