"""The station records of the demo district (a step of ``manage.py load_demo``, order 20):
for every live station a profile, talent referrals, last year's work summary and this year's
work plan, from fixtures/demo_records.yaml, entered through the portal's forms and services
and decided by bureau staff through the workflow, on the dates it would have happened."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from stations.demo import demo_file
from stations.models import Station
from talentstation import fixtures
from talentstation.dates import SHANGHAI
from talentstation.models import Notification
from talentstation.notifications import mark_read
from talentstation.workflow import perform

from . import records
from .forms.records import ProfileForm, ReferralForm, ReportForm
from .models import ReportKind, ReportSchedule, TalentReferral
from .models.profile import RULES

ONE_DAY = datetime.timedelta(days=1)


def load_records(district):
    data = fixtures.load("demo_records.yaml")
    stations = list(
        Station.objects.filter(status__in=Station.LIVE_STATES)
        .select_related("host_unit")
        .order_by("name", "pk")
    )
    if not stations:
        return
    demo = _Records(district, data)
    seen = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    demo.schedules()
    for index, station in enumerate(stations):
        demo.station(index, station)
    for spec in data["referrals"]:
        if spec["station"] < len(stations):
            demo.referral(stations[spec["station"]], spec)
    demo.read_notices(Notification.objects.filter(pk__gt=seen))


def _pdf(name, *lines):
    return SimpleUploadedFile(name, demo_file("pdf", *lines))


def _valid(form):
    if not form.is_valid():  # pragma: no cover - a mistake in the data file
        raise ValueError(f"demo station records not valid: {form.errors.as_json()}")
    return form


class _Records:
    def __init__(self, district, data):
        self.district, self.data = district, data
        self.today = district.today
        self.year = district.year

    def before_today(self, day, *, by=1):
        """``day``, or ``by`` days ago when it is not that far in the past yet."""
        return min(day, self.today - by * ONE_DAY)

    def due(self, key, year):
        month, day = self.data["schedule"][key]
        return datetime.date(year, month, day)

    def schedules(self):
        previous, current = self.year - 1, self.year
        self.previous = ReportSchedule.objects.create(
            year=previous,
            plan_due=self.due("plan_due", previous),
            summary_due=self.before_today(self.due("summary_due", current), by=3),
        )
        self.current = ReportSchedule.objects.create(
            year=current,
            plan_due=self.before_today(self.due("plan_due", current), by=5),
            summary_due=self.due("summary_due", current + 1),
        )

    def user_of(self, station):
        return self.district.admin_of(station.host_unit)

    def start_of(self, station):
        return station.certified_on or self.today - 120 * ONE_DAY

    def station(self, index, station):
        self.profile(station, self.data["profiles"][index % len(self.data["profiles"])])
        self.summary(station)
        self.plan(station, late=index == self.data["late_plan"])

    def profile(self, station, spec):
        user = self.user_of(station)
        values = {key: value for key, value in spec.items() if key != "rules"}
        data = {key: ("on" if value is True else value) for key, value in values.items()}
        data = {key: value for key, value in data.items() if value is not False}
        files = {}
        for name, label in RULES:
            data[name] = spec["rules"][name]
            if spec["rules"][name] != "none":
                files[f"{name}_document"] = _pdf(f"{label}.pdf", str(label), station.name)
        with self.district.at(self.before_today(self.start_of(station) + 7 * ONE_DAY), 15):
            form = ProfileForm(data, files, instance=records.profile_of(station))
            records.save_profile(_valid(form), by=user)

    def report(self, station, year, kind, text, filed_on):
        user = self.user_of(station)
        with self.district.at(filed_on, 16, 30):
            report = records.report_for(station, year, kind)
            form = ReportForm({"text": self.district.text(text)}, {}, instance=report)
            return records.save_report(_valid(form), by=user, submit=True)

    def summary(self, station):
        due = self.previous.summary_due
        filed = max(due - 5 * ONE_DAY, self.start_of(station) + ONE_DAY)
        report = self.report(
            station, self.year - 1, ReportKind.SUMMARY, self.data["summary_text"], filed
        )
        with self.district.at(self.before_today(filed + 3 * ONE_DAY), 10):
            perform(report, "accept", by=self.district.staff)

    def plan(self, station, *, late):
        due = self.current.plan_due
        if late:
            filed = self.before_today(due + 4 * ONE_DAY)
        else:
            filed = max(due - 10 * ONE_DAY, self.start_of(station) + ONE_DAY)
        report = self.report(station, self.year, ReportKind.PLAN, self.data["plan_text"], filed)
        if not late:
            with self.district.at(self.before_today(filed + 6 * ONE_DAY), 10):
                perform(report, "accept", by=self.district.staff)

    def read_notices(self, notices):
        """The station's users read the notices of these events the day after (those of
        yesterday stay unread)."""
        for notice in notices:
            day = notice.created_at.astimezone(SHANGHAI).date() + ONE_DAY
            if day < self.today:
                with self.district.at(day, 8, 45):
                    mark_read(notice)

    def referral(self, station, spec):
        year = int(self.district.text(spec["year"]))
        recorded = max(self.start_of(station) + 20 * ONE_DAY, datetime.date(year, 1, 1))
        if recorded >= self.today:
            return  # a referral of this year, on New Year's Day: nothing to show yet
        data = {
            key: self.district.text(spec[key])
            for key in ("person_name", "employer", "level", "programme", "year", "outcome")
        }
        with self.district.at(recorded, 11):
            form = ReferralForm(data, {}, instance=TalentReferral(station=station))
            referral = records.save_referral(_valid(form), by=self.user_of(station))
        decision = spec.get("decision")
        if decision:
            with self.district.at(self.before_today(recorded + 5 * ONE_DAY), 9, 30):
                perform(referral, decision, by=self.district.staff, reason=spec.get("reason", ""))
