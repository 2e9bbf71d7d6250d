"""The to-do items of station operations and the assessment (registered with
:mod:`talentstation.todos`):

- applicant: last month's activity log empty, a plan or summary due (or returned), the
  self-assessment of an open cycle to submit;
- expert (and any scorer): the assessments he scores in open cycles;
- staff: entries and reports waiting for acceptance, scorers late in an open cycle.
"""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from stations.models import Station
from stations.rules import unit_of
from talentstation.dates import today
from talentstation.todos import Severity, Todo

from . import scoring
from .models import Activity, Assessment, AssessmentCycle, SelfAssessment, ServiceRecord
from .models.reports import ReportKind, ReportSchedule, StationReport, expects_report

FIRST_ROWS = 5
# A plan or summary shows from this many days before its due date.
REPORT_LEAD_DAYS = 60


def last_month(day):
    """(first day, last day) of the calendar month before ``day``."""
    last = day.replace(day=1) - datetime.timedelta(days=1)
    return last.replace(day=1), last


def _activity_todos(stations, day):
    """The stations certified before the end of last month with nothing logged in it."""
    first, last = last_month(day)
    empty = [
        s
        for s in stations
        if not s.logged_last_month and (s.certified_on is None or s.certified_on <= last)
    ]
    return [
        Todo(
            _("No activity logged for %(month)s: %(station)s")
            % {"month": first.strftime("%Y-%m"), "station": station.name},
            _("Log the month's activities, or check that none were held."),
            reverse("assessments:station_operations", args=[station.pk]),
            severity=Severity.WARNING,
        )
        for station in empty
    ]


def _report_todos(stations, day):
    """This year's plan and summary and last year's summary, when the due date is near or
    past and the report is not filed yet (or was returned): three queries."""
    if not stations:
        return []
    schedules = list(ReportSchedule.objects.filter(year__in=(day.year - 1, day.year)))
    if not schedules:
        return []
    reports = {
        (r.station_id, r.year, r.kind): r
        for r in StationReport.objects.filter(
            station__in=stations, year__in=[s.year for s in schedules]
        ).only("pk", "station_id", "year", "kind", "status")
    }
    todos = []
    for schedule in schedules:
        for kind in ReportKind:
            due = schedule.due(kind)
            if due is None or (due - day).days > REPORT_LEAD_DAYS:
                continue
            if kind == ReportKind.PLAN and schedule.year < day.year:
                continue  # last year's plan: too late to plan that year
            for station in stations:
                report = reports.get((station.pk, schedule.year, kind.value))
                returned = report is not None and report.status == StationReport.Status.RETURNED
                filed = report is not None and report.status != StationReport.Status.DRAFT
                if (filed and not returned) or not expects_report(station, due):
                    continue
                title = (
                    _("Correct and resubmit the %(kind)s %(year)s: %(station)s")
                    if returned
                    else _("File the %(kind)s %(year)s: %(station)s")
                )
                todos.append(
                    Todo(
                        title
                        % {"kind": kind.label, "year": schedule.year, "station": station.name},
                        "",  # the due date is shown with every dated item
                        reverse(
                            "assessments:report_file", args=[station.pk, schedule.year, kind.value]
                        ),
                        due=due,
                        severity=Severity.WARNING if returned else Severity.INFO,
                    )
                )
    return todos


def _self_assessment_todos(unit):
    submitted = SelfAssessment.objects.filter(
        assessment=OuterRef("pk"), status=SelfAssessment.Status.SUBMITTED
    )
    assessments = (
        Assessment.objects.filter(
            station__host_unit=unit, cycle__status=AssessmentCycle.Status.OPEN
        )
        .exclude(Exists(submitted))
        .select_related("cycle", "station")
    )
    return [
        Todo(
            _("Submit the self-assessment: %(station)s") % {"station": a.station.name},
            str(a.cycle),
            reverse("assessments:self_assessment_edit", args=[a.pk]),
            due=a.cycle.self_assessment_due,
        )
        for a in assessments
    ]


def applicant_todos(user):
    unit = unit_of(user)
    if unit is None:
        return []
    day = today()
    first, last = last_month(day)
    logged = Activity.objects.filter(station=OuterRef("pk"), date__range=(first, last))
    stations = list(
        Station.objects.filter(host_unit=unit, status__in=Station.LIVE_STATES)
        .annotate(logged_last_month=Exists(logged))
        .order_by("name")
    )
    return [
        *_activity_todos(stations, day),
        *_report_todos(stations, day),
        *_self_assessment_todos(unit),
    ]


def scorer_todos(user):
    """The assessments the user scores in open cycles and has not finished."""
    rows = [
        row
        for row in scoring.sheets_of(user)
        if row.stage != scoring.SheetStage.DONE and row.assessment.cycle.is_open
    ]
    todos = []
    for row in rows[:FIRST_ROWS]:
        declare = row.stage == scoring.SheetStage.DECLARE
        title = (
            _("Declare any conflict of interest: %(station)s")
            if declare
            else _("Fill and submit the assessment score sheets: %(station)s")
        )
        todos.append(
            Todo(
                title % {"station": row.assessment.station.name},
                str(row.assessment.cycle),
                reverse(
                    "assessments:assessment_declare" if declare else "assessments:assessment_score",
                    args=[row.assessment.pk],
                ),
                due=row.due_date or row.assessment.cycle.scoring_closes,
                severity=Severity.WARNING if declare else Severity.INFO,
            )
        )
    if len(rows) > FIRST_ROWS:
        todos.append(
            Todo(
                _("More assessments to score"),
                _("All of them are on your assessment sheets page."),
                reverse("assessments:assessment_sheets"),
                count=len(rows) - FIRST_ROWS,
            )
        )
    return todos


def _group(title, queryset, url, detail="", severity=Severity.INFO, due=None):
    """One item for a whole list (its count), or none when it is empty: one query."""
    count = queryset.count()
    if not count:
        return []
    return [Todo(title, detail, url, due=due, severity=severity, count=count)]


def staff_todos(user):
    queue = reverse("assessments:queue")
    late = scoring.late_scorers(today())
    return [
        *_group(
            _("Activities waiting for acceptance"),
            Activity.objects.filter(status=Activity.Status.SUBMITTED),
            queue,
        ),
        *_group(
            _("Service records waiting for acceptance"),
            ServiceRecord.objects.filter(status=ServiceRecord.Status.SUBMITTED),
            f"{queue}?entry=service",
        ),
        *_group(
            _("Plans and summaries to accept"),
            StationReport.objects.filter(status=StationReport.Status.SUBMITTED),
            reverse("assessments:staff_reports"),
        ),
        *_group(
            _("Scorers late in an open assessment cycle"),
            late,
            reverse("assessments:cycle_board_current"),
            severity=Severity.DANGER,
        ),
    ]


def register():
    from stations.rules import is_unit_user
    from talentstation.rules import is_expert, is_staff
    from talentstation.todos import register_todo_source

    register_todo_source(applicant_todos, order=20, rule=is_unit_user)
    register_todo_source(scorer_todos, order=20, rule=is_expert)
    register_todo_source(staff_todos, order=20, rule=is_staff)
