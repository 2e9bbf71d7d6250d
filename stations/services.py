"""Domain operations on host units, members and applications (called by views and admin)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from talentstation.roles import Role, grant_role
from talentstation.rules import Refused, refuse_unless
from talentstation.uploads import clean_filename
from talentstation.workflow import perform

from . import prefill, rules
from .models import Application, Attachment, HostUnit, Station, UnitMember


def credit_code_taken(code):
    """The error for a registration with a credit code already registered, or None."""
    if not HostUnit.objects.filter(credit_code=code).exists():
        return None
    return ValidationError(
        _(
            "A unit with this credit code is already registered. Ask that unit's "
            "administrator to invite you, or contact %(contact)s if you believe this "
            "is wrong."
        ),
        code="taken",
        params={"contact": settings.BUREAU_CONTACT},
    )


def email_taken(email, *, own=True):
    """The error for an e-mail address that already has an account (as its e-mail or its login
    name, in any case), or None. ``own``: the person registers himself (so may log in)."""
    User = get_user_model()
    if not User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        return None
    if own:
        message = _("This e-mail address already has an account; log in or reset the password.")
    else:
        message = _("This e-mail address already has an account.")
    return ValidationError(message, code="email_taken")


def mobile_taken(mobile):
    """The error for a mobile number that already belongs to an account, or None."""
    if not mobile or not get_user_model().objects.filter(mobile=mobile).exists():
        return None
    return ValidationError(
        _("This mobile number already belongs to an account."), code="mobile_taken"
    )


def _conflicts(checks):
    """{field: error} of the checks that fail; after an IntegrityError, what the other
    request took meanwhile."""
    errors = {field: error for field, error in checks if error is not None}
    if not errors:
        errors[NON_FIELD_ERRORS] = ValidationError(
            _("Someone saved the same at the same moment. Check the form and submit it again."),
            code="conflict",
        )
    return ValidationError(errors)


def register_unit(
    *, unit_name, credit_code, business_licence, contact_name, mobile, email, password
):
    """A unit registers itself; its first user becomes the unit's administrator.

    When another registration took the credit code, the e-mail address or the mobile number
    since the form was checked (two identical registrations at once), nothing is saved and a
    ValidationError keyed by the registration form's fields says what was taken.
    """
    unit = HostUnit(
        name=unit_name,
        credit_code=credit_code,
        business_licence=business_licence,
        contact_name=contact_name,
        contact_mobile=mobile,
        contact_email=email,
    )
    try:
        with transaction.atomic():
            unit.save()
            user = get_user_model().objects.create_user(
                username=email.lower(),
                email=email,
                password=password,
                full_name=contact_name,
                mobile=mobile,
            )
            UnitMember.objects.create(user=user, unit=unit, is_admin=True)
            grant_role(user, Role.APPLICANT)
    except IntegrityError:
        if unit.business_licence.name:
            unit.business_licence.storage.delete(unit.business_licence.name)
        raise _conflicts(
            [
                ("credit_code", credit_code_taken(unit.credit_code)),
                ("email", email_taken(email)),
                ("mobile", mobile_taken(mobile)),
            ]
        ) from None
    return unit, user


def password_set_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def invite_member(unit, *, email, full_name, mobile="", by, is_admin=False):
    """Add a user to ``unit`` and e-mail them a link to choose their password.

    When the e-mail address or the mobile number got an account since the form was checked
    (two invitations at once), nothing is saved and a ValidationError keyed by the invitation
    form's fields says so.
    """
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=email.lower(),
                email=email,
                full_name=full_name,
                mobile=mobile,
                password=None,
            )
            UnitMember.objects.create(user=user, unit=unit, is_admin=is_admin, invited_by=by)
            grant_role(user, Role.APPLICANT)
    except IntegrityError:
        raise _conflicts(
            [("email", email_taken(email, own=False)), ("mobile", mobile_taken(mobile))]
        ) from None
    context = {"user": user, "unit": unit, "inviter": by, "link": password_set_link(user)}
    subject = _("You are invited to the talent station portal for %(unit)s") % {"unit": unit}
    body = render_to_string("stations/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )
    return user


def start_application(unit, call, *, by, station=None):
    """Open a draft application of ``unit`` in ``call``, for a new station or one of its own
    stations that was not selected before (which then applies again). Returns the unit's
    existing application in the call if it has one (one per unit per call, also when two
    colleagues start at the same moment)."""
    refuse_unless(rules.start_application, by, call)
    existing = Application.objects.filter(call=call, host_unit=unit).first()
    if existing is not None:
        return existing
    if station is not None and (
        station.host_unit_id != unit.pk or station.status != Station.Status.NOT_SELECTED
    ):
        raise Refused(_("Only a station of your unit that was not selected can apply again."))
    try:
        with transaction.atomic():
            return _new_application(unit, call, by=by, station=station)
    except IntegrityError:
        return Application.objects.get(call=call, host_unit=unit)


def _new_application(unit, call, *, by, station):
    if station is None:
        station = Station.objects.create(name="", station_type="", host_unit=unit)
    else:
        perform(station, "reapply", by=by)
    application = Application(
        call=call,
        station=station,
        host_unit=unit,
        created_by=by,
        station_name=station.name,
        station_type=station.station_type,
        address=station.address,
        built_on=station.built_on,
        area_m2=station.area_m2,
        **prefill.initial_values(unit),
    )
    application.save()
    return application


@dataclass
class SaveResult:
    saved: bool
    conflict_fields: list = field(default_factory=list)  # labels changed by someone else
    voided_scan: bool = False
    changed: bool = False


def _raw_value(form, name):
    value = form[name].value()
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    return "" if value is None else str(value)


@transaction.atomic
def save_annex1(application, form, *, by):
    """Save what the unit typed into Annex 1, valid or not: valid values go into the fields,
    invalid ones are kept as typed in ``draft_data``. Refuses (without saving) when someone else
    saved since the form was opened, listing what they changed. An edit voids the stamped scan.

    ``form`` is a bound ApplicationForm on which ``is_valid()`` has run.
    """
    current = Application.objects.select_for_update().get(pk=application.pk)
    posted_version = form.cleaned_data.get("lock_version")
    if posted_version is None:
        posted_version = form.data.get("lock_version")
    if str(posted_version) != str(current.lock_version):
        conflicts = [
            Application._meta.get_field(name).verbose_name
            for name in Application.ANNEX1_FIELDS
            if current.annex1_values()[name] != application.annex1_values()[name]
            or name in current.draft_data
        ]
        return SaveResult(saved=False, conflict_fields=conflicts)

    before = (current.annex1_values(), dict(current.draft_data))
    draft = {}
    for name in Application.ANNEX1_FIELDS:
        if name in form.errors:
            draft[name] = _raw_value(form, name)
            setattr(application, name, getattr(current, name))  # keep the last valid value
    application.draft_data = draft
    application.normalize()
    changed = (application.annex1_values(), draft) != before
    voided = False
    if changed:
        scan = current.stamped_scan
        if scan is not None:
            scan.file.delete(save=False)
            scan.delete()
            getattr(application, "_prefetched_objects_cache", {}).pop("attachments", None)
            voided = True
    application.lock_version = current.lock_version + 1
    application.updated_by = by
    application.save()
    return SaveResult(saved=True, voided_scan=voided, changed=changed)


def submit(application, *, by):
    """Hand in the unit's Annex 1: the first submission, or the resubmission after a return
    for correction. Raises Refused saying what is missing."""
    return perform(application, application.submit_transition, by=by)


def add_attachment(application, *, kind, upload, by):
    return Attachment.objects.create(
        application=application,
        kind=kind,
        file=upload,
        original_name=clean_filename(upload.name),
        size=upload.size,
        revision=application.revision,
        uploaded_by=by,
    )


@transaction.atomic
def replace_stamped_scan(application, *, upload, by):
    for old in application.attachments.filter(kind=Attachment.Kind.STAMPED_SCAN):
        old.file.delete(save=False)
        old.delete()
    return add_attachment(application, kind=Attachment.Kind.STAMPED_SCAN, upload=upload, by=by)


def remove_attachment(attachment):
    attachment.file.delete(save=False)
    attachment.delete()


def next_steps(application):
    """What the unit must do next, in plain words, for the status page."""
    steps = []
    if application.status == Application.Status.SUBMITTED:
        return [_("Nothing for now: bureau staff are checking the application (formal check).")]
    if not application.editable_by_unit:
        return steps
    if application.status == Application.Status.DRAFT and not application.call.is_open():
        return [
            _("The call closed on %(date)s; this draft can no longer be submitted.")
            % {"date": application.call.close_date}
        ]
    if application.status == Application.Status.RETURNED:
        steps.append(
            _(
                "Bureau staff returned the application for correction: see the reason "
                "in the history, correct it and submit again."
            )
        )
    todo = []
    if blocker := application.host_unit.submission_blocker():
        todo.append(blocker)
    if missing := application.incomplete_items():
        todo.append(
            _("Complete these items: %(items)s.")
            % {"items": "、".join(str(label) for label in missing)}
        )
    if application.call.policy_version.stamped_scan_required and application.stamped_scan is None:
        todo.append(
            _("Download the Annex 1 PDF, stamp it with the unit's seal and upload the scan.")
        )
    if not todo:
        todo.append(
            _("Submit the application (before the end of %(date)s).")
            % {"date": application.call.close_date}
        )
    return steps + todo


def annex1_rows(application):
    """The Annex 1 rows as (label, text) for the status page."""
    return [
        (application._meta.get_field(name).verbose_name, _display(application, name))
        for name in Application.ANNEX1_FIELDS
    ]


def _display(obj, name):
    field = obj._meta.get_field(name)
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def revision_changes(application):
    """What changed between the last two submitted revisions: [(label, before, after)]."""
    revisions = list(application.revisions.order_by("-revision")[:2])
    if len(revisions) < 2:
        return []
    newer, older = revisions
    changes = []
    for name in Application.ANNEX1_FIELDS:
        before, after = older.data.get(name), newer.data.get(name)
        if before != after:
            label = Application._meta.get_field(name).verbose_name
            changes.append((label, before, after))
    return changes


@transaction.atomic
def record_leadership_decision(
    application, *, by, meeting, approved, reason="", office_opinion="", office_opinion_date=None
):
    """Record the joint meeting's decision on a shortlisted application (and the talent
    office's opinion for Annex 1), through the workflow."""
    if approved:
        perform(application, "approve", by=by, reason=reason, meeting=meeting)
    else:
        perform(application, "not_select", by=by, reason=reason)
    if office_opinion:
        application.office_opinion = office_opinion
        application.office_opinion_date = office_opinion_date
        application.save(update_fields=["office_opinion", "office_opinion_date"])
    return application


@transaction.atomic
def change_member(member, *, by, action):
    """The unit administrator (or staff) manages the unit's users: ``action`` is "promote",
    "demote" or "deactivate". A unit always keeps at least one active administrator."""
    unit = member.unit
    refuse_unless(rules.manage_unit, by, unit)
    other_admins = (
        unit.members.select_for_update()
        .filter(is_admin=True, user__is_active=True)
        .exclude(pk=member.pk)
    )
    if action in ("demote", "deactivate") and member.is_admin and not other_admins.exists():
        raise Refused(
            _("A unit needs at least one administrator: make someone else administrator first.")
        )
    if action == "promote":
        member.is_admin = True
        member.save(update_fields=["is_admin"])
    elif action == "demote":
        member.is_admin = False
        member.save(update_fields=["is_admin"])
    elif action == "deactivate":
        # The account is kept (its actions stay in the history) but can no longer log in.
        member.is_admin = False
        member.save(update_fields=["is_admin"])
        member.user.is_active = False
        member.user.save(update_fields=["is_active"])
    else:
        raise ValueError(action)
    return member
