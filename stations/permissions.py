"""Permission callables for transitions (``permission=`` of django-fsm-2's ``@transition``)."""

from talentstation.roles import is_bureau_staff


def staff_only(instance, user):
    return is_bureau_staff(user)


def unit_member(instance, user):
    """A user of the unit that owns ``instance`` (a HostUnit, Station or Application)."""
    unit = instance if instance.__class__.__name__ == "HostUnit" else instance.host_unit
    membership = getattr(user, "unit_membership", None) if user.is_authenticated else None
    return bool(membership and user.is_active and membership.unit_id == unit.pk)


def unit_admin(instance, user):
    return unit_member(instance, user) and user.unit_membership.is_admin
