"""The demo district of ``manage.py load_demo``: fixtures/demo.yaml taken through the real
workflow — the services of the apps and :func:`talentstation.workflow.perform`, never a state
set directly — on the dates the events would have happened. The clock is moved with
time-machine while each event runs, so logs, notices, submission times and the history pages
read as in a real year.

The timeline is counted back from the day the data are loaded (``today``):

- last year's call (Q3 of last year): applications from August, formal check and expert review
  in September, the shortlist in October, the leadership group's meeting at the end of October,
  publicity in November, publication with plaques in mid-November; one station is put under
  rectification since; one application was not selected.
- this year's call, open around today (Q3 when today is far enough into it, else from 35 days
  ago with the recorded reason): every other stage at once, from a publicity that started
  3 days ago down to a draft begun this week.

All of it runs in one transaction: a district is loaded completely or not at all, and a
database that has it already is left as it is.
"""

import datetime
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from talentstation import assignments as scorer_assignments
from talentstation import credit_code, fixtures
from talentstation.calendar import CalendarIncomplete
from talentstation.dates import SHANGHAI
from talentstation.demo_steps import demo_steps
from talentstation.forms_publicity import ObjectionForm
from talentstation.models import ExpertAffiliation, Notification, Publicity
from talentstation.models.scoring import ScoreSheetTemplate
from talentstation.notifications import mark_read
from talentstation.publicity import conclude as conclude_publicity
from talentstation.publicity import start as start_publicity
from talentstation.roles import Role, grant_role
from talentstation.rules import Refused
from talentstation.scoring import save_entries, sheet_for, submit_sheet
from talentstation.workflow import perform

from . import publication, services
from .forms import ApplicationForm
from .models import (
    Application,
    Attachment,
    Call,
    HostUnit,
    LeadershipMeeting,
    Station,
    UnitMember,
)

DEMO_PASSWORD = "Demo-2026-pass"  # noqa: S105 - printed for the demo logins, DEBUG only
ONE_DAY = datetime.timedelta(days=1)

# This year's call: when each stage's events happened, in days before today.
# fmt: off
CURRENT_SCHEDULE = {
    "in_publicity": {"start": 34, "submit": 32, "accept": 30, "visit": 27, "sheet": 25,
                     "shortlist": 21},
    "approved": {"start": 33, "submit": 31, "accept": 29, "visit": 26, "sheet": 24,
                 "shortlist": 20},
    "shortlisted": {"start": 28, "submit": 25, "accept": 22, "visit": 16, "sheet": 12,
                    "shortlist": 6},
    "accepted": {"start": 18, "submit": 14, "accept": 9, "visit": 5, "sheet": 4},
    "returned": {"start": 16, "submit": 12, "return": 9},
    "submitted": {"start": 8, "submit": 4},
    "draft": {"start": 6},
}
# fmt: on
CURRENT_EVENTS = {  # days before today
    "current_first": 16,  # the leadership group's first meeting this year
    "current_second": 2,
    "publicity": 3,  # this year's publicity starts
    "objection": 1,
}
CALL_WINDOW = (35, 30)  # a demo call outside Q3: from 35 days ago to 30 days ahead


def previous_schedule(year, index):
    """Last year's call: the dates of application ``index``'s events, spread a little."""

    def day(month, dom, spread=0):
        return datetime.date(year, month, dom) + index * spread * ONE_DAY

    return {
        "start": day(8, 4, 2),
        "submit": day(8, 18, 2),
        "accept": day(9, 2, 1),
        "visit": day(9, 15, 2),
        "sheet": day(9, 26, 1),
        "shortlist": day(10, 15),
    }


def current_call_dates(today, reason):
    """This year's demo call: Q3 when today is far enough into it, else around today."""
    opens_before, closes_after = CALL_WINDOW
    q3_start, q3_end = datetime.date(today.year, 7, 1), datetime.date(today.year, 9, 30)
    if q3_start + opens_before * ONE_DAY <= today <= q3_end:
        return q3_start, q3_end, ""
    return today - opens_before * ONE_DAY, today + closes_after * ONE_DAY, reason


