"""Demo step (registered in assessments/apps.py, order 10): the operation log of every live
station over two calendar years (last year and this year up to the day the demo is loaded),
from fixtures/demo_operations.yaml.

Each station's users log an activity about every four weeks and a service record about every
two (from a week after the certification, at most back to 1 January of last year, so the
dashboard's "this year against last" is filled); bureau staff review each entry three days
later: most are accepted, some rejected with a reason (then corrected and resubmitted by the
station, and accepted), one is corrected by staff with a reason, and the last few wait in the
acceptance queue. The station under rectification logs little: it is
behind the minimums. Everything runs through the services on its own date
(``district.at``), so histories and notices read as in a real year.
"""

import datetime

from stations.demo import upload
from stations.models import Station
from talentstation import fixtures

from . import operations

ONE_DAY = datetime.timedelta(days=1)


def load_operations(district):
    data = fixtures.load("demo_operations.yaml")
    stations = Station.objects.certified().select_related("host_unit").order_by("pk")
    for index, station in enumerate(stations):
        keeper = (
            station.host_unit.members.select_related("user")
            .filter(user__is_active=True)
            .order_by("-is_admin", "pk")
            .first()
        )
        if keeper is not None:
            StationLog(district, data, station, keeper.user, index).run()


class StationLog:
    def __init__(self, district, data, station, user, index):
        self.district, self.data, self.station, self.user = district, data, station, user
        self.index = index
        self.behind = station.under_rectification
        self.today = district.today

    def dates(self, every):
        """The days an entry is logged on: every ``every`` days up to yesterday, from the
        start of last year (so the dashboard sets this year against a full last year)."""
        first = datetime.date(self.today.year - 1, 1, 1)
        certified = self.station.certified_on or first
        day = max(certified + 7 * ONE_DAY, first) + (self.index * 3) * ONE_DAY
        while day < self.today:
            yield day
            day += every * ONE_DAY

    def run(self):
        prefix = "behind_" if self.behind else ""
        plan = [
            (day, number, self.log_activity)
            for number, day in enumerate(self.dates(self.data[f"{prefix}activity_every"]))
        ]
        plan += [
            (day, number, self.log_service)
            for number, day in enumerate(self.dates(self.data[f"{prefix}service_every"]))
        ]
        for day, number, log in sorted(plan, key=lambda item: item[0]):
            with self.district.at(day, 17, 30):
                entry = log(day, number)
            self.review(entry, day, number)

    def log_activity(self, day, number):
        specs = self.data["activities"]
        spec = specs[(number + self.index) % len(specs)]
        person_times = spec["person_times"] + (number % 3) * 2
        if self.behind:
            person_times = max(3, person_times // 4)
        values = {
            "date": day,
            "title": f"{spec['title']}（{day.month}月）",
            "kind": spec["kind"],
            "mode": spec.get("mode", "offline"),
            "place": spec["place"],
            "partners": spec.get("partners", ""),
            "person_times": person_times,
            "high_level_talents": min(spec["high_level_talents"], person_times),
            "report": spec["report"],
        }
        photo = upload("png", "活动照片.png", "活动照片", values["title"], self.station.name)
        sheets = []
        if not self.rejected(number):
            sheets = [upload("pdf", "签到表.pdf", "活动签到表", values["title"], self.station.name)]
        return operations.log_activity(
            self.station, values, by=self.user, photos=[photo], sign_in_sheets=sheets
        )

    def log_service(self, day, number):
        specs = self.data["services"]
        spec = specs[(number + self.index) % len(specs)]
        values = {**spec, "date": day}
        return operations.log_service(self.station, values, by=self.user)

    def rejected(self, number):
        return number % 6 == 4

    def review(self, entry, day, number):
        """Staff review a few days later; what falls on or after today waits in the queue."""
        staff = self.district.staff
        day += self.data["review_after_days"] * ONE_DAY
        if day >= self.today:
            return
        if not self.rejected(number):
            with self.district.at(day, 10, 15):
                operations.accept(entry, by=staff)
            if number == 2 and self.index == 0 and hasattr(entry, "files"):
                self.correct(entry, day + ONE_DAY)
            return
        reasons = self.data["rejection_reasons"]
        with self.district.at(day, 10, 15):
            operations.reject(entry, by=staff, reason=reasons[number % len(reasons)])
        day += 2 * ONE_DAY
        if day >= self.today:
            return
        with self.district.at(day, 9, 40):
            sheets = []
            if hasattr(entry, "files"):
                sheets = [upload("pdf", "签到表.pdf", "活动签到表（补交）", self.station.name)]
            note = {"note": self.data["resubmit_note"]} if not sheets else {}
            operations.edit(entry, {**note}, by=self.user, sign_in_sheets=sheets)
        day += 2 * ONE_DAY
        if day < self.today:
            with self.district.at(day, 10, 30):
                operations.accept(entry, by=staff)

    def correct(self, activity, day):
        if day >= self.today:
            return
        spec = self.data["correction"]
        corrected = activity.person_times - spec["person_times_less"]
        if corrected < max(1, activity.high_level_talents):
            return
        with self.district.at(day, 11):
            operations.correct(
                activity,
                {"person_times": corrected},
                by=self.district.staff,
                reason=spec["reason"],
            )
