"""The digital operation log of certified stations (Art. 7(6), 9, 17): activities and service
records the station's users log and bureau staff review. Only accepted entries count anywhere
(:mod:`assessments.evidence`).

Every entry has one lifecycle (:class:`ReviewedEntry`): the station *records* it (submitted),
staff *accept* or *reject* it (with a reason); the station edits a rejected or still submitted
entry and *resubmits* it; staff *correct* a submitted or accepted entry (new values with a
reason: the field history keeps the old values, the transition log the reason and what
changed), which leaves it accepted.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.dates import validate_not_in_future
from talentstation.i18n import label_value
from talentstation.models.fields import recorded_by as user_field
from talentstation.uploads import UploadTo

from .. import rules


class ActivityKind(models.TextChoices):
    """The functions of Art. 9."""

    EXCHANGE = "exchange", _("exchange and matchmaking")
    ATTRACTION = "attraction", _("attracting and gathering talent")
    CONSULTING = "consulting", _("consulting services")
    TRAINING = "training", _("capacity building")
    LEISURE = "leisure", _("leisure and health care")
    TRANSFER = "transfer", _("turning results into practice")
    EXTENSION = "extension", _("extending the talent work")


class ActivityMode(models.TextChoices):
    OFFLINE = "offline", pgettext_lazy("activity mode", "offline")
    ONLINE = "online", pgettext_lazy("activity mode", "online")


class ServiceKind(models.TextChoices):
    POLICY = "policy", _("policy consultation")
    AGENCY_PERSON = "agency_person", _("agency service for a person")
    AGENCY_EMPLOYER = "agency_employer", _("agency service for an employer")
    OTHER = "other", _("other service")


# A mainland resident identity card number (18 characters, or the old 15 digits).
_ID_NUMBER = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15})(?!\d)")


def validate_no_id_number(value):
    """Who was served is described, never identified: no identity card numbers."""
    if value and _ID_NUMBER.search(value):
        raise ValidationError(
            _("Do not enter identity card numbers: describe who was served in a few words."),
            code="id_number",
        )


@condition(_("This entry is already recorded."), summary=_("a new entry"))
def is_new_entry(entry):
    return entry.pk is None


@condition(
    lambda entry: (
        _(
            "Only a certified station (or one under rectification) logs activities and services; "
            "this station is %(status)s."
        )
        % {"status": entry.station.get_status_display()}
    ),
    summary=_("the station is certified or under rectification"),
)
def station_is_live(entry):
    return entry.station.is_live


class ReviewedEntry(ConcurrentTransitionMixin, models.Model):
    """An entry of a station's operation log that bureau staff review."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for acceptance")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "record": _("record the entry"),
        "accept": _("accept the entry"),
        "reject": _("reject the entry"),
        "resubmit": _("resubmit the entry"),
        "correct": _("correct the entry"),
    }
    # What the station may still change itself.
    STATION_EDITABLE = (Status.SUBMITTED, Status.REJECTED)
    # The staff tell the unit of these.
    NOTIFIED_TRANSITIONS = ("reject", "correct")
    # The fields staff may correct and the station edits (set by each model).
    VALUE_FIELDS: tuple[str, ...] = ()

    status = FSMField(_("status"), choices=Status.choices, default=Status.SUBMITTED, protected=True)
    recorded_by = user_field(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    reviewed_by = user_field(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    @property
    def editable_by_station(self):
        return self.status in self.STATION_EDITABLE

    @property
    def counts(self):
        """Only accepted entries count anywhere."""
        return self.status == self.Status.ACCEPTED

    def value_changes(self, values):
        """``[(field, old, new)]`` of ``values`` that differ from this entry's."""
        changes = []
        for name, new in values.items():
            old = getattr(self, name)
            if old != new:
                changes.append((self._meta.get_field(name), old, new))
        return changes

    def _reviewed(self, by):
        self.reviewed_by = by if by is not None and by.is_authenticated else None
        self.reviewed_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.SUBMITTED,
        permission=rules.is_station_user,
        conditions=[is_new_entry, station_is_live],
        custom={"label": TRANSITION_LABELS["record"]},
    )
    def record(self, *, by, reason=""):
        """The station logs a new entry (run on the new, unsaved entry)."""
        self.recorded_by = by
        self.recorded_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.ACCEPTED,
        permission=rules.review_entries,
        custom={"label": TRANSITION_LABELS["accept"]},
    )
    def accept(self, *, by, reason=""):
        self._reviewed(by)

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        permission=rules.review_entries,
        custom={"label": TRANSITION_LABELS["reject"], "reason_required": True},
    )
    def reject(self, *, by, reason=""):
        self._reviewed(by)

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.REJECTED],
        target=Status.SUBMITTED,
        permission=rules.is_station_user,
        conditions=[station_is_live],
        custom={"label": TRANSITION_LABELS["resubmit"]},
    )
    def resubmit(self, *, by, reason="", values=None):
        """The station hands in its edited entry again (the values are applied here)."""
        for name, value in (values or {}).items():
            setattr(self, name, value)
        self.full_clean(exclude=["status", "station"])

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.ACCEPTED],
        target=Status.ACCEPTED,
        permission=rules.review_entries,
        custom={"label": TRANSITION_LABELS["correct"], "reason_required": True},
    )
    def correct(self, *, by, reason="", values=None):
        """Staff change the values (the field history keeps the old ones) and accept it."""
        for name, value in (values or {}).items():
            setattr(self, name, value)
        self.full_clean(exclude=["status", "station"])
        self._reviewed(by)

    def notify_transition(self, log):
        """Tell the unit's users when staff reject or correct one of its entries."""
        if log.transition not in self.NOTIFIED_TRANSITIONS:
            return
        from talentstation.notifications import notify_transition

        notify_transition(
            self.station.host_unit.users(),
            subject=_("%(station)s: %(change)s — %(entry)s")
            % {"station": self.station, "change": log.transition_label, "entry": self},
            log=log,
            link=self.get_absolute_url(),
        )


