"""The rules of the stations app's lifecycles: who may run a transition (permissions) and
when (conditions, each with the message shown when it is not met).

The lifecycles themselves are declared on the models with django-fsm-2 (named transitions of
HostUnit.verification and .code_state, Call.status, Application.status, Station.status) and run
only through :func:`talentstation.workflow.perform`, which checks these rules, records the
transition log and notifies the people concerned. Admin actions, staff pages
(talentstation.views_workflow) and other apps all call ``perform``.

Application: draft → submitted ⇄ returned; submitted → rejected | accepted (formal check) →
shortlisted (expert review) → approved (leadership group) → in_publicity → certified
(publication); accepted/shortlisted/approved/in_publicity → not_selected.
Station: applying → certified ⇄ rectifying → revoked; applying ⇄ not_selected.
"""

from django.utils.translation import gettext_lazy as _

from talentstation.roles import is_bureau_staff
from talentstation.workflow import condition


# Permissions ("who")
def staff_only(instance, user):
    return is_bureau_staff(user)


def unit_member(instance, user):
    """A user of the unit that owns ``instance`` (a HostUnit, Station or Application)."""
    unit = instance if instance.__class__.__name__ == "HostUnit" else instance.host_unit
    membership = getattr(user, "unit_membership", None) if user.is_authenticated else None
    return bool(membership and user.is_active and membership.unit_id == unit.pk)


def unit_admin(instance, user):
    return unit_member(instance, user) and user.unit_membership.is_admin


# Conditions ("when")


@condition(_("Upload the business licence scan first."))
def has_licence(unit):
    return bool(unit.business_licence)


@condition(_("The call's dates need a reason: it is not inside the third quarter."))
def dates_are_justified(call):
    return call.inside_q3 or bool(call.outside_q3_reason.strip())


@condition(_("The call for applications is not open."))
def call_is_open(application):
    return application.call.is_open()


def _missing_message(application):
    return _("Complete these items first: %(items)s.") % {
        "items": "、".join(str(label) for label in application.incomplete_items())
    }


@condition(_("Verify the unit (its business licence) before accepting its application."))
def unit_verified(application):
    return application.host_unit.is_verified


def _review_message(application):
    from .models.review import review_status

    state = review_status(application)
    return _(
        "The expert review is not complete: %(submitted)d of %(needed)d score sheets are submitted."
    ) % {"submitted": state.submitted, "needed": state.needed}


@condition(_review_message)
def review_complete(application):
    from .models.review import review_status

    return review_status(application).complete


@condition(_missing_message)
def is_complete(application):
    return not application.incomplete_items()


def _scan_message(application):
    return _(
        "Upload the scan of the generated Annex 1 PDF, stamped with the unit's seal, before "
        "submitting."
    )


@condition(_scan_message)
def stamped_scan_if_required(application):
    if not application.call.policy_version.stamped_scan_required:
        return True
    return application.stamped_scan is not None


@condition(
    _("The unit's credit code is unconfirmed; bureau staff must confirm it before submission.")
)
def unit_code_settled(application):
    return not application.host_unit.code_unconfirmed
