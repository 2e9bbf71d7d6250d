from django.shortcuts import redirect, render
from django.templatetags.static import static

from stations.access import unit_of

from .roles import Role, primary_role


def home(request):
    """Start page: the public welcome, or each role's own starting point."""
    role = primary_role(request.user) if request.user.is_authenticated else None
    if role == Role.STAFF:
        return redirect("stations:staff_todo")
    if role == Role.OFFICIAL:
        return redirect("stations:staff_stations")
    if role == Role.EXPERT:
        return redirect("stations:expert_assignments")
    if role == Role.APPLICANT and unit_of(request.user) is not None:
        return redirect("stations:my_unit")
    return render(request, "home.html", {"role": role})


def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)


def permission_denied(request, exception=None):
    reason = str(exception) if exception else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def healthz(request):
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
