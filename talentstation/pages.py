"""Small helpers of the pages."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .rules import Refused


def attempt(request, action, done):
    """Run ``action()`` and tell the user: ``done`` when it went through, or why it was refused.
    Returns whether it went through."""
    try:
        action()
    except Refused as refusal:
        messages.error(request, refusal.message)
        return False
    messages.success(request, done)
    return True


def query_without_page(request):
    """The query string of a list page without its page number (for links that keep the
    filters: pagination, exports)."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def export_refused(request, list_name):
    """An export asked with a filter that is not valid: back to the list (URL name
    ``list_name``) with the same query, where the list says why."""
    query = query_without_page(request)
    return redirect(reverse(list_name) + (f"?{query}" if query else ""))
