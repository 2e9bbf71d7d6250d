"""Checks every request passes before a view (or the session, or the login throttle) sees it.

A NUL character (U+0000) anywhere a request carries text — the path, the query string, form
fields (names and values), cookies, headers — is refused with a Chinese 400 page. Nobody types
a NUL; PostgreSQL cannot store one in a text column, so a NUL reaching a query answered 500.
Uploaded files are not looked at (their content is binary; Django already drops unprintable
characters from their names).
"""

import logging

from django.shortcuts import render

logger = logging.getLogger("django.security.request_checks")

NUL = "\x00"


def _any_nul(pairs):
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def nul_location(request):
    """Where ``request`` carries a NUL ("path", "query", "form", "cookie", "header"), or None."""
    if NUL in request.path_info or NUL in request.path:
        return "path"
    if _any_nul(request.GET.lists()):
        return "query"
    if request.method == "POST" and _any_nul(request.POST.lists()):
        return "form"
    if _any_nul((name, [value]) for name, value in request.COOKIES.items()):
        return "cookie"
    headers = (
        (name, [value])
        for name, value in request.META.items()
        if name.startswith("HTTP_") and isinstance(value, str)
    )
    if _any_nul(headers):
        return "header"
    return None


class RefuseNulMiddleware:
    """Answers 400 to a request with a NUL in it (see the module's docstring).

    Placed before the session middleware, so a NUL in the session cookie never reaches the
    database either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        location = nul_location(request)
        if location is None:
            return self.get_response(request)
        logger.warning(
            "Refused a request with a NUL character in its %s: %r", location, request.path[:200]
        )
        return render(request, "request_refused.html", {"location": location}, status=400)
