"""Station records: the profile, talent referrals, plans and summaries (called by the views,
admin and the demo). Every state change runs through :func:`talentstation.workflow.perform`;
who may do what is asked of :mod:`assessments.rules`."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stations.models import Station
from talentstation.dates import today
from talentstation.rules import Refused, refuse_unless
from talentstation.workflow import perform

from . import rules
from .models import (
    ReportKind,
    ReportSchedule,
    StationProfile,
    StationReport,
    TalentReferral,
)
from .models.reports import annotate_reports, due_dates, expects_report, is_late, late_condition

SAVED_MEANWHILE = gettext_noop(
    "Someone of your unit saved it at the same moment. Open it again and check it."
)

# --- the profile ------------------------------------------------------------------------------


def profile_of(station):
    """The station's profile, or a new unsaved one starting from its application's values."""
    try:
        return station.profile
    except StationProfile.DoesNotExist:
        return StationProfile.initial_for(station)


def save_profile(form, *, by):
    """Save a valid profile form of the station's users (its history records who and when)."""
    profile = form.instance
    refuse_unless(rules.edit_station_records, by, profile.station)
    profile = form.save(commit=False)
    profile.updated_by, profile.updated_at = by, timezone.now()
    profile._history_user = by
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:  # a colleague created the profile at the same moment
        raise Refused(_(SAVED_MEANWHILE)) from None
    return profile


# --- talent referrals -------------------------------------------------------------------------


def save_referral(form, *, by):
    """Record a new referral, or save the station's changes to one. A referral staff have
    decided on goes back to them: its change is a transition (confirmed again or not)."""
    referral = form.instance
    refuse_unless(rules.record_referral, by, referral.station)
    with transaction.atomic():
        referral = form.save(commit=False)
        if referral.pk is None:
            referral.created_by = by
        referral.updated_by = by
        referral._history_user = by
        referral.save()
        if referral.status != TalentReferral.Status.RECORDED:
            perform(referral, "revise", by=by)
    return referral


def referrals_text(unit):
    """Annex 1's 推荐人员入选省市人才项目情况 from the unit's confirmed referrals, newest first,
    one line each (the prefill of a later application), in the portal's language whoever opens
    the application: Annex 1 is an official Chinese form."""
    with translation.override(settings.LANGUAGE_CODE):
        return _referral_lines(unit)


def _referral_lines(unit):
    referrals = (
        TalentReferral.objects.confirmed()
        .filter(station__host_unit=unit)
        .order_by("-year", "person_name", "pk")
    )
    lines = []
    for referral in referrals:
        lines.append(
            _("%(year)s: %(person)s (%(employer)s), %(programme)s (%(level)s) — %(outcome)s")
            % {
                "year": referral.year,
                "person": referral.person_name,
                "employer": referral.employer,
                "programme": referral.programme,
                "level": referral.get_level_display(),
                "outcome": referral.get_outcome_display(),
            }
        )
    return _join_within(lines, 500)


def _join_within(lines, limit):
    """The lines joined, as many whole lines as fit in ``limit`` characters, the rest counted."""
    kept = []
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        more = _("(and %(count)s more)") % {"count": rest} if rest else ""
        candidate = "\n".join([*kept, line, more]).strip()
        if len(candidate) > limit:
            more = _("(and %(count)s more)") % {"count": len(lines) - index}
            return "\n".join([*kept, more])
        kept.append(line)
    return "\n".join(kept)


# --- plans and summaries ----------------------------------------------------------------------


def report_years(station, *, on=None):
    """The years a station's list shows, newest first: the years with due dates set, the
    years it has filed for and the current one (from the year it was certified)."""
    current = (on or today()).year
    years = set(ReportSchedule.objects.values_list("year", flat=True))
    years |= set(station.reports.values_list("year", flat=True))
    years.add(current)
    first = station.certified_on.year if station.certified_on else min(years)
    return sorted((y for y in years if first <= y <= current + 1), reverse=True)


