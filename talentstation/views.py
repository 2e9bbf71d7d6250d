from django.shortcuts import redirect, render
from django.templatetags.static import static

from .roles import primary_role
from .start_pages import start_page_for


def home(request):
    """Start page: the public welcome, or each role's own starting point (registered by the
    apps, see talentstation.start_pages)."""
    if url := start_page_for(request.user):
        return redirect(url)
    role = primary_role(request.user) if request.user.is_authenticated else None
    context = {"role": role}
    if not request.user.is_authenticated:
        from .front_door import sections

        context["front_door_sections"] = sections()
    return render(request, "home.html", context)


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
