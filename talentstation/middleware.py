"""Request-wide security rules: the language, private caching, and the session's time limits.

Sessions end after ``SESSION_IDLE_TIMEOUT`` seconds without a request and, in any case,
``SESSION_COOKIE_AGE`` seconds after the login (README, "Sessions"). Work is not lost: pages warn
before the idle timeout (``static/js/session.js``), and a form posted after the session ended is
kept server-side, in the new session, for the same user only, until that user logs in again
(``views_session.restore_form``).
"""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SESSION_STARTED = "_session_started"
SESSION_ACTIVITY = "_session_activity"
SESSION_ENDED = "_session_ended"
KEPT_FORM = "_session_kept_form"

IDLE = "idle"
MAX_AGE = "max_age"

# Never kept when a form is posted after the session ended.
UNKEPT_FIELDS = ("csrfmiddlewaretoken",)
UNKEPT_FIELD_PARTS = ("password",)


class PortalLocaleMiddleware:
    """Chinese unless the user chose English in the language switcher (``set_language``'s
    cookie), whatever the browser's Accept-Language says. Replaces Django's LocaleMiddleware
    (the portal has no language prefixes in its URLs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Cookie",))
        return response


def chosen_language(request):
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in user (pages,
    admin, downloads, JSON), so neither a shared proxy nor the browser keeps a copy.
    Anonymous responses keep theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def session_passive(view):
    """Mark a view whose requests do not count as activity (the timeout warning's polling)."""
    view.session_passive = True
    return view


def start_session_clock(sender, request, user, **kwargs):
    """``user_logged_in`` receiver: the absolute age and the idle time count from the login;
    a form kept for someone else is dropped (the session is the browser's, not the user's)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SESSION_STARTED] = session[SESSION_ACTIVITY] = int(time.time())
    session.pop(SESSION_ENDED, None)
    kept = session.get(KEPT_FORM)
    if kept and kept.get("user") != user.pk:
        del session[KEPT_FORM]


def time_left(session, now=None):
    """``(seconds, renewable)``: how long the session lasts without further activity, and
    whether activity can extend it (``False`` when the absolute age is the nearer limit)."""
    now = int(time.time()) if now is None else now
    idle_left = session.get(SESSION_ACTIVITY, now) + settings.SESSION_IDLE_TIMEOUT - now
    age_left = session.get(SESSION_STARTED, now) + settings.SESSION_COOKIE_AGE - now
    return max(0, min(idle_left, age_left)), idle_left <= age_left


def expiry_reason(session, now):
    if now - session.get(SESSION_STARTED, now) >= settings.SESSION_COOKIE_AGE:
        return MAX_AGE
    if now - session.get(SESSION_ACTIVITY, now) >= settings.SESSION_IDLE_TIMEOUT:
        return IDLE
    return None


def kept_form_fields(request):
    """The posted fields worth keeping, in order, without passwords and CSRF tokens."""
    return [
        [name, value]
        for name, values in request.POST.lists()
        if name not in UNKEPT_FIELDS and not any(p in name.lower() for p in UNKEPT_FIELD_PARTS)
        for value in values
    ]


def take_kept_form(request):
    """The form kept for the logged-in user, once (it is removed from the session), or None
    if there is none, it was kept for someone else, or it has expired."""
    kept = request.session.pop(KEPT_FORM, None)
    if not kept or kept.get("user") != request.user.pk:
        return None
    if int(time.time()) - kept.get("at", 0) > settings.SESSION_KEPT_FORM_AGE:
        return None
    return kept


def login_paths():
    return {resolve_url(settings.LOGIN_URL), reverse("admin:login")}


def redirects_to_login(response):
    return response.status_code in (301, 302, 303) and (
        urlsplit(response.get("Location", "")).path in login_paths()
    )


class SessionTimeoutMiddleware:
    """Ends idle and too old sessions, and keeps a form posted after its session ended.

    Goes after AuthenticationMiddleware and MessageMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(time.time())
        if request.user.is_authenticated:
            reason = expiry_reason(request.session, now)
            if reason:
                user_pk = request.user.pk
                logout(request)
                request.session[SESSION_ENDED] = {"user": user_pk, "reason": reason, "at": now}
                messages.warning(request, ended_message(reason))

        response = self.get_response(request)

        if request.user.is_authenticated:
            if SESSION_STARTED not in request.session:  # a session from before this rule
                request.session[SESSION_STARTED] = request.session[SESSION_ACTIVITY] = now
            return response
        ended = request.session.get(SESSION_ENDED)
        if (
            ended
            and now - ended["at"] <= settings.SESSION_KEPT_FORM_AGE
            and request.method == "POST"
            and redirects_to_login(response)
        ):
            self.keep_form(request, ended["user"], now)
            messages.info(
                request, _("What you had entered has been kept: log in again to send it.")
            )
            return redirect_to_login(reverse("session_restore"))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        session = request.session
        if not getattr(view_func, "session_passive", False):
            now = int(time.time())
            # To the minute (fewer session writes); to the second for very short test timeouts.
            resolution = min(60, settings.SESSION_IDLE_TIMEOUT // 30)
            if now - session.get(SESSION_ACTIVITY, 0) >= resolution:
                session[SESSION_ACTIVITY] = now
        remaining, renewable = time_left(session)
        request.session_timeout = {
            "remaining": remaining,
            "renewable": renewable,
            "warning": min(settings.SESSION_TIMEOUT_WARNING, remaining),
        }
        return None

    def keep_form(self, request, user_pk, now):
        request.session[KEPT_FORM] = {
            "user": user_pk,
            "at": now,
            "path": request.get_full_path(),
            "fields": kept_form_fields(request),
            "files": sorted(set(request.FILES)),
        }


def ended_message(reason):
    if reason == MAX_AGE:
        hours = max(1, settings.SESSION_COOKIE_AGE // 3600)
        return ngettext(
            "Your login has reached its longest duration (%(hours)d hour) and has ended. "
            "Please log in again.",
            "Your login has reached its longest duration (%(hours)d hours) and has ended. "
            "Please log in again.",
            hours,
        ) % {"hours": hours}
    minutes = max(1, settings.SESSION_IDLE_TIMEOUT // 60)
    return ngettext(
        "You were logged out automatically after %(minutes)d minute without activity. "
        "Please log in again.",
        "You were logged out automatically after %(minutes)d minutes without activity. "
        "Please log in again.",
        minutes,
    ) % {"minutes": minutes}
