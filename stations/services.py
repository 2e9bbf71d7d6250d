"""Domain operations on host units, members and applications (called by views and admin)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from talentstation.roles import Role, grant_role
from talentstation.workflow import perform

from .models import Application, HostUnit, Station, UnitMember


@transaction.atomic
def register_unit(*, unit_name, credit_code, business_licence, contact_name, mobile, email,
                  password):
    """A unit registers itself; its first user becomes the unit's administrator."""
    unit = HostUnit.objects.create(
        name=unit_name,
        credit_code=credit_code,
        business_licence=business_licence,
        contact_name=contact_name,
        contact_mobile=mobile,
        contact_email=email,
    )
    User = get_user_model()
    user = User.objects.create_user(
        username=email.lower(), email=email, password=password, full_name=contact_name,
        mobile=mobile,
    )
    UnitMember.objects.create(user=user, unit=unit, is_admin=True)
    grant_role(user, Role.APPLICANT)
    return unit, user


def password_set_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def invite_member(unit, *, email, full_name, mobile="", by, is_admin=False):
    """Add a user to ``unit`` and e-mail them a link to choose their password."""
    User = get_user_model()
    user = User.objects.create_user(
        username=email.lower(), email=email, full_name=full_name, mobile=mobile, password=None
    )
    UnitMember.objects.create(user=user, unit=unit, is_admin=is_admin, invited_by=by)
    grant_role(user, Role.APPLICANT)
    context = {"user": user, "unit": unit, "inviter": by, "link": password_set_link(user)}
    subject = _("You are invited to the talent station portal for %(unit)s") % {"unit": unit}
    body = render_to_string("stations/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )
    return user


@transaction.atomic
def start_application(unit, call, *, by, station=None):
    """Open a draft application of ``unit`` in ``call``, for a new station or one of its own
    stations that was not selected before (which then applies again)."""
    if station is None:
        station = Station.objects.create(name="", station_type="", host_unit=unit)
    elif station.status == Station.Status.NOT_SELECTED:
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
    )
    application.save()
    return application
