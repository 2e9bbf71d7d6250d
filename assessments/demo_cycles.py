"""Demo step (registered in assessments/apps.py, order 30): the assessment cycles of the demo
district, from fixtures/demo_cycles.yaml, relative to the year Y the demo is loaded in.

- Five stations certified before the portal enter it through the legacy import in January of
  Y-3 (``Station.import_legacy``), with their host units (registered and verified first) and
  their profiles; from then on they log activities and service records (staff review them, as
  in the operations step) and file their yearly reports.
- A **closed cycle (Y-3)–(Y-2)**: opened in March of Y-3, self-assessments filed and the five
  stations scored by the demo expert and 郑雪梅 in early Y-1 (one override with its reason),
  closed in March of Y-1; the weak station is below the pass mark.
- An **open cycle (Y-1)–Y** around today, with the legacy stations and those certified in Y-1:
  self-assessments filed (one late, one still a draft), scorers assigned (one overdue), some
  sheets submitted (one override), the demo expert with sheets to declare and fill.

Everything runs through the services and ``perform`` on its own date (``district.at``).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Max

from stations.models import Station
from talentstation import fixtures
from talentstation.assignments import declare_no_conflict
from talentstation.dates import SHANGHAI
from talentstation.models import Notification, PolicyVersion
from talentstation.workflow import perform

from . import cycles, scoring
from .demo_operations import StationLog
from .demo_records import _Records
from .models import AssessmentCycle, ReportSchedule

ONE_DAY = datetime.timedelta(days=1)


def load_cycles(district):
    DemoCycles(district, fixtures.load("demo_cycles.yaml")).run()


class _LegacyRecords(_Records):
    """The records step's helpers, for stations that entered the portal on ``joined``."""

    def __init__(self, district, data, joined):
        super().__init__(district, data)
        self.joined = joined
        self.previous = ReportSchedule.objects.filter(year=self.year - 1).first()
        self.current = ReportSchedule.objects.filter(year=self.year).first()

    def start_of(self, station):
        return self.joined


class _LegacyLog(StationLog):
    """The operations step's log of one station, from ``start`` (not only the last year)."""

    def __init__(self, district, data, station, user, index, *, start, weak):
        super().__init__(district, data, station, user, index)
        self.start, self.behind = start, weak

    def dates(self, every):
        day = self.start + self.index * 3 * ONE_DAY
        while day < self.today:
            yield day
            day += every * ONE_DAY


