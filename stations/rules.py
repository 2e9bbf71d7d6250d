"""Who may see and do what in the stations app: every view, transition and admin page asks here.

applicant: only its own unit's data · bureau staff: everything · official: reads everything
except personal files (licences) · expert: only what is assigned to him, after declaring that
he has no conflict of interest. The role predicates (``is_staff``…) are the shared ones of
:mod:`talentstation.rules`; this module adds the unit and expert relations and composes them.

The rules never load more than the object they are asked about (and, for experts, his own
assignment): views can ask them per row.
"""

from django.utils.translation import gettext_lazy as _

from talentstation.rules import (
    Rule,
    deny,
    holds_assignment,
    is_applicant,
    is_authenticated,
    is_declared_scorer,
    is_expert,
    is_official,
    is_staff,
    rule,
)


def _membership(user):
    if not (user.is_authenticated and user.is_active):
        return None
    return getattr(user, "unit_membership", None)


def unit_of(user):
    """The host unit ``user`` acts for, or None."""
    membership = _membership(user)
    return membership.unit if membership else None


# A user of a host unit (an applicant): its to-do items, for instance. The role first: it is
# cached on the user, the membership is a query.
is_unit_user = is_applicant & Rule(lambda user, obj: _membership(user) is not None)


# Relations to a unit. ``obj`` is the unit itself (for the unit's own pages and transitions)…


@rule(_("You may only see or change your own unit."), label=_("the unit's users"))
def is_member_of_unit(user, unit):
    membership = _membership(user)
    return bool(membership and membership.unit_id == unit.pk)


@rule(_("You may only change your own unit."), label=_("the unit's administrator"))
def is_admin_of_unit(user, unit):
    membership = _membership(user)
    if not (membership and membership.unit_id == unit.pk):
        return False
    if not membership.is_admin:
        return deny(_("Only your unit's administrator may change the unit or invite users."))
    return True


# … or something the unit owns (a station, an application: ``obj.host_unit_id``).


@rule(_("Only the unit's own users may do this."), label=_("the unit's users"))
def is_unit_member(user, obj):
    membership = _membership(user)
    return bool(membership and membership.unit_id == obj.host_unit_id)


# An expert sees an application only when assigned to it and after declaring that he has no
# conflict of interest (the assignment mechanism is the core's, for any subject).
is_declared_expert = (
    (is_expert & is_declared_scorer)
    .refusing(_("This application is not assigned to you."))
    .labelled(_("the assigned experts"))
)
is_assigned_expert = (
    (is_expert & holds_assignment)
    .refusing(_("This review is not assigned to you."))
    .labelled(_("the assigned expert"))
)


# Units

view_unit = (is_staff | is_official | is_member_of_unit).refusing(
    _("You may only see your own unit.")
)
manage_unit = (is_staff | is_admin_of_unit).refusing(_("You may only change your own unit."))

# The business licence is a personal-data file: staff and the unit's own users only.
download_licence = (is_staff | is_member_of_unit).refusing(
    _("Only bureau staff and the unit itself may download its business licence.")
)

# Stations

view_station = (is_staff | is_official | is_unit_member).refusing(
    _("You may only see your own unit's stations.")
)

# Applications

view_application = (is_staff | is_official | is_unit_member | is_declared_expert).refusing(
    _("You may only see your own unit's applications.")
)


@rule(_("The application has been submitted and can no longer be edited."))
def _application_editable(user, application):
    return application.editable_by_unit


edit_application = (
    is_unit_member.refusing(_("Only the applying unit may edit its application."))
    & _application_editable
).labelled(_("the unit's users, while it is a draft or returned"))


# Personal files of an application (a licence scan among its attachments), as the licence.
_personal_files = (is_staff | is_unit_member).refusing(
    _("Only bureau staff and the unit itself may download its business licence.")
)


def download_attachment_rule(attachment) -> Rule:
    """Who may download ``attachment``: depends on its kind — a licence scan is a personal
    file (staff and the unit), the other material goes with the application."""
    rule = _personal_files if attachment.kind in attachment.PERSONAL_KINDS else view_application
    return Rule(lambda user, obj: rule.check(user, obj.application))


def may_download_attachment(user, attachment):
    return download_attachment_rule(attachment).check(user, attachment)


@rule(_("Only users of a host unit can apply."), label=_("the unit's users"))
def _acts_for_a_unit(user, call):
    return _membership(user) is not None


@rule(_("This call for applications is not open."))
def _call_open(user, call):
    return call.is_open()


start_application = is_authenticated & _acts_for_a_unit & _call_open

# Expert review

expert_pages = is_expert
view_assignment = is_assigned_expert


# Staff work (officials read the staff pages, only bureau staff act).

act_as_staff = is_staff
download_meeting_minutes = is_staff.refusing(
    _("Only bureau staff may open the minutes of the leadership group's meetings.")
)