@cache
def _font(size):
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.otf",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _picture(lines, size, background):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    y = 60
    for index, line in enumerate(lines):
        font = _font(30 if index == 0 else 20)
        draw.text((50, y), line, fill=(40, 40, 40), font=font)
        y += 56 if index == 0 else 36
    return image


@cache
def demo_file(kind, *lines):
    """A small real file (PNG photo or one-page PDF) whose content says it is demo material."""
    lines = (*lines, "演示材料，非真实文件")
    buffer = io.BytesIO()
    if kind == "png":
        _picture(lines, (800, 500), (222, 232, 240)).save(buffer, "PNG")
    else:
        _picture(lines, (595, 842), (255, 255, 255)).save(buffer, "PDF", resolution=72)
    return buffer.getvalue()


def upload(kind, name, *lines):
    return ContentFile(demo_file(kind, *lines), name=name)


@dataclass
class District:
    """Loads fixtures/demo.yaml as of ``today``; :meth:`load` does it (once per database)."""

    today: datetime.date
    data: dict = field(default_factory=lambda: fixtures.load("demo.yaml"))
    warnings: list = field(default_factory=list)
    users: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    calls: dict = field(default_factory=dict)
    meetings: dict = field(default_factory=dict)

    def __post_init__(self):
        from django.contrib.auth.hashers import make_password

        self.password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
        self.year = self.today.year
        self.names = {"year": self.year, "previous": self.year - 1, "earlier": self.year - 2}

    # Helpers

    def text(self, value):
        """A text of the data file with its year placeholders filled in."""
        return value.format(**self.names) if isinstance(value, str) else value

    def days_ago(self, days):
        return self.today - days * ONE_DAY

    @contextmanager
    def at(self, day, hour=10, minute=0):
        """Run what follows as if it were ``day`` at ``hour:minute`` in Shanghai."""
        import time_machine

        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)
        if day >= self.today:  # pragma: no cover - a mistake in the schedule
            raise ValueError(f"the demo event on {day} is not in the past")
        with time_machine.travel(moment, tick=True):
            yield

    def read_inbox(self, user):
        """``user`` reads the notices he has (the events are not loaded in time order, so a
        later notice may exist already: it stays unread)."""
        notices = Notification.objects.for_user(user).unread()
        for notice in notices.filter(created_at__lte=timezone.now()):
            mark_read(notice)

    def set_demo_password(self, user):
        user.password = self.password
        user.save(update_fields=["password"])

    @property
    def staff(self):
        return self.users["staff"]

    def code(self, value):
        """A credit code of the data file: 17 characters (check character computed) or 18."""
        return value if len(value) == 18 else credit_code.with_check_character(value)

    def is_loaded(self):
        first = self.data["units"][0]
        return HostUnit.objects.filter(credit_code=self.code(first["credit_code"])).exists()

    # The district

    @transaction.atomic
    def load(self):
        """Load the district; returns False (changing nothing) when it is there already."""
        if self.is_loaded():
            return False
        start = datetime.date(self.year - 1, 6, 1)
        with self.at(start, 9):
            self.load_people()
        self.load_calls()
        applications = self.data["applications"]
        previous = [a for a in applications if a["call"] == "previous"]
        # This year's in the order they were started, so that their numbers follow that order.
        current = sorted(
            (a for a in applications if a["call"] == "current"),
            key=lambda a: -CURRENT_SCHEDULE[a["stage"]]["start"],
        )
        for index, spec in enumerate(previous):
            self.unit(spec["unit"], before=previous_schedule(self.year - 1, index)["start"])
        for index, spec in enumerate(previous):
            self.run_application(spec, previous_schedule(self.year - 1, index), index)
        self.conclude_previous_call(previous)
        for index, spec in enumerate(current):
            schedule = {
                event: self.days_ago(days)
                for event, days in CURRENT_SCHEDULE[spec["stage"]].items()
            }
            self.unit(spec["unit"], before=schedule["start"])
            self.run_application(spec, schedule, index)
        self.conclude_current_stages(current)
        for step in demo_steps():  # what later apps build on the district
            step(self)
        return True

    def load_people(self):
        User = get_user_model()
        for spec in self.data["logins"]:
            if spec["role"] == Role.APPLICANT:
                continue  # registers with its unit
            user = User.objects.create_user(
                username=spec["username"],
                email=spec["email"],
                password=None,
                full_name=spec["full_name"],
                mobile=spec["mobile"],
            )
            self.set_demo_password(user)
            grant_role(user, Role(spec["role"]))
            self.users[spec["username"]] = user
        for spec in self.data["experts"]:
            user = User.objects.create_user(
                username=spec["username"],
                email=spec["email"],
                password=None,
                full_name=spec["full_name"],
                mobile=spec["mobile"],
            )
            grant_role(user, Role.EXPERT)
            self.users[spec["username"]] = user
        for spec in self.data["expert_affiliations"]:
            ExpertAffiliation.objects.create(
                expert=self.users["expert"],
                organisation=spec["organisation"],
                credit_code=self.code(spec["credit_code"]),
                relation=spec["relation"],
            )

    def load_calls(self):
        calls = self.data["calls"]
        previous_year = self.year - 1
        spec = calls["previous"]
        with self.at(datetime.date(previous_year, 6, 24), 15):
            call = Call.objects.create(
                year=previous_year,
                title=self.text(spec["title"]),
                open_date=datetime.date(previous_year, 7, 1),
                close_date=datetime.date(previous_year, 9, 30),
                description=self.text(spec["description"]),
                created_by=self.staff,
            )
        with self.at(datetime.date(previous_year, 7, 1), 9):
            perform(call, "publish", by=self.staff)
        self.calls["previous"] = call

        spec = calls["current"]
        open_date, close_date, reason = current_call_dates(
            self.today, self.text(spec["outside_q3_reason"])
        )
        with self.at(open_date - 3 * ONE_DAY, 15):
            call = Call.objects.create(
                year=self.year,
                title=self.text(spec["title"]),
                open_date=open_date,
                close_date=close_date,
                outside_q3_reason=reason,
                description=self.text(spec["description"]),
                created_by=self.staff,
            )
        with self.at(open_date, 9):
            perform(call, "publish", by=self.staff)
        self.calls["current"] = call

    def unit_spec(self, key):
        return next(spec for spec in self.data["units"] if spec["key"] == key)

    def unit(self, key, *, before):
        """The host unit ``key``, registered (and verified) a little before ``before``."""
        if key in self.units:
            return self.units[key]
        spec = self.unit_spec(key)
        admin, *others = spec["members"]
        person = self.person(admin)
        code = self.code(spec["credit_code"])
        with self.at(before - 10 * ONE_DAY, 11, 20):
            unit, user = services.register_unit(
                unit_name=spec["name"],
                credit_code=code,
                business_licence=upload(
                    "pdf",
                    "营业执照.pdf",
                    "营业执照（副本）",
                    spec["name"],
                    f"统一社会信用代码：{code}",
                ),
                contact_name=person["full_name"],
                mobile=person["mobile"],
                email=person["email"],
                password=None,
            )
            if "login" in admin:
                user.username = admin["login"]  # the demo login's short name
                user.save(update_fields=["username"])
                self.set_demo_password(user)
            unit.address = spec["address"]
            unit.save(update_fields=["address"])
        self.users[person["username"]] = user
        if spec["verified"]:
            with self.at(before - 7 * ONE_DAY, 9, 40):
                perform(unit, "verify", by=self.staff)
        for member in others:
            with self.at(before - 3 * ONE_DAY, 14, 5):
                self.users[member["username"]] = services.invite_member(
                    unit,
                    email=member["email"],
                    full_name=member["full_name"],
                    mobile=member["mobile"],
                    by=user,
                )
        self.units[key] = unit
        return unit

    def person(self, member):
        """A unit member's details: one of the demo logins or given with the unit."""
        if "login" in member:
            return next(p for p in self.data["logins"] if p["username"] == member["login"])
        return member

    def admin_of(self, unit):
        return unit.members.select_related("user").get(is_admin=True).user

    # One application, up to its stage

    def run_application(self, spec, schedule, index):
        stage = spec["stage"]
        unit = self.units[spec["unit"]]
        call = self.calls[spec["call"]]
        user = self.admin_of(unit)
        hour = 9 + index % 7
        minute = (index * 17) % 50
        station = None
        if spec.get("reapply"):
            station = unit.stations.get(status=Station.Status.NOT_SELECTED)
        with self.at(schedule["start"], hour, minute):
            application = services.start_application(unit, call, by=user, station=station)
            self.fill_annex1(application, spec["annex1"], user)
        if stage == "draft":
            return application
        with self.at(schedule["submit"] - ONE_DAY, hour + 1, minute):
            self.attach_materials(application, user)
        with self.at(schedule["submit"], hour, minute + 5):
            perform(application, "submit", by=user)
            self.read_inbox(user)  # who acts has read his notices
        if stage == "submitted":
            return application
        if stage == "returned":
            with self.at(schedule["return"], 15, 30):
                perform(
                    application,
                    "return_for_correction",
                    by=self.staff,
                    reason=self.text(self.data["return_reason"]),
                )
            return application
        with self.at(schedule["accept"], 10, minute):
            perform(application, "accept", by=self.staff)
            assignments = {
                name: scorer_assignments.assign_scorer(
                    application,
                    self.users[name],
                    by=self.staff,
                    due_date=schedule.get("shortlist", self.today + 14 * ONE_DAY) - ONE_DAY,
                )
                for name in spec["panel"]
            }
        for position, (name, sheet) in enumerate(spec["panel"].items()):
            if sheet:  # an empty entry: the expert has not started
                self.review(assignments[name], sheet, schedule, position)
        if stage == "not_selected":
            with self.at(schedule["shortlist"], 16):
                perform(
                    application,
                    "not_select",
                    by=self.staff,
                    reason=self.text(self.data["not_selected_reason"]),
                )
            return application
        if stage == "accepted":
            return application
        with self.at(schedule["shortlist"], 16, minute):
            perform(application, "shortlist", by=self.staff)
        return application

    def fill_annex1(self, application, annex1, user):
        """Type Annex 1 as the unit would: the form, then the service that saves it."""
        data = {name: str(self.text(value)) for name, value in annex1.items()}
        if "host_institution_credit_code" in data:
            data["host_institution_credit_code"] = self.code(data["host_institution_credit_code"])
        data["lock_version"] = str(application.lock_version)
        form = ApplicationForm(data, instance=application)
        form.is_valid()
        services.save_annex1(application, form, by=user)
        if application.draft_data:  # pragma: no cover - a mistake in the data file
            raise ValueError(f"demo Annex 1 of {application.host_unit} not valid: {form.errors}")

    def attach_materials(self, application, user):
        name = application.station_name
        for kind, filename, kind_of_file, title in (
            (Attachment.Kind.VENUE_PHOTO, "场地照片.png", "png", "驿站场地照片"),
            (Attachment.Kind.RULES, "驿站管理制度.pdf", "pdf", "驿站管理制度汇编"),
            (Attachment.Kind.ACTIVITY_RECORD, "活动记录.pdf", "pdf", "活动签到表及照片"),
        ):
            services.add_attachment(
                application, kind=kind, upload=upload(kind_of_file, filename, title, name), by=user
            )
        services.replace_stamped_scan(
            application,
            upload=upload(
                "pdf",
                "建站申报表（盖章）.pdf",
                "附件1 建站申报表（盖章扫描件）",
                name,
                application.host_unit.name,
            ),
            by=user,
        )

    def review(self, assignment, spec, schedule, position):
        """The expert's declaration, on-site visit and score sheet."""
        expert = assignment.scorer
        application = assignment.subject
        later = position * ONE_DAY
        with self.at(schedule["accept"] + ONE_DAY + later, 20, 10):
            scorer_assignments.declare_no_conflict(assignment, by=expert)
            self.read_inbox(expert)
        visit_day = schedule["visit"] + later
        with self.at(visit_day, 15, 30):
            photo = upload("png", "实地考察.png", "实地考察照片", application.station_name)
            scorer_assignments.record_visit(
                assignment, by=expert, visit_date=visit_day, notes=spec["visit"], photos=[photo]
            )
        with self.at(schedule["sheet"] + later, 21, 0):
            template = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
            sheet = sheet_for(template, expert, application)
            save_entries(sheet, self.scores(template, spec), by=expert)
            submit_sheet(sheet, expert)

    def scores(self, template, spec):
        """The entries of a score sheet: points of each item in order (a tier's points for a
        tiered item) and the comments by item number."""
        items = list(template.items.prefetch_related("tiers").order_by("order"))
        if len(spec["scores"]) != len(items):  # pragma: no cover - a mistake in the data file
            raise ValueError(f"{len(items)} scores needed, not {spec['scores']}")
        comments = spec.get("comments", {})
        entries = {}
        for number, (item, points) in enumerate(zip(items, spec["scores"], strict=True), 1):
            points = Decimal(str(points))
            entry = {"comment": comments.get(number, "")}
            if item.kind == item.Kind.TIERS:
                entry["tier"] = next(t for t in item.tiers.all() if t.points == points)
            else:
                entry["points"] = points
            entries[item] = entry
        return entries

    # What several applications share: meetings, publicities

    def meeting(self, key, day):
        spec = self.data["meetings"][key]
        with self.at(day, 17, 30):
            meeting = LeadershipMeeting.objects.create(
                date=day,
                reference=self.text(spec["reference"]),
                note=self.text(spec["note"]),
                recorded_by=self.staff,
            )
        self.meetings[key] = meeting
        return meeting

    def approve(self, applications, meeting):
        with self.at(meeting.date + ONE_DAY, 10, 15):
            for application in applications:
                services.record_leadership_decision(
                    application,
                    by=self.staff,
                    meeting=meeting,
                    approved=True,
                    office_opinion=self.text(self.data["office_opinion"]),
                    office_opinion_date=meeting.date,
                )

    def publicity(self, key, applications, start_date):
        """Put ``applications`` under publicity from ``start_date``; None (and a warning) when
        the working-day calendar does not know the period's year yet."""
        spec = self.data["publicities"][key]
        with self.at(start_date - ONE_DAY, 16):
            publicity = publication.publicity_for(
                applications,
                by=self.staff,
                title=self.text(spec["title"]),
                basis=self.text(spec["basis"]),
                contact=self.text(spec["contact"]),
            )
        try:
            with transaction.atomic(), self.at(start_date, 9):
                start_publicity(publicity, by=self.staff, start_date=start_date)
        except Refused as refusal:
            if not isinstance(refusal.__cause__, CalendarIncomplete):
                raise
            self.warnings.append(
                f"{publicity.title}: not started. {refusal.message} (Or update the "
                "chinesecalendar package.)"
            )
            return None
        return publicity

    def applications_of(self, specs, call, stages):
        units = [self.units[s["unit"]] for s in specs if s["stage"] in stages]
        return list(Application.objects.filter(call=call, host_unit__in=units).order_by("number"))

    def conclude_previous_call(self, specs):
        year = self.year - 1
        call = self.calls["previous"]
        with self.at(datetime.date(year, 10, 8), 9):
            perform(call, "close", by=self.staff)
        meeting = self.meeting("previous", datetime.date(year, 10, 28))
        shortlisted = self.applications_of(specs, call, {"certified"})
        self.approve(shortlisted, meeting)
        publicity = self.publicity("previous", shortlisted, datetime.date(year, 11, 3))
        if publicity is None:
            return
        notice_date = datetime.date(year, 11, 17)
        with self.at(notice_date, 10):
            conclude_publicity(
                publicity,
                by=self.staff,
                notice_number=self.text(self.data["publicities"]["previous"]["notice_number"]),
                notice_date=notice_date,
            )
        with self.at(notice_date + 7 * ONE_DAY, 9):
            # Everybody has read last year's notices by now.
            for user in get_user_model().objects.filter(notifications__isnull=False).distinct():
                self.read_inbox(user)
        spec = self.data["rectification"]
        station = self.units[spec["unit"]].stations.get(status=Station.Status.CERTIFIED)
        gap = (self.today - notice_date).days
        with self.at(self.days_ago(min(45, gap // 2)), 11):
            perform(station, "start_rectification", by=self.staff, reason=self.text(spec["reason"]))

    def conclude_current_stages(self, specs):
        call = self.calls["current"]
        for key, stages in (
            ("current_first", {"in_publicity"}),
            ("current_second", {"approved"}),
        ):
            meeting = self.meeting(key, self.days_ago(CURRENT_EVENTS[key]))
            self.approve(self.applications_of(specs, call, stages), meeting)
        listed = self.applications_of(specs, call, {"in_publicity"})
        publicity = self.publicity("current", listed, self.days_ago(CURRENT_EVENTS["publicity"]))
        if publicity is not None:
            self.object_online(publicity)

    def object_online(self, publicity):
        """A member of the public objects through the publicity page's form."""
        spec = self.data["objection"]
        unit = self.units[spec["unit"]]
        item = next(i for i in publicity.items.all() if i.subject.host_unit_id == unit.pk)
        data = {
            "item": str(item.pk),
            "name": spec["name"],
            "organisation": spec["organisation"],
            "contact": spec["contact"],
            "reason": self.text(spec["reason"]),
        }
        with self.at(self.days_ago(CURRENT_EVENTS["objection"]), 20, 15):
            form = ObjectionForm(data, {}, publicity=publicity)
            if not form.is_valid():  # pragma: no cover - a mistake in the data file
                raise ValueError(f"demo objection not valid: {form.errors}")
            form.save()

    # What load_demo prints

    def logins(self):
        """The demo logins of the data file, then the unit users later steps gave the demo
        password (e.g. of a station with an award or under rectification)."""
        named = [
            (
                Role(spec["role"]).label,
                spec["username"],
                spec["email"],
                spec["full_name"],
                spec["post"],
            )
            for spec in self.data["logins"]
        ]
        members = (
            UnitMember.objects.select_related("user", "unit")
            .exclude(user__username__in=[spec["username"] for spec in self.data["logins"]])
            .order_by("user__username")
        )
        return named + [
            (Role.APPLICANT.label, m.user.username, m.user.email, str(m.user), m.unit.name)
            for m in members
            if m.user.has_usable_password()
        ]

    def summary(self):
        """What the district holds, by stage, for the command's output."""
        counts = {}
        for application in Application.objects.select_related("call"):
            counts[application.get_status_display()] = (
                counts.get(application.get_status_display(), 0) + 1
            )
        stations = {}
        for station in Station.objects.exclude(status=Station.Status.APPLYING):
            stations[station.get_status_display()] = (
                stations.get(station.get_status_display(), 0) + 1
            )
        publicities = Publicity.objects.count()
        return counts, stations, publicities