class DemoCycles:
    def __init__(self, district, data):
        self.district, self.data = district, data
        self.today, self.year = district.today, district.year
        self.staff = district.staff
        self.users = district.users
        self.imported = datetime.date(self.year - 3, 1, 20)
        self.legacy = []  # the imported stations, in the order of the data file

    def run(self):
        seen = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.people_since_the_import()
        self.import_legacy_stations()
        records = _LegacyRecords(self.district, fixtures.load("demo_records.yaml"), self.imported)
        self.records(records)
        self.log_operations()
        self.closed_cycle()
        self.open_cycle()
        records.read_notices(Notification.objects.filter(pk__gt=seen))

    # The legacy stations

    def people_since_the_import(self):
        """Bureau staff and the experts have used the portal since before the import."""
        since = datetime.datetime(self.year - 3, 1, 4, 9, tzinfo=SHANGHAI)
        names = ["staff", *self.data["closed_cycle"]["scorers"], "wu.guoping"]
        get_user_model().objects.filter(username__in=names).update(date_joined=since)

    def import_legacy_stations(self):
        self.district.data["units"].extend(self.data["units"])  # registered like the others
        pattern = PolicyVersion.current().plaque_number_pattern
        for spec in self.data["stations"]:
            unit = self.district.unit(spec["unit"], before=self.imported)
            years_ago, month, day = spec["certified"]
            certified_on = datetime.date(self.year - years_ago, month, day)
            station = Station(
                name=spec["name"],
                station_type=spec["type"],
                host_unit=unit,
                address=spec["address"],
                certified_on=certified_on,
                plaque_number=pattern.format(year=certified_on.year, seq=spec["plaque"]),
            )
            with self.district.at(self.imported, 15):
                perform(
                    station,
                    "import_legacy",
                    by=self.staff,
                    reason=self.data["import_reason"],
                    status=Station.Status.CERTIFIED,
                )
            self.legacy.append(station)

    def user_of(self, station):
        return self.district.admin_of(station.host_unit)

    def records(self, records):
        for spec, station in zip(self.data["stations"], self.legacy, strict=True):
            records.profile(station, self.data["profiles"][spec["profile"]])
            if records.previous is not None:
                records.summary(station)
            if records.current is not None:
                records.plan(station, late=False)

    def log_operations(self):
        log = self.data["log"]
        data = {
            **fixtures.load("demo_operations.yaml"),
            "activity_every": log["activity_every"],
            "service_every": log["service_every"],
            "behind_activity_every": log["weak_activity_every"],
            "behind_service_every": log["weak_service_every"],
        }
        start = self.imported + 12 * ONE_DAY
        for index, (spec, station) in enumerate(
            zip(self.data["stations"], self.legacy, strict=True)
        ):
            weak = spec.get("weak", False)
            user = self.user_of(station)
            _LegacyLog(self.district, data, station, user, index, start=start, weak=weak).run()

    # Cycles

    def create_cycle(self, first_year, on, **dates):
        with self.district.at(on - 2 * ONE_DAY, 16):
            cycle = AssessmentCycle(first_year=first_year, created_by=self.staff, **dates)
            cycle.full_clean(exclude=["status"])
            cycle.save()
        with self.district.at(on, 9, 30):
            perform(cycle, "open", by=self.staff)
        cycle.refresh_from_db()
        return cycle

    def assessment(self, cycle, station):
        return cycle.assessments.select_related("station__host_unit", "cycle__rubric").get(
            station=station
        )

    def file_self_assessment(self, assessment, day, *, submit=True):
        """The station's administrator claims the tiers the evidence of its last counted year
        proposes, writes the summary and (unless told not to) submits."""
        spec = self.data["self_assessment"]
        user = self.user_of(assessment.station)
        with self.district.at(day, 15, 20):
            years = scoring.counted_years(assessment)
            measures = scoring.evidence([assessment.station_id], years[-1].year)
            proposed = scoring.propose(assessment.cycle.rubric, measures[assessment.station_id])
            claims = {
                item.pk: (tier.pk if tier else None, spec["explanation"])
                for item in assessment.cycle.rubric.items.all()
                for tier in [proposed.get(item.pk)]
            }
            self_assessment = cycles.save_self_assessment(
                cycles.self_assessment_of(assessment),
                by=user,
                summary=spec["summary"],
                claims=claims,
            )
            if submit:
                cycles.submit_self_assessment(self_assessment, by=user)

    def assign(self, assessment, scorer, day, *, due=None, declare=True):
        with self.district.at(day, 10):
            assignment = cycles.assign(assessment, scorer, by=self.staff, due=due)
        if declare:
            with self.district.at(day + ONE_DAY, 9, 10):
                declare_no_conflict(assignment, by=scorer)
        return assignment

    def score(self, assessment, scorer, day, *, overrides=None, submit=True):
        """``scorer`` takes the proposed tiers, except ``overrides`` (``{(year, item title):
        (points or None for another tier, reason)}``), and submits unless told not to."""
        overrides = overrides or {}
        with self.district.at(day, 14, 30):
            choices = {}
            for row in scoring.scoring_page(assessment, scorer):
                for item_row in row.items:
                    tier = item_row.proposed or item_row.tiers[0]
                    reason = ""
                    if (key := (row.year.year, item_row.item.title)) in overrides:
                        points, reason = overrides[key]
                        tier = _other_tier(item_row.tiers, tier, points)
                    choices[(row.year.year, item_row.item.pk)] = (tier.pk, reason)
            scoring.save_scores(assessment, scorer, choices)
            if submit:
                scoring.submit_scores(assessment, scorer)

    def closed_cycle(self):
        spec = self.data["closed_cycle"]
        first = self.year - 3

        def day(key):
            years, month, dom = spec[key]
            return datetime.date(first + years, month, dom)

        cycle = self.create_cycle(
            first,
            day("opened"),
            self_assessment_due=day("self_assessment_due"),
            scoring_opens=day("scoring_opens"),
            scoring_closes=day("scoring_closes"),
            result_date=day("result_date"),
        )
        due, opens = day("self_assessment_due"), day("scoring_opens")
        scorers = [self.users[name] for name in spec["scorers"]]
        override = spec["override"]
        for index, station in enumerate(self.legacy):
            assessment = self.assessment(cycle, station)
            late = index == len(self.legacy) - 1
            self.file_self_assessment(assessment, due + (3 if late else -4 + index) * ONE_DAY)
            for position, scorer in enumerate(scorers):
                self.assign(assessment, scorer, opens)
                overrides = {}
                if index == override["station"] and scorer.username == override["scorer"]:
                    overrides[(first + 1, override["item"])] = (
                        override["points"],
                        override["reason"],
                    )
                sheet_day = opens + (12 + 5 * position + index) * ONE_DAY
                self.score(assessment, scorer, sheet_day, overrides=overrides)
        with self.district.at(day("closed"), 10):
            perform(cycle, "close", by=self.staff)
        self.closed = cycle

    def live_station(self, unit_key):
        unit = self.district.units.get(unit_key)
        if unit is None:
            return None
        return unit.stations.filter(status__in=Station.LIVE_STATES).first()

    def open_cycle(self):
        spec = self.data["open_cycle"]

        def ago(key):
            return self.today - spec[key] * ONE_DAY

        first = self.year - 1
        latest = Station.objects.filter(certified_on__year=first).aggregate(Max("certified_on"))
        certified = latest["certified_on__max"]
        opened = max(ago("opened"), certified + 7 * ONE_DAY if certified else ago("opened"))
        opens = max(ago("scoring_opens"), opened + ONE_DAY)
        cycle = self.create_cycle(
            first,
            opened,
            inclusion_date=datetime.date(first, 12, 31),
            self_assessment_due=ago("self_assessment_due"),
            scoring_opens=opens,
            scoring_closes=ago("scoring_closes"),
            result_date=ago("result_date"),
        )
        due = cycle.self_assessment_due
        # The first three legacy stations take part in the open cycle's demo scoring; the
        # others wait for their scorers.
        complete, partial, weak = (self.assessment(cycle, s) for s in self.legacy[:3])
        applicant = self.live_station("minguang")
        behind = self.live_station("haixia")
        rongcai, qishan = self.live_station("rongcai"), self.live_station("qishan")
        # Self-assessments: on time, late, a draft; the weak and the behind ones file nothing.
        self.file_self_assessment(complete, due - 6 * ONE_DAY)
        self.file_self_assessment(partial, due - 4 * ONE_DAY)
        if applicant:
            self.file_self_assessment(self.assessment(cycle, applicant), due - 3 * ONE_DAY)
        if rongcai:
            self.file_self_assessment(self.assessment(cycle, rongcai), self.today - 2 * ONE_DAY)
        if qishan:
            draft_day = due - 8 * ONE_DAY
            self.file_self_assessment(self.assessment(cycle, qishan), draft_day, submit=False)
        # Scoring: the demo expert, 吴国平 and a member of staff.
        expert, wu = self.users["expert"], self.users["wu.guoping"]
        override = self.data["override_open"]
        self.assign(complete, expert, opens)
        self.assign(complete, wu, opens)
        year = self.year
        self.score(complete, expert, opens + 5 * ONE_DAY)
        self.score(
            complete,
            wu,
            opens + 7 * ONE_DAY,
            overrides={(year, override["item"]): (None, override["reason"])},
        )
        self.assign(partial, wu, opens)
        self.score(partial, wu, opens + 8 * ONE_DAY)
        self.assign(partial, expert, opens + 2 * ONE_DAY)
        self.score(partial, expert, opens + 9 * ONE_DAY, submit=False)  # a draft to finish
        if behind:
            overdue = self.today - spec["late_due"] * ONE_DAY
            self.assign(self.assessment(cycle, behind), wu, opens, due=overdue)
        if qishan:
            self.assign(self.assessment(cycle, qishan), wu, opens, declare=False)
        if rongcai:
            assessment = self.assessment(cycle, rongcai)
            self.assign(assessment, self.staff, opens + ONE_DAY)
            self.score(assessment, self.staff, opens + 6 * ONE_DAY)
            self.assign(assessment, expert, opens + 3 * ONE_DAY, declare=False)
        if applicant:
            self.assign(
                self.assessment(cycle, applicant), expert, opens + 3 * ONE_DAY, declare=False
            )
        self.open = cycle


def _other_tier(tiers, proposed, points):
    """The tier with ``points``; for None the next one below the proposal (or above it)."""
    if points is not None:
        return next(t for t in tiers if t.points == points)
    index = next(i for i, t in enumerate(tiers) if t.pk == proposed.pk)
    return tiers[index + 1] if index + 1 < len(tiers) else tiers[index - 1]
