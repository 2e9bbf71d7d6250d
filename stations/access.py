"""Who may see or change which station objects. Every view goes through these helpers.

applicant: only its own unit's data · bureau staff: everything · official: reads everything
(no personal files) · expert: only what is assigned to him (nothing yet before the review stage).
"""

from django.utils.translation import gettext as _

from talentstation.access import allow, deny
from talentstation.roles import is_bureau_staff, is_expert, is_official


def unit_of(user):
    """The host unit ``user`` acts for, or None."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "unit_membership", None)
    return membership.unit if membership else None


def _own_unit(user, unit_id):
    membership = getattr(user, "unit_membership", None) if user.is_authenticated else None
    return bool(membership and membership.unit_id == unit_id)


def _login_first(user):
    return None if user.is_authenticated else deny(_("Please log in first."))


def _staff_official_or_own(user, unit_id, refusal_message):
    """Readable by bureau staff, officials and the unit's own users."""
    if refusal := _login_first(user):
        return refusal
    if is_bureau_staff(user) or is_official(user) or _own_unit(user, unit_id):
        return allow()
    return deny(refusal_message)


def view_unit(user, unit):
    return _staff_official_or_own(user, unit.pk, _("You may only see your own unit."))


def change_unit(user, unit):
    if refusal := _login_first(user):
        return refusal
    if is_bureau_staff(user):
        return allow()
    if _own_unit(user, unit.pk) and user.unit_membership.is_admin:
        return allow()
    if _own_unit(user, unit.pk):
        return deny(_("Only your unit's administrator may change the unit or invite users."))
    return deny(_("You may only change your own unit."))


manage_members = change_unit


def download_licence(user, unit):
    """The business licence is a personal-data file: staff and the unit's own users only."""
    if refusal := _login_first(user):
        return refusal
    if is_bureau_staff(user) or _own_unit(user, unit.pk):
        return allow()
    return deny(_("Only bureau staff and the unit itself may download its business licence."))


def view_station(user, station):
    return _staff_official_or_own(
        user, station.host_unit_id, _("You may only see your own unit's stations.")
    )


def view_application(user, application):
    decision = _staff_official_or_own(
        user, application.host_unit_id, _("You may only see your own unit's applications.")
    )
    if decision or not is_expert(user):
        return decision
    return review_application(user, application)


def _assignment(user, application):
    return application.review_assignments.filter(expert=user).first()


def review_application(user, application):
    """An expert opens an application only when assigned to it and after declaring that he
    has no conflict of interest."""
    if refusal := _login_first(user):
        return refusal
    assignment = _assignment(user, application) if is_expert(user) else None
    if assignment is None:
        return deny(_("This application is not assigned to you."))
    if not assignment.declared:
        return deny(_("Declare that you have no conflict of interest before opening it."))
    return allow()


def change_application(user, application):
    seen = view_application(user, application)
    if not seen:
        return seen
    if not _own_unit(user, application.host_unit_id):
        return deny(_("Only the applying unit may edit its application."))
    if not application.editable_by_unit:
        return deny(_("The application has been submitted and can no longer be edited."))
    return allow()


def view_staff_pages(user):
    if refusal := _login_first(user):
        return refusal
    if is_bureau_staff(user) or is_official(user):
        return allow()
    return deny(_("These pages are for bureau staff and officials."))


def view_staff_todo(user):
    if refusal := _login_first(user):
        return refusal
    if is_bureau_staff(user):
        return allow()
    return deny(_("The to-do list is for bureau staff."))


def start_application(user, call):
    if refusal := _login_first(user):
        return refusal
    unit = unit_of(user)
    if unit is None:
        return deny(_("Only users of a host unit can apply."))
    if not call.is_open():
        return deny(_("This call for applications is not open."))
    return allow()
