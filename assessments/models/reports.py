"""Work plans and work summaries (Art. 12(6)): each station files one of each per year, by the
due dates bureau staff set per year; late ones are shown as late wherever they are listed."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from talentstation.conditions import condition
from talentstation.dates import SHANGHAI, today
from talentstation.models.fields import recorded_by
from talentstation.uploads import UploadTo

from .. import rules


class ReportKind(models.TextChoices):
    PLAN = "plan", _("work plan")
    SUMMARY = "summary", _("work summary")


class ReportSchedule(models.Model):
    """The due dates of one year's work plans and work summaries (set by bureau staff)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    plan_due = models.DateField(
        _("work plan due"), help_text=_("The last day on which the year's work plan is on time.")
    )
    summary_due = models.DateField(
        _("work summary due"),
        help_text=_("The last day on which the year's work summary is on time (often next year)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("due dates of plans and summaries")
        verbose_name_plural = _("due dates of plans and summaries")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s: plan due %(plan)s, summary due %(summary)s") % {
            "year": self.year,
            "plan": self.plan_due.isoformat(),
            "summary": self.summary_due.isoformat(),
        }

    def clean(self):
        if self.plan_due and self.summary_due and self.summary_due < self.plan_due:
            raise ValidationError(
                {"summary_due": _("The summary cannot be due before the plan of the same year.")}
            )

    def due(self, kind):
        return self.plan_due if kind == ReportKind.PLAN else self.summary_due


def due_dates(years):
    """{(year, kind): due date} of the given years (one query)."""
    dates = {}
    for schedule in ReportSchedule.objects.filter(year__in=list(years)):
        for kind in ReportKind:
            dates[(schedule.year, kind.value)] = schedule.due(kind)
    return dates


def is_late(due, filed_on, *, expected=True, on=None):
    """Whether a report due on ``due`` is late: filed after that day, or not filed once it
    has passed (only when the station was ``expected`` to file it). No due date: never."""
    if due is None:
        return False
    if filed_on is not None:
        return filed_on > due
    return expected and (on or today()) > due


def expects_report(station, due):
    """A station files a year's report when it was certified by its due date (a station
    certified before the portal, without a date, too)."""
    return station.certified_on is None or due is None or station.certified_on <= due


def late_condition(prefix, due, on):
    """A Q over stations annotated with ``<prefix>_filed`` (the filing date of their report
    or null): late by :func:`is_late`, for filtering lists in the database."""
    if due is None:
        return Q(pk__in=[])
    filed = f"{prefix}_filed"
    unfiled_late = (
        Q(**{f"{filed}__isnull": True}) & (Q(certified_on__isnull=True) | Q(certified_on__lte=due))
        if on > due
        else Q(pk__in=[])
    )
    # Null-safe for exclude(): a station without a report compares as "not filed late".
    return Q(**{f"{filed}__isnull": False, f"{filed}__gt": due}) | unfiled_late


def annotate_reports(stations, year):
    """Stations with, per kind, their report of ``year``: ``<kind>_id``, ``<kind>_status``
    and ``<kind>_filed`` (the date it was first filed, Shanghai), null when there is none."""
    annotations = {}
    for kind in ReportKind:
        reports = StationReport.objects.filter(station=OuterRef("pk"), year=year, kind=kind)
        annotations[f"{kind}_id"] = Subquery(reports.values("pk")[:1])
        annotations[f"{kind}_status"] = Subquery(reports.values("status")[:1])
        annotations[f"{kind}_filed"] = Subquery(reports.values("filed_on")[:1])
    return stations.annotate(**annotations)


@condition(_("Write the text or attach the document first."), summary=_("text or document"))
def has_content(report):
    return bool(report.text.strip() or report.document)


class StationReport(ConcurrentTransitionMixin, models.Model):
    """A station's work plan or work summary of one year (text and/or a document)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned for correction")

    STATE_CHOICES = Status
    TRANSITION_LABELS = {
        "submit": _("submit"),
        "accept": _("accept"),
        "return_report": _("return for correction"),
    }

    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("station"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    text = models.TextField(_("text"), max_length=10000, blank=True)
    document = models.FileField(
        _("document"), upload_to=UploadTo("station_reports"), max_length=200, blank=True
    )
    status = FSMField(_("status"), choices=Status.choices, default=Status.DRAFT, protected=True)
    # The day it was first filed (Shanghai): what lateness is judged by; a resubmission after
    # a return keeps it.
    filed_on = models.DateField(_("filed on"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last edited at"), default=timezone.now, editable=False)
    updated_by = recorded_by(_("last edited by"))

    history = HistoricalRecords(excluded_fields=["document"])

    class Meta:
        verbose_name = _("plan or summary")
        verbose_name_plural = _("plans and summaries")
        ordering = ["-year", "kind", "station__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "kind"], name="one_report_per_station_year_kind"
            )
        ]
        indexes = [models.Index(fields=["year", "kind"])]

    def __str__(self):
        return _("%(station)s: %(kind)s %(year)s") % {
            "station": self.station,
            "kind": self.get_kind_display(),
            "year": self.year,
        }

    @property
    def editable_by_station(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def due_date(self):
        schedule = ReportSchedule.objects.filter(year=self.year).first()
        return schedule.due(self.kind) if schedule else None

    def is_late(self, due=None):
        due = due if due is not None else self.due_date()
        return is_late(due, self.filed_on, expected=expects_report(self.station, due))

    def notify_transition(self, log):
        """Tell the station's users what happened to their plan or summary."""
        from django.urls import reverse

        from talentstation.notifications import notify_transition

        notify_transition(
            self.station.host_unit.users(),
            subject=_("%(report)s: %(state)s") % {"report": self, "state": log.to_label},
            log=log,
            link=reverse("assessments:report_detail", args=[self.pk]),
        )

    @transition(
        field=status,
        source=[Status.DRAFT, Status.RETURNED],
        target=Status.SUBMITTED,
        permission=rules.file_report,
        conditions=[has_content],
        custom={"label": TRANSITION_LABELS["submit"]},
    )
    def submit(self, *, by, reason=""):
        self.submitted_at = timezone.now()
        if self.filed_on is None:
            self.filed_on = self.submitted_at.astimezone(SHANGHAI).date()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.ACCEPTED,
        permission=rules.decide_station_records,
        custom={"label": TRANSITION_LABELS["accept"]},
    )
    def accept(self, *, by, reason=""):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=rules.decide_station_records,
        custom={"label": TRANSITION_LABELS["return_report"], "reason_required": True},
    )
    def return_report(self, *, by, reason=""):
        pass
