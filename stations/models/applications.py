import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation import credit_code
from talentstation.dates import validate_not_in_future
from talentstation.i18n import label_value
from talentstation.models.fields import recorded_by
from talentstation.models.users import validate_mainland_mobile
from talentstation.numbering import save_with_next_number
from talentstation.uploads import UploadTo

from .. import rules
from ..workflow import (
    call_is_open,
    is_complete,
    review_complete,
    stamped_scan_if_required,
    unit_code_settled,
    unit_verified,
)
from .stations import StationType


class Application(ConcurrentTransitionMixin, models.Model):
    """One unit's application in one call: the Annex 1 form 「福州高新区“人才驿站”建站申报表」.

    The application is the snapshot of Annex 1 as submitted; the Station's own fields are copied
    from it at certification (:meth:`copy_to_station`).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        REJECTED = "rejected", _("rejected at the formal check")
        ACCEPTED = "accepted", _("in expert review")
        SHORTLISTED = "shortlisted", _("shortlisted")
        NOT_SELECTED = "not_selected", _("not selected")
        APPROVED = "approved", _("approved by the leadership group")
        IN_PUBLICITY = "in_publicity", _("under publicity")
        CERTIFIED = "certified", _("certified")

    STATE_CHOICES = Status
    # States in which the unit still may act, and the end states.
    UNIT_EDITABLE = (Status.DRAFT, Status.RETURNED)
    TRANSITION_LABELS = {
        "submit": _("submit"),
        "return_for_correction": _("return for correction"),
        "resubmit": _("resubmit"),
        "accept": _("accept for expert review"),
        "reject": _("reject at the formal check"),
        "shortlist": _("select into the shortlist"),
        "not_select": _("not selected"),
        "approve": _("record the leadership group's approval"),
        "start_publicity": _("put under publicity"),
        "certify": _("certify"),
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
    number = models.CharField(_("application number"), max_length=20, unique=True, editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    # Optimistic locking of the form: bumped by every save of the unit's edits.
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    # What was typed but is not valid yet (e.g. a malformed date), kept so nothing is lost.
    draft_data = models.JSONField(_("unsaved input"), default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)
    updated_by = recorded_by(_("last edited by"))
    created_by = recorded_by(_("created by"), editable=True)
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
    host_institution_name = models.CharField(_("host institution name"), max_length=200, blank=True)
    host_institution_credit_code = models.CharField(
        _("host institution's unified social credit code"),
        max_length=18,
        blank=True,
        validators=[credit_code.validate_credit_code],
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
    # Maximum lengths that keep the printed Annex 1 readable (with ordinary content it is one A4
    # page); staffing is the narrow cell beside the floor area.
    staffing = models.TextField(_("staffing"), max_length=200, blank=True)
    rules_and_hardware = models.TextField(_("rules and hardware"), max_length=600, blank=True)
    activities = models.TextField(
        _("activities held and their effect"), max_length=1000, blank=True
    )
    talent_recommendations = models.TextField(
        _("people recommended into provincial or municipal talent programmes"),
        max_length=500,
        blank=True,
    )
    # 高新区人才办意见: recorded by staff in the certification workflow.
    decision_meeting = models.ForeignKey(
        "stations.LeadershipMeeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_applications",
        verbose_name=_("leadership group meeting"),
    )
    office_opinion = models.TextField(_("talent office opinion"), max_length=300, blank=True)
    office_opinion_date = models.DateField(
        _("talent office opinion date"), null=True, blank=True, validators=[validate_not_in_future]
    )

    # The experts on its panel (the core's scorer assignments, with this application as their
    # subject): ``application.review_assignments``, ``ScorerAssignment.objects.filter(
    # application__call=…)``.
    review_assignments = GenericRelation(
        "talentstation.ScorerAssignment", related_query_name="application"
    )

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

    def normalize(self):
        """Derived Annex 1 values, applied before every save."""
        self.host_institution_credit_code = credit_code.normalize(self.host_institution_credit_code)
        if self.relies_on_host is False:
            # When not built relying on another institution, the unit itself fills that row.
            self.host_institution_name = self.host_unit.name
            self.host_institution_credit_code = self.host_unit.credit_code

    def save(self, *args, **kwargs):
        self.normalize()
        if self._state.adding and not self.number:
            save_with_next_number(
                self, self._assign_number, lambda: super(Application, self).save(*args, **kwargs)
            )
        else:
            super().save(*args, **kwargs)
        station = self.station
        if (
            station.status == station.Status.APPLYING
            and station.certified_on is None
            and (station.name != self.station_name or station.station_type != self.station_type)
        ):
            # A station that was never certified is known by the name its application gives.
            station.name, station.station_type = self.station_name, self.station_type
            station.save(update_fields=["name", "station_type"])

    def _assign_number(self):
        """申报编号: the call's year and a running number, e.g. 2026-0007."""
        prefix = f"{self.call.year}-"
        last = Application.objects.filter(number__startswith=prefix).aggregate(
            last=models.Max("number")
        )["last"]
        self.number = f"{prefix}{int(last.removeprefix(prefix)) + 1 if last else 1:04d}"

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

    # Annex 1 rows that must be filled before submission (the recommendations row may be empty).
    REQUIRED_FIELDS = [
        f
        for f in ANNEX1_FIELDS
        if f
        not in ("talent_recommendations", "host_institution_name", "host_institution_credit_code")
    ]

    def incomplete_items(self):
        """Labels of the Annex 1 rows that stop submission: empty, or typed but not valid."""
        required = list(self.REQUIRED_FIELDS)
        if self.relies_on_host:
            required += ["host_institution_name", "host_institution_credit_code"]
        missing = []
        for name in self.ANNEX1_FIELDS:
            value = getattr(self, name)
            if name in self.draft_data or (name in required and value in (None, "")):
                missing.append(self._meta.get_field(name).verbose_name)
        return missing

    @property
    def stamped_scan(self):
        """The current stamped scan of Annex 1, or None (voided by every later edit)."""
        scans = [a for a in self.attachments.all() if a.kind == a.Kind.STAMPED_SCAN]
        return scans[-1] if scans else None

    def annex1_values(self):
        """The Annex 1 rows as JSON-ready values (for revision snapshots and diffs)."""
        data = {}
        for name in self.ANNEX1_FIELDS:
            value = getattr(self, name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                value = f"{Decimal(str(value)):.2f}"  # 260 and 260.00 are the same area
            data[name] = value
        return data

    @property
    def editable_by_unit(self):
        return self.status in self.UNIT_EDITABLE

    @property
    def accepts_experts(self):
        """Experts are assigned while the application is in expert review."""
        return self.status == self.Status.ACCEPTED

    # As the subject of scorer assignments (talentstation.assignments): experts review it
    # while it is in expert review; none affiliated with the unit or its host institution.
    SCORER_RULE = rules.is_expert.refusing(_("Only experts review applications."))

    def assignment_blocker(self):
        if not self.accepts_experts:
            return _("Experts can only be assigned to applications accepted for expert review.")
        return None

    def conflict_credit_codes(self):
        return {self.host_unit.credit_code, self.host_institution_credit_code}

    def assignment_notice(self, assignment):
        from django.urls import reverse

        due = assignment.due_date
        body = _(
            "Bureau staff ask you to review application %(number)s (%(unit)s). Declare that "
            "you have no conflict of interest, visit the station and fill in your score sheet"
            "%(due)s."
        ) % {
            "number": self.number,
            "unit": self.host_unit.name,
            "due": _(" by %(date)s") % {"date": due} if due else "",
        }
        return (
            _("New review: application %(number)s") % {"number": self.number},
            body,
            reverse("stations:expert_assignment", args=[assignment.pk]),
        )

    @property
    def awaits_leadership_decision(self):
        return self.status == self.Status.SHORTLISTED

    @property
    def submit_transition(self):
        """The transition that hands the unit's form in: the first submission, or the
        resubmission of a form returned for correction."""
        return "resubmit" if self.status == self.Status.RETURNED else "submit"

    def score_sheet_blocker(self, sheet):
        """Why ``sheet`` (an expert's review sheet of this application) cannot be submitted
        yet, or None: the expert must have recorded his on-site visit (Art. 10(2) 实地考察)."""
        assignment = self.review_assignments.filter(scorer_id=sheet.scorer_id).first()
        if assignment is not None and assignment.visit_date is None:
            return _("Record the on-site visit (date and notes) before submitting the score sheet.")
        return None

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
        permission=rules.is_unit_member,
        conditions=[call_is_open, unit_code_settled, is_complete, stamped_scan_if_required],
        custom={"label": TRANSITION_LABELS["submit"]},
    )
    def submit(self, *, by, reason=""):
        self._record_submission(by)

    @transition(
        field=status,
        source=[Status.RETURNED],
        target=Status.SUBMITTED,
        permission=rules.is_unit_member,
        conditions=[unit_code_settled, is_complete, stamped_scan_if_required],
        custom={"label": TRANSITION_LABELS["resubmit"]},
    )
    def resubmit(self, *, by, reason=""):
        self._record_submission(by)

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["return_for_correction"], "reason_required": True},
    )
    def return_for_correction(self, *, by, reason=""):
        # The unit's corrections form the next revision.
        self.revision += 1

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.ACCEPTED,
        permission=rules.is_staff,
        conditions=[unit_verified],
        custom={"label": TRANSITION_LABELS["accept"]},
    )
    def accept(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["reject"], "reason_required": True},
    )
    def reject(self, *, by, reason=""):
        self._station_not_selected(by, reason)

    @transition(
        field=status,
        source=Status.ACCEPTED,
        target=Status.SHORTLISTED,
        permission=rules.is_staff,
        conditions=[review_complete],
        custom={"label": TRANSITION_LABELS["shortlist"]},
    )
    def shortlist(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=[Status.ACCEPTED, Status.SHORTLISTED, Status.APPROVED, Status.IN_PUBLICITY],
        target=Status.NOT_SELECTED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["not_select"], "reason_required": True},
    )
    def not_select(self, *, by, reason=""):
        self._station_not_selected(by, reason)

    @transition(
        field=status,
        source=Status.SHORTLISTED,
        target=Status.APPROVED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["approve"]},
    )
    def approve(self, *, by, reason="", meeting=None):
        from talentstation.rules import Refused

        if meeting is None:
            raise Refused(_("Choose the leadership group meeting that approved the application."))
        self.decision_meeting = meeting

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.IN_PUBLICITY,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["start_publicity"]},
    )
    def start_publicity(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=Status.IN_PUBLICITY,
        target=Status.CERTIFIED,
        permission=rules.is_staff,
        custom={"label": TRANSITION_LABELS["certify"]},
    )
    def certify(self, *, by, reason="", on=None):
        """Publication: the station is certified from this application and gets its plaque."""
        from talentstation.workflow import perform

        perform(self.station, "certify", by=by, reason=reason, application=self, on=on)

    def notify_transition(self, log):
        """Tell the unit's users what happened to their application."""
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.host_unit.users(),
            subject=_("Application %(number)s: %(state)s")
            % {"number": self.number, "state": log.to_label},
            log=log,
            link=reverse("stations:application_detail", args=[self.pk]),
        )

    def _station_not_selected(self, by, reason):
        from talentstation.workflow import perform

        if self.station.status == self.station.Status.APPLYING:
            perform(self.station, "not_select", by=by, reason=reason)

    def _record_submission(self, by):
        self.submitted_at = timezone.now()
        SubmittedRevision.objects.create(
            application=self,
            revision=self.revision,
            data=self.annex1_values(),
            submitted_at=self.submitted_at,
            submitted_by=by,
        )


