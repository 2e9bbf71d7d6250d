"""The session's time limits, seen from the page: the timeout warning's status and keep-alive
requests, and the page that sends a form kept across a new login again
(talentstation/middleware.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .middleware import session_passive, take_kept_form, time_left


def session_json(request):
    if not request.user.is_authenticated:
        return JsonResponse({"authenticated": False, "remaining": 0, "renewable": False})
    remaining, renewable = time_left(request.session)
    return JsonResponse({"authenticated": True, "remaining": remaining, "renewable": renewable})


@session_passive
@require_GET
def session_status(request):
    """How long the session has left; asking does not count as activity."""
    return session_json(request)


@require_POST
def keep_alive(request):
    """「继续使用」: counts as activity, so the idle timeout starts again."""
    return session_json(request)


@login_required
def restore_form(request):
    kept = take_kept_form(request)
    if kept is None or not url_has_allowed_host_and_scheme(
        kept["path"], allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        messages.info(request, _("There is no kept form to send again."))
        return redirect("home")
    return render(request, "registration/kept_form.html", {"kept": kept})