@dataclass(frozen=True)
class ReportRow:
    year: int
    kind: str
    label: str
    due: object
    report: StationReport | None
    late: bool


def station_report_rows(station, *, on=None):
    """One row per year and kind for the station's list: due date, report (or none), late."""
    years = report_years(station, on=on)
    dates = due_dates(years)
    reports = {(r.year, r.kind): r for r in station.reports.filter(year__in=years)}
    rows = []
    for year in years:
        for kind in ReportKind:
            due = dates.get((year, kind.value))
            report = reports.get((year, kind.value))
            filed = report.filed_on if report else None
            late = is_late(due, filed, expected=expects_report(station, due), on=on)
            rows.append(ReportRow(year, kind.value, kind.label, due, report, late))
    return rows


def report_for(station, year, kind):
    """The station's report of ``year`` and ``kind``, or a new unsaved one."""
    report = station.reports.filter(year=year, kind=kind).first()
    return report or StationReport(station=station, year=year, kind=kind)


def save_report(form, *, by, submit=False):
    """Save the station's plan or summary; with ``submit``, hand it in (through the workflow).
    Saved also when the submission is refused (the refusal is raised after the save)."""
    report = form.instance
    refuse_unless(rules.file_report, by, report.station)
    if report.pk is not None and not report.editable_by_station:
        raise Refused(_("It has been submitted and can no longer be changed."))
    report = form.save(commit=False)
    report.updated_by, report.updated_at = by, timezone.now()
    report._history_user = by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise Refused(_(SAVED_MEANWHILE)) from None
    if submit:
        perform(report, "submit", by=by)
    return report


# --- the district lists of staff and officials ------------------------------------------------


def district_stations():
    """The stations the district list shows: every live station."""
    return Station.objects.filter(status__in=Station.LIVE_STATES).select_related("host_unit")


@dataclass(frozen=True)
class KindColumn:
    kind: str
    label: str
    due: object  # the due date, or None when staff have not set it
    late_count: int


@dataclass(frozen=True)
class DistrictReports:
    year: int
    columns: list  # KindColumn of the kinds shown
    page: object  # of stations annotated with their reports, each with its ``report_cells``


def district_reports(year, *, kind=None, late=None, page=1, per_page=50, on=None):
    """The district's plans and summaries of ``year``: a page of live stations with, per
    kind, their report and whether it is late (filters: ``kind``, ``late`` True/False). The
    lateness is computed in the database, so the query count does not grow with the list."""
    on = on or today()
    dates = {k: d for (_year, k), d in due_dates([year]).items()}
    stations = annotate_reports(district_stations(), year).order_by("name", "pk")
    kinds = [kind] if kind else [k.value for k in ReportKind]
    late_q = {k: late_condition(k, dates.get(k), on) for k in ReportKind.values}
    columns = [
        KindColumn(k, ReportKind(k).label, dates.get(k), stations.filter(late_q[k]).count())
        for k in kinds
    ]
    if late is not None:
        condition = late_q[kinds[0]]
        for other in kinds[1:]:
            condition |= late_q[other]
        stations = stations.filter(condition) if late else stations.exclude(condition)
    paged = Paginator(stations, per_page).get_page(page)
    for station in paged:
        station.report_cells = [_cell(station, k, dates.get(k), on) for k in kinds]
    return DistrictReports(year, columns, paged)


@dataclass(frozen=True)
class ReportCell:
    kind: str
    label: str
    report_id: int | None
    status: str
    status_label: str
    filed_on: object
    late: bool


def _cell(station, kind, due, on):
    status = getattr(station, f"{kind}_status")
    filed = getattr(station, f"{kind}_filed")
    return ReportCell(
        kind=kind,
        label=ReportKind(kind).label,
        report_id=getattr(station, f"{kind}_id"),
        status=status or "",
        status_label=StationReport.Status(status).label if status else _("not filed"),
        filed_on=filed,
        late=is_late(due, filed, expected=expects_report(station, due), on=on),
    )
