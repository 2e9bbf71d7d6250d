from django.conf import settings

from .roles import Role, primary_role


def portal(request):
    user = getattr(request, "user", None)
    role = primary_role(user) if user is not None and user.is_authenticated else None
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "portal_role": role,
        "Role": Role,
        "BUREAU_CONTACT": settings.BUREAU_CONTACT,
    }