class SubmittedRevision(models.Model):
    """The Annex 1 content as submitted, one per submission (revision), for staff to compare."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("application"),
    )
    revision = models.PositiveIntegerField(_("revision"))
    data = models.JSONField(_("Annex 1 content"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        verbose_name = _("submitted revision")
        verbose_name_plural = _("submitted revisions")
        ordering = ["application", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "revision"], name="one_snapshot_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.application.number} r{self.revision}"


class Attachment(models.Model):
    """A file attached to an application: venue photos, rules, activity records, the stamped
    scan of Annex 1… Stored outside the public path; served only through access-checked views."""

    class Kind(models.TextChoices):
        VENUE_PHOTO = "venue_photo", _("venue photos")
        RULES = "rules", _("rules and regulations")
        ACTIVITY_RECORD = "activity_record", _("activity records")
        BUSINESS_LICENCE = "business_licence", _("business licence")
        OTHER = "other", _("other material")
        STAMPED_SCAN = "stamped_scan", _("stamped scan of Annex 1")

    # Personal files: only bureau staff and the unit itself may download them.
    PERSONAL_KINDS = (Kind.BUSINESS_LICENCE,)

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind of material"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=UploadTo("applications"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    revision = models.PositiveIntegerField(_("revision"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["file"])

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "uploaded_at", "pk"]

    def __str__(self):
        return label_value(self.get_kind_display(), self.original_name)
