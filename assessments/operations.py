"""The operation log's domain: the station logs and edits its entries, bureau staff accept,
reject or correct them. Every state change runs through
:func:`talentstation.workflow.perform`; refusals are :class:`talentstation.rules.Refused`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from stations.models import Station
from stations.rules import unit_of
from talentstation.i18n import label_value
from talentstation.rules import Refused, refuse_unless
from talentstation.uploads import clean_filename
from talentstation.workflow import perform

from . import rules
from .models import Activity, ActivityFile, ServiceRecord


def live_stations_of(user):
    """The certified (or rectifying) stations whose log ``user`` keeps."""
    unit = unit_of(user)
    if unit is None:
        return []
    return list(Station.objects.certified().filter(host_unit=unit).order_by("name"))


def _fresh(entry):
    """The entry as stored (a form may have changed the object in hand)."""
    return type(entry).objects.select_related("station__host_unit").get(pk=entry.pk)


def _values(model, values):
    return {name: values[name] for name in model.VALUE_FIELDS if name in values}


# -- the station logs ---------------------------------------------------------------------------


def _record(model, station, values, by):
    refuse_unless(rules.log_entries, by, station)
    entry = model(station=station, **_values(model, values))
    entry.full_clean(exclude=["status"])
    perform(entry, "record", by=by)
    return entry


@transaction.atomic
def log_activity(station, values, *, by, photos=(), sign_in_sheets=()):
    """A new activity of ``station``, waiting for acceptance, with its files."""
    activity = _record(Activity, station, values, by)
    add_files(activity, photos=photos, sign_in_sheets=sign_in_sheets, by=by)
    return activity


def log_service(station, values, *, by):
    """A new service record of ``station``, waiting for acceptance."""
    with transaction.atomic():
        return _record(ServiceRecord, station, values, by)


def add_files(activity, *, photos=(), sign_in_sheets=(), by):
    """Store the uploads (already checked by the form) as the activity's files."""
    for kind, uploads in (
        (ActivityFile.Kind.PHOTO, photos),
        (ActivityFile.Kind.SIGN_IN, sign_in_sheets),
    ):
        for upload in uploads:
            ActivityFile.objects.create(
                activity=activity,
                kind=kind,
                file=upload,
                original_name=clean_filename(upload.name),
                size=upload.size,
                uploaded_by=by,
            )


def remove_file(activity_file, *, by):
    refuse_unless(rules.edit_entry, by, activity_file.activity)
    activity_file.file.delete(save=False)
    activity_file.delete()


@transaction.atomic
def edit(entry, values, *, by, photos=(), sign_in_sheets=()):
    """The station's new values for its rejected or still waiting entry: it is resubmitted
    (waiting for acceptance again). Returns False when nothing changed."""
    entry = _fresh(entry)
    refuse_unless(rules.edit_entry, by, entry)
    values = _values(type(entry), values)
    if not entry.value_changes(values) and not (photos or sign_in_sheets):
        return False
    if photos or sign_in_sheets:
        add_files(entry, photos=photos, sign_in_sheets=sign_in_sheets, by=by)
    _perform_with_values(entry, "resubmit", by=by, values=values)
    return True


def _perform_with_values(entry, name, **kwargs):
    """Run a transition that applies new values; values the model refuses (checked by the
    forms already) are a refusal, not an error page."""
    try:
        return perform(entry, name, **kwargs)
    except ValidationError as error:
        raise Refused("；".join(error.messages)) from error


# -- bureau staff review ------------------------------------------------------------------------


def accept(entry, *, by):
    return perform(_fresh(entry), "accept", by=by)


def reject(entry, *, by, reason):
    return perform(_fresh(entry), "reject", by=by, reason=reason)


def _shown(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def describe_changes(changes):
    """“人次：30 → 25；…” for the transition log and the unit's notice."""
    return "；".join(
        label_value(field.verbose_name, f"{_shown(field, old)} → {_shown(field, new)}")
        for field, old, new in changes
    )


def correct(entry, values, *, by, reason):
    """Staff change the values of a waiting or accepted entry, with a reason: the entry is
    accepted with the new values; the field history keeps the old ones and the transition log
    the reason with what changed."""
    refuse_unless(rules.review_entries, by, entry)
    entry = _fresh(entry)
    values = _values(type(entry), values)
    changes = entry.value_changes(values)
    if not changes:
        raise Refused(_("Nothing was changed: to take the entry as it is, accept it."))
    if (reason or "").strip():
        reason = _("%(reason)s (changed: %(changes)s)") % {
            "reason": reason.strip(),
            "changes": describe_changes(changes),
        }
    return _perform_with_values(entry, "correct", by=by, reason=reason, values=values)


# -- the district's entries (acceptance queue) ---------------------------------------------------


def district_entries(model, *, status=None, type=None, q=None, year=None, **_ignored):
    """The district's entries of ``model``: waiting for acceptance (oldest first) unless
    another ``status`` ("all" for every one) is asked for."""
    entries = model.objects.select_related("station__host_unit", "recorded_by")
    status = status or model.Status.SUBMITTED
    if status != "all":
        entries = entries.filter(status=status)
    if type:
        entries = entries.filter(station__station_type=type)
    if query := (q or "").strip():
        entries = entries.filter(
            Q(station__name__icontains=query) | Q(station__host_unit__name__icontains=query)
        )
    if year:
        entries = entries.filter(date__year=year)
    if status == model.Status.SUBMITTED:
        return entries.order_by("recorded_at", "pk")
    return entries.order_by("-date", "-pk")
