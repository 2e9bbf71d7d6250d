from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation import credit_code
from talentstation.models.users import validate_mainland_mobile
from talentstation.workflow import condition

from ..permissions import staff_only, unit_member
from .stations import StationType


@condition(_("The call for applications is not open."))
def call_is_open(application):
    return application.call.is_open()


@condition(
    _("The unit's credit code is unconfirmed; bureau staff must confirm it before submission.")
)
def unit_code_settled(application):
    return not application.host_unit.code_unconfirmed


class Application(ConcurrentTransitionMixin, models.Model):
    """One unit's application in one call: the Annex 1 form 「福州高新区“人才驿站”建站申报表」.

    The application is the snapshot of Annex 1 as submitted; the Station's own fields are copied
    from it at certification (:meth:`copy_to_station`).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "submit": _("submit"),
        "return_for_correction": _("return for correction"),
        "resubmit": _("resubmit"),
    }
    # Annex 1 rows, in the official order (used by forms, admin and the PDF).
    ANNEX1_FIELDS = [
        "station_name",
        "station_type",
        "leader_name",
        "leader_mobile",
        "leader_email",
        "relies_on_host",
        "host_institution_name",
        "host_institution_credit_code",
        "address",
        "built_on",
        "area_m2",
        "staffing",
        "rules_and_hardware",
        "activities",
        "talent_recommendations",
    ]

    call = models.ForeignKey(
        "stations.Call",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("call for applications"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("station"),
    )
    host_unit = models.ForeignKey(
        "stations.HostUnit",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applying unit"),
    )
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)

    # Annex 1
    station_name = models.CharField(_("station name"), max_length=200, blank=True)
    station_type = models.CharField(
        _("station type"), max_length=20, choices=StationType.choices, blank=True
    )
    leader_name = models.CharField(_("person in charge"), max_length=100, blank=True)
    leader_mobile = models.CharField(
        _("mobile number"), max_length=11, blank=True, validators=[validate_mainland_mobile]
    )
    leader_email = models.EmailField(_("e-mail"), blank=True)
    relies_on_host = models.BooleanField(
        _("built relying on a host institution"),
        null=True,
        blank=True,
        help_text=_("是否依托建站. If not, the applying unit itself is the institution."),
    )
    host_institution_name = models.CharField(
        _("host institution name"), max_length=200, blank=True
    )
    host_institution_credit_code = models.CharField(
        _("host institution's unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code.validate_credit_code],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    built_on = models.DateField(_("date built"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    staffing = models.TextField(_("staffing"), blank=True)
    rules_and_hardware = models.TextField(_("rules and hardware"), blank=True)
    activities = models.TextField(_("activities held and their effect"), blank=True)
    talent_recommendations = models.TextField(
        _("people recommended into provincial or municipal talent programmes"), blank=True
    )
    # 高新区人才办意见: recorded by staff in the certification workflow.
    office_opinion = models.TextField(_("talent office opinion"), blank=True)
    office_opinion_date = models.DateField(_("talent office opinion date"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "host_unit"], name="one_application_per_unit_per_call"
            )
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return _("%(station)s — %(call)s") % {
            "station": self.station_name or self.station.name,
            "call": self.call,
        }

    def save(self, *args, **kwargs):
        self.host_institution_credit_code = credit_code.normalize(
            self.host_institution_credit_code
        )
        if self.relies_on_host is False:
            # When not built relying on another institution, the unit itself fills that row.
            self.host_institution_name = self.host_unit.name
            self.host_institution_credit_code = self.host_unit.credit_code
        super().save(*args, **kwargs)
        station = self.station
        if station.status == station.Status.APPLYING and station.certified_on is None and (
            station.name != self.station_name or station.station_type != self.station_type
        ):
            # A station that was never certified is known by the name its application gives.
            station.name, station.station_type = self.station_name, self.station_type
            station.save(update_fields=["name", "station_type"])

    def clean(self):
        if self.relies_on_host and self.host_institution_credit_code:
            code = credit_code.normalize(self.host_institution_credit_code)
            if code == self.host_unit.credit_code:
                raise ValidationError(
                    {
                        "host_institution_credit_code": _(
                            "A host institution is another organisation than the applying "
                            "unit; answer “no” to the relying question instead."
                        )
                    }
                )

    @property
    def editable_by_unit(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def copy_to_station(self, station):
        """Copy the Annex 1 snapshot into the Station's own fields (at certification)."""
        station.name = self.station_name or station.name
        station.station_type = self.station_type or station.station_type
        station.address = self.address
        station.built_on = self.built_on
        station.area_m2 = self.area_m2

    @transition(
        field=status,
        source=[Status.DRAFT],
        target=Status.SUBMITTED,
        permission=unit_member,
        conditions=[call_is_open, unit_code_settled],
        custom={"label": TRANSITION_LABELS["submit"]},
    )
    def submit(self, *, by, reason=""):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=[Status.RETURNED],
        target=Status.SUBMITTED,
        permission=unit_member,
        conditions=[unit_code_settled],
        custom={"label": TRANSITION_LABELS["resubmit"]},
    )
    def resubmit(self, *, by, reason=""):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=staff_only,
        custom={"label": TRANSITION_LABELS["return_for_correction"], "reason_required": True},
    )
    def return_for_correction(self, *, by, reason=""):
        pass
