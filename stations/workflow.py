"""When the stations app's transitions may run: their conditions, each with the message shown
when it is not met. Who may run them is in :mod:`stations.rules`.

The lifecycles are declared on the models with django-fsm-2 (HostUnit.verification and
.code_state, Call.status, Application.status, Station.status) and run only through
:func:`talentstation.workflow.perform`, which checks the rule, then the state and these
conditions, records the transition log and notifies the people concerned. Admin actions, staff
pages (talentstation.views_workflow) and other apps all call ``perform``. The tables of every
lifecycle are generated from the declarations: ``manage.py workflow_tables`` and the staff help
page 「流程说明」.
"""

from django.utils.translation import gettext_lazy as _

from talentstation.workflow import condition


@condition(
    _("Upload the business licence scan first."),
    summary=_("the business licence scan is uploaded"),
)
def has_licence(unit):
    return bool(unit.business_licence)


@condition(
    _("The call's dates need a reason: it is not inside the third quarter."),
    summary=_("the call is inside the third quarter, or the reason is recorded"),
)
def dates_are_justified(call):
    return call.inside_q3 or bool(call.outside_q3_reason.strip())


@condition(_("The call for applications is not open."), summary=_("the call is open"))
def call_is_open(application):
    return application.call.is_open()


def _missing_message(application):
    return _("Complete these items first: %(items)s.") % {
        "items": "、".join(str(label) for label in application.incomplete_items())
    }


@condition(_missing_message, summary=_("every required Annex 1 row is filled in and valid"))
def is_complete(application):
    return not application.incomplete_items()


@condition(
    _("Verify the unit (its business licence) before accepting its application."),
    summary=_("the unit is verified"),
)
def unit_verified(application):
    return application.host_unit.is_verified


def _review_message(application):
    from .review import review_status

    state = review_status(application)
    return _(
        "The expert review is not complete: %(submitted)d of %(needed)d score sheets are submitted."
    ) % {"submitted": state.submitted, "needed": state.needed}


@condition(
    _review_message,
    summary=_("the score sheets of all assigned experts (or the policy's quorum) are submitted"),
)
def review_complete(application):
    from .review import review_status

    return review_status(application).complete


@condition(
    _(
        "Upload the scan of the generated Annex 1 PDF, stamped with the unit's seal, before "
        "submitting."
    ),
    summary=_("the stamped scan is uploaded, where the policy settings require it"),
)
def stamped_scan_if_required(application):
    if not application.call.policy_version.stamped_scan_required:
        return True
    return application.stamped_scan is not None


@condition(
    _("The unit's credit code is unconfirmed; bureau staff must confirm it before submission."),
    summary=_("the unit's credit code is not unconfirmed"),
)
def unit_code_settled(application):
    return not application.host_unit.code_unconfirmed
