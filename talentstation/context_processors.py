from django.conf import settings

from .roles import Role, primary_role


def portal(request):
    user = getattr(request, "user", None)
    role = primary_role(user) if user is not None and user.is_authenticated else None
    if getattr(request, "two_factor_setup_required", False):
        role = None  # nothing but the set-up page is reachable yet: no menus
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "portal_role": role,
        "Role": Role,
        "BUREAU_CONTACT": settings.BUREAU_CONTACT,
    }


def notifications(request):
    """``unread_notification_count`` for the navbar: one COUNT query, made only when a page
    shows it, and only for a logged-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.utils.functional import SimpleLazyObject

    from .notifications import unread_count

    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(user))}
