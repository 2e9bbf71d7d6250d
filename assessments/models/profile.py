"""The station profile: venue, team and rules in place (Art. 6–8; Annex 2 场地配备, 人员配备,
制度建设), kept with its history so the profile as it was on any date can be read."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talentstation.dates import end_of_day
from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo


class RuleState(models.TextChoices):
    COMPLETE = "complete", _("complete")
    INCOMPLETE = "incomplete", _("incomplete")
    NONE = "none", _("none")


# The four rules of Annex 2 制度建设: (field prefix, label).
RULES = (
    ("asset_rules", _("asset management rules")),
    ("attendance_rules", _("attendance rules")),
    ("fund_rules", _("fund use rules")),
    ("event_rules", _("event rules")),
)
RULE_FIELDS = tuple(name for name, _label in RULES)

IN_PLACE = (RuleState.COMPLETE, RuleState.INCOMPLETE)

# What :meth:`StationProfile.measures` returns for a station without a profile.
NO_MEASURES = {
    "display_area": 0,
    "management_team": 0,
    "service_staff": 0,
    "rules_complete": 0,
    "rules_in_place": 0,
}


def _rule_state(label):
    return models.CharField(label, max_length=12, choices=RuleState.choices, default=RuleState.NONE)


def _rule_document(label):
    return models.FileField(label, upload_to=UploadTo("station_rules"), max_length=200, blank=True)


def measures_of(profile) -> dict:
    """The Annex 2 measures of a profile (or of one of its historical records)."""
    states = [getattr(profile, name) for name in RULE_FIELDS]
    return {
        "display_area": int(bool(profile.has_display_area and profile.has_publicity_area)),
        "management_team": int(bool(profile.has_management_team)),
        "service_staff": (profile.full_time_staff or 0) + (profile.part_time_staff or 0),
        "rules_complete": sum(state == RuleState.COMPLETE for state in states),
        "rules_in_place": sum(state in IN_PLACE for state in states),
    }


class StationProfile(models.Model):
    """One station's venue, team and rules in place, edited by the station's users."""

    station = models.OneToOneField(
        "stations.Station",
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("station"),
    )
    # Venue
    area_m2 = models.DecimalField(
        _("floor area (m²)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    has_display_area = models.BooleanField(_("has a project display area"), default=False)
    has_publicity_area = models.BooleanField(_("has a policy publicity area"), default=False)
    hands_out_leaflets = models.BooleanField(_("hands out policy leaflets"), default=False)
    equipment = models.TextField(
        _("equipment"),
        max_length=500,
        blank=True,
        help_text=_("Network, multimedia, projection and other equipment of the venue."),
    )
    # Team
    manager_name = models.CharField(_("station manager"), max_length=100, blank=True)
    manager_contact = models.CharField(
        _("manager's contact"),
        max_length=100,
        blank=True,
        help_text=_("Mobile number or e-mail address."),
    )
    has_management_team = models.BooleanField(
        _("has a management team able to plan events and serve talents"), default=False
    )
    full_time_staff = models.PositiveSmallIntegerField(
        _("full-time service staff"), default=0, validators=[MaxValueValidator(999)]
    )
    part_time_staff = models.PositiveSmallIntegerField(
        _("part-time service staff"), default=0, validators=[MaxValueValidator(999)]
    )
    # Rules in place (Annex 2 制度建设), each with its document.
    asset_rules = _rule_state(_("asset management rules"))
    asset_rules_document = _rule_document(_("asset management rules (document)"))
    attendance_rules = _rule_state(_("attendance rules"))
    attendance_rules_document = _rule_document(_("attendance rules (document)"))
    fund_rules = _rule_state(_("fund use rules"))
    fund_rules_document = _rule_document(_("fund use rules (document)"))
    event_rules = _rule_state(_("event rules"))
    event_rules_document = _rule_document(_("event rules (document)"))

    updated_at = models.DateTimeField(_("last edited at"), default=timezone.now)
    updated_by = recorded_by(_("last edited by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("station profile")
        verbose_name_plural = _("station profiles")
        ordering = ["station__name"]

    def __str__(self):
        return str(self.station)

    @classmethod
    def initial_for(cls, station):
        """A new, unsaved profile of ``station`` starting from what its application gave."""
        return cls(station=station, area_m2=station.area_m2)

    def clean(self):
        errors = {}
        for name, label in RULES:
            state = getattr(self, name)
            if state in IN_PLACE and not getattr(self, f"{name}_document"):
                errors[f"{name}_document"] = _(
                    "Attach the document of the %(rule)s (rules that are in place, complete "
                    "or not, are shown with their text)."
                ) % {"rule": label}
        if errors:
            raise ValidationError(errors)

    def rules(self):
        """(label, state label, document) of the four rules, in the sheet's order."""
        return [
            (
                label,
                getattr(self, f"get_{name}_display")(),
                name,
                getattr(self, f"{name}_document"),
            )
            for name, label in RULES
        ]

    def measures(self) -> dict:
        """What the Annex 2 tier conditions of venue, staffing and rules read: ``display_area``
        (1 when both the project display and the policy-publicity area exist, else 0),
        ``management_team`` (1/0), ``service_staff`` (full- plus part-time), ``rules_complete``
        (0–4) and ``rules_in_place`` (0–4, complete or incomplete)."""
        return measures_of(self)


def profile_measures_as_of(station_ids, date) -> dict:
    """{station id: measures} of the profiles as they were at the end of ``date`` (Shanghai;
    a datetime is taken as it is), read from the history in one query. Stations that had no
    profile then (or whose profile was deleted) get all zeros."""
    moment = date if isinstance(date, datetime.datetime) else end_of_day(date)
    station_ids = list(station_ids)
    History = StationProfile.history.model
    latest = (
        History.objects.filter(station_id=OuterRef("station_id"), history_date__lte=moment)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    records = History.objects.filter(
        station_id__in=station_ids, history_date__lte=moment, history_id=Subquery(latest)
    )
    result = {pk: dict(NO_MEASURES) for pk in station_ids}
    for record in records:
        if record.history_type != "-":
            result[record.station_id] = measures_of(record)
    return result
