from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.dates import validate_not_in_future

from .. import rules


@condition(
    _("Only a station entering the portal by the legacy import can be imported."),
    summary=_("a new station of the legacy import"),
)
def is_new_record(station):
    return station.pk is None


class StationType(models.TextChoices):
    """The four types of Art. 5."""

    INDUSTRY = "industry", _("industry (sector) station")
    ENTREPRENEURSHIP = "entrepreneurship", _("entrepreneurship station")
    SERVICE = "service", _("service station")
    COMPREHENSIVE = "comprehensive", _("comprehensive station")


class PlaqueSequence(models.Model):
    """The running number of plaques per year; its row is locked while a number is issued."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("plaque number sequence")
        verbose_name_plural = _("plaque number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


def next_plaque_number(year, *, policy=None):
    """The next free plaque number of ``year`` after the pattern of the policy settings.

    Runs inside the caller's transaction; the year's sequence row is locked, so two
    publications at once get different numbers, and numbers already held by a station
    (e.g. imported legacy plaques) are skipped, so no number is ever issued twice.
    """
    from django.db import IntegrityError, transaction

    from talentstation.models import PolicyVersion

    pattern = (policy or PolicyVersion.current()).plaque_number_pattern
    try:
        with transaction.atomic():
            PlaqueSequence.objects.get_or_create(year=year)
    except IntegrityError:
        pass  # created by a concurrent transaction meanwhile
    sequence = PlaqueSequence.objects.select_for_update().get(year=year)
    while True:
        sequence.last += 1
        candidate = pattern.format(year=year, seq=sequence.last)
        if not Station.objects.filter(plaque_number=candidate).exists():
            sequence.save(update_fields=["last"])
            return candidate


class StationQuerySet(models.QuerySet):
    def certified(self):
        return self.filter(status__in=Station.LIVE_STATES)


class Station(ConcurrentTransitionMixin, models.Model):
    """人才驿站: the one object every app points at.

    Created with its first application (status *applying*); its fields are copied from the
    application at certification. Status changes only through the transitions below.
    """

    class Status(models.TextChoices):
        APPLYING = "applying", _("applying")
        NOT_SELECTED = "not_selected", _("not selected")
        CERTIFIED = "certified", _("certified")
        RECTIFYING = "rectifying", _("under rectification")
        REVOKED = "revoked", _("revoked")

    STATE_CHOICES = Status
    # A live station holds a valid plaque (a station under rectification still does, until it
    # is revoked).
    LIVE_STATES = (Status.CERTIFIED, Status.RECTIFYING)
    IMPORTED_STATES = (Status.CERTIFIED, Status.RECTIFYING, Status.REVOKED)
    TRANSITION_LABELS = {
        "import_legacy": _("imported from the records kept before the portal"),
        "certify": _("certify"),
        "not_select": _("not selected"),
        "reapply": _("apply again"),
        "start_rectification": _("order rectification"),
        "end_rectification": _("rectification accepted"),
        "revoke": _("revoke the plaque"),
    }

    name = models.CharField(_("station name"), max_length=200)
    station_type = models.CharField(_("station type"), max_length=20, choices=StationType.choices)
    host_unit = models.ForeignKey(
        "stations.HostUnit",
        on_delete=models.PROTECT,
        related_name="stations",
        verbose_name=_("host unit"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    built_on = models.DateField(
        _("date built"), null=True, blank=True, validators=[validate_not_in_future]
    )
    area_m2 = models.DecimalField(
        _("floor area (m²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    status = FSMField(_("status"), choices=Status.choices, default=Status.APPLYING, protected=True)
    certified_on = models.DateField(
        _("certified on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    plaque_number = models.CharField(
        _("plaque number"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("牌匾编号: issued once, never reused (imported numbers are reserved)."),
    )
    revoked_on = models.DateField(
        _("revoked on"),
        null=True,
        blank=True,
        help_text=_("The date of the revocation notice (the reason is in the history)."),
    )
    # Bureau staff may pause the deadline reminders of a station (talentstation.reminders).
    reminders_paused = models.BooleanField(
        _("reminders paused"),
        default=False,
        help_text=_("No deadline reminders go to the station's users while this is set."),
    )
    reminders_paused_reason = models.CharField(
        _("why reminders are paused"), max_length=500, blank=True
    )
    reminders_paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("reminders paused by"),
    )
    reminders_paused_at = models.DateTimeField(
        _("reminders paused at"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()
    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["name"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["station_type"])]

    def __str__(self):
        return self.name or str(_("(unnamed station)"))

    def clean(self):
        super().clean()
        if self.reminders_paused and not self.reminders_paused_reason.strip():
            raise ValidationError(
                {"reminders_paused_reason": _("Say why the reminders are paused.")}
            )

    @property
    def is_live(self):
        """Its plaque is valid: certified, or under rectification and not yet revoked."""
        return self.status in self.LIVE_STATES

    @property
    def under_rectification(self):
        return self.status == self.Status.RECTIFYING

    # The transitions that tell the unit through this notice; certification and "not
    # selected" reach it through the application that caused them.
    NOTIFIED_TRANSITIONS = ("start_rectification", "end_rectification", "revoke")

    def notify_transition(self, log):
        """Tell the unit's users what happened to their station (rectification, revocation)."""
        if log.transition not in self.NOTIFIED_TRANSITIONS:
            return
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.host_unit.users(),
            subject=_("Station %(name)s: %(change)s")
            % {"name": self.name, "change": log.transition_label},
            log=log,
            link=reverse("stations:station_detail", args=[self.pk]),
        )

    @transition(
        field=status,
        source=Status.APPLYING,
        target=RETURN_VALUE(*IMPORTED_STATES),
        permission=rules.is_staff,
        conditions=[is_new_record],
        custom={"label": TRANSITION_LABELS["import_legacy"], "reason_required": True},
    )
    def import_legacy(self, *, by, reason="", status):
        """A station certified before the portal enters it in the status its records give
        (run on the new, unsaved station by the legacy import)."""
        return status

    @transition(
        field=status,
        source=Status.APPLYING,
        target=Status.CERTIFIED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["certify"]},
    )
    def certify(self, *, by, reason="", application=None, on=None):
        from talentstation.dates import today

        if application is not None:
            application.copy_to_station(self)
        self.certified_on = on or today()
        if not self.plaque_number:
            policy = application.call.policy_version if application else None
            self.plaque_number = next_plaque_number(self.certified_on.year, policy=policy)

    @transition(
        field=status,
        source=Status.APPLYING,
        target=Status.NOT_SELECTED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["not_select"], "reason_required": True},
    )
    def not_select(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=Status.NOT_SELECTED,
        target=Status.APPLYING,
        permission=rules.is_unit_member,
        custom={"label": TRANSITION_LABELS["reapply"]},
    )
    def reapply(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=Status.CERTIFIED,
        target=Status.RECTIFYING,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["start_rectification"], "reason_required": True},
    )
    def start_rectification(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=Status.RECTIFYING,
        target=Status.CERTIFIED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["end_rectification"]},
    )
    def end_rectification(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=[Status.CERTIFIED, Status.RECTIFYING],
        target=Status.REVOKED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["revoke"], "reason_required": True},
    )
    def revoke(self, *, by, reason="", on=None):
        """Not rectified in time, or another serious reason (Art. 14): the plaque is revoked
        as of ``on``, the date of the revocation notice (default today). The station leaves
        the directory; it returns only by a new application, as a new station."""
        from talentstation.dates import today

        self.revoked_on = on or today()