class Activity(ReviewedEntry):
    """An activity the station held: one event with its person-times (人次)."""

    VALUE_FIELDS = (
        "date",
        "title",
        "kind",
        "mode",
        "place",
        "partners",
        "person_times",
        "high_level_talents",
        "report",
    )

    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("station"),
    )
    date = models.DateField(_("date"), validators=[validate_not_in_future])
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    mode = models.CharField(
        _("online or offline"),
        max_length=10,
        choices=ActivityMode.choices,
        default=ActivityMode.OFFLINE,
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("For an online activity: the platform.")
    )
    partners = models.CharField(_("partner organisations"), max_length=300, blank=True)
    person_times = models.PositiveIntegerField(
        _("person-times served"),
        validators=[MinValueValidator(1)],
        help_text=_("人次: every person attending counts once per activity."),
    )
    high_level_talents = models.PositiveIntegerField(
        _("of them high-level talents"),
        default=0,
        help_text=_("How many of the person-times were high-level talents."),
    )
    report = models.TextField(_("short report"), max_length=1000)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["station", "status", "date"]),
            # The lists in the default order (the admin's, staff's queue): the newest first
            # without sorting every activity of the district.
            models.Index(fields=["-date", "-id"], name="activity_newest_first"),
            # The dashboard's accepted activities and person-times per month of two years:
            # read from the index alone (assessments/dashboard.py).
            models.Index(
                fields=["date", "person_times"],
                condition=models.Q(status="accepted"),
                name="activity_accepted_by_date",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person_times__gt=0), name="activity_person_times_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(high_level_talents__lte=models.F("person_times")),
                name="activity_high_level_within_person_times",
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assessments:activity_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if (
            self.person_times is not None
            and self.high_level_talents is not None
            and self.high_level_talents > self.person_times
        ):
            errors["high_level_talents"] = _(
                "The high-level talents are part of the person-times: at most %(n)d."
            ) % {"n": self.person_times}
        if self.mode == ActivityMode.OFFLINE and not (self.place or "").strip():
            errors["place"] = _("Enter where the offline activity took place.")
        if errors:
            raise ValidationError(errors)


class ActivityFile(models.Model):
    """A photo or sign-in sheet of an activity; served only to who may see the activity."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        SIGN_IN = "sign_in", _("sign-in sheet")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="files", verbose_name=_("activity")
    )
    kind = models.CharField(_("kind of file"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=UploadTo("activities"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = user_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("activity file")
        verbose_name_plural = _("activity files")
        ordering = ["activity", "kind", "uploaded_at", "pk"]

    def __str__(self):
        return label_value(self.get_kind_display(), self.original_name)

    @property
    def entry(self):
        return self.activity


class ServiceRecord(ReviewedEntry):
    """A service that is not an event (a policy consultation, an agency service for a person
    or an employer), with its person-times."""

    VALUE_FIELDS = ("date", "kind", "served", "person_times", "note")

    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="service_records",
        verbose_name=_("station"),
    )
    date = models.DateField(_("date"), validators=[validate_not_in_future])
    kind = models.CharField(_("kind of service"), max_length=20, choices=ServiceKind.choices)
    served = models.CharField(
        _("who was served"),
        max_length=100,
        validators=[validate_no_id_number],
        help_text=_("A short description, e.g. “a returned PhD” or “an employer”; no ID numbers."),
    )
    person_times = models.PositiveIntegerField(
        _("person-times served"), default=1, validators=[MinValueValidator(1)]
    )
    note = models.TextField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["station", "status", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person_times__gt=0), name="service_person_times_positive"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("assessments:service_detail", args=[self.pk])
