"""The deadlines of station operations and the assessment for ``manage.py send_reminders``
(talentstation.reminders):

- ``plan_due`` / ``summary_due``: a year's work plan or work summary is due (ReportSchedule)
  → the users of each live station expected to file it that has not filed it yet;
- ``self_assessment_due``: the self-assessment of an open cycle is due → the station's users,
  unless it is submitted;
- ``scoring_due``: a scorer's sheets of an assessment are due (his assignment's due date, or the
  cycle's scoring close) → the scorer, unless he submitted every counted year.
"""

from django.db.models import DateField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.models import Station
from stations.reminder_sources import unit_users
from talentstation.reminders import Deadline, due_range, register_deadline_source

from .models import Assessment, AssessmentCycle, ReportKind, ReportSchedule, StationReport
from .models.reports import expects_report

PLAN_DUE = "plan_due"
SUMMARY_DUE = "summary_due"
SELF_ASSESSMENT_DUE = "self_assessment_due"
SCORING_DUE = "scoring_due"
REPORT_KINDS = {ReportKind.PLAN: PLAN_DUE, ReportKind.SUMMARY: SUMMARY_DUE}


def _live_stations():
    return (
        Station.objects.certified()
        .select_related("host_unit")
        .prefetch_related("host_unit__members__user")
        .order_by("pk")
    )


def _report_deadlines(report_kind, on):
    kind = REPORT_KINDS[report_kind]
    dates = due_range(kind, on)
    if dates is None:
        return
    due_field = "plan_due" if report_kind == ReportKind.PLAN else "summary_due"
    for schedule in ReportSchedule.objects.filter(**{f"{due_field}__range": dates}):
        due = schedule.due(report_kind)
        filed = StationReport.objects.filter(
            year=schedule.year, kind=report_kind, filed_on__isnull=False
        ).values("station_id")
        stations = _live_stations().exclude(pk__in=filed)
        for station in stations:
            if not expects_report(station, due):
                continue
            values = {
                "kind": ReportKind(report_kind).label,
                "year": schedule.year,
                "station": station.name,
                "due": due.isoformat(),
            }
            if due < on:
                subject = _("The %(kind)s %(year)s of %(station)s was due on %(due)s") % values
            else:
                subject = _("The %(kind)s %(year)s of %(station)s is due on %(due)s") % values
            yield Deadline(
                kind=kind,
                recipients=unit_users(station.host_unit),
                obj=station,
                due=due,
                subject=subject,
                body=_("Write it or attach the document and submit it on the station's page."),
                link=reverse("assessments:station_reports", args=[station.pk]),
                station=station,
            )


def plan_due_deadlines(on):
    return _report_deadlines(ReportKind.PLAN, on)


def summary_due_deadlines(on):
    return _report_deadlines(ReportKind.SUMMARY, on)


def self_assessment_due_deadlines(on):
    dates = due_range(SELF_ASSESSMENT_DUE, on)
    if dates is None:
        return
    assessments = (
        Assessment.objects.filter(
            cycle__status=AssessmentCycle.Status.OPEN, cycle__self_assessment_due__range=dates
        )
        .exclude(Q(self_assessment__status="submitted"))
        .select_related("cycle", "station__host_unit")
        .prefetch_related("station__host_unit__members__user")
        .order_by("pk")
    )
    for assessment in assessments:
        due = assessment.cycle.self_assessment_due
        values = {"station": assessment.station.name, "cycle": assessment.cycle, "due": due}
        if due < on:
            subject = _("The self-assessment of %(station)s (%(cycle)s) was due on %(due)s")
        else:
            subject = _("The self-assessment of %(station)s (%(cycle)s) is due on %(due)s")
        yield Deadline(
            kind=SELF_ASSESSMENT_DUE,
            recipients=unit_users(assessment.station.host_unit),
            obj=assessment,
            due=due,
            subject=subject % values,
            body=_("Fill in what the station claims for each item and submit it."),
            link=reverse("assessments:self_assessment_detail", args=[assessment.pk]),
            station=assessment.station,
        )


def scoring_due_deadlines(on):
    from .scoring import unsubmitted_scorers

    dates = due_range(SCORING_DUE, on)
    if dates is None:
        return
    closes = Assessment.objects.filter(pk=OuterRef("object_id")).values("cycle__scoring_closes")
    assignments = (
        unsubmitted_scorers()
        .annotate(due=Coalesce("due_date", Subquery(closes[:1]), output_field=DateField()))
        .filter(due__range=dates)
        .select_related("scorer")
        .order_by("pk")
    )
    names = dict(
        Assessment.objects.filter(pk__in=[a.object_id for a in assignments]).values_list(
            "pk", "station__name"
        )
    )
    for assignment in assignments:
        values = {"station": names.get(assignment.object_id, ""), "due": assignment.due}
        if assignment.due < on:
            subject = _("Your scores of %(station)s were due on %(due)s") % values
        else:
            subject = _("Your scores of %(station)s are due on %(due)s") % values
        yield Deadline(
            kind=SCORING_DUE,
            recipients=[assignment.scorer],
            obj=assignment,
            due=assignment.due,
            subject=subject,
            body=_("Score each counted year of the station and submit your sheets."),
            link=reverse("assessments:assessment_score", args=[assignment.object_id]),
        )


def register():
    register_deadline_source(PLAN_DUE, plan_due_deadlines, label=gettext_lazy("work plan due"))
    register_deadline_source(
        SUMMARY_DUE, summary_due_deadlines, label=gettext_lazy("work summary due")
    )
    register_deadline_source(
        SELF_ASSESSMENT_DUE,
        self_assessment_due_deadlines,
        label=gettext_lazy("self-assessment due"),
    )
    register_deadline_source(
        SCORING_DUE, scoring_due_deadlines, label=gettext_lazy("scoring of an assessment due")
    )
