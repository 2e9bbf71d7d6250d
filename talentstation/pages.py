"""Small helpers of the pages."""

from django.contrib import messages

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
