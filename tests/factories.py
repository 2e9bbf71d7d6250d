import datetime

import factory
from django.contrib.auth import get_user_model

from stations.models import (
    Application,
    Attachment,
    Call,
    HostUnit,
    Station,
    StationType,
    UnitMember,
)
from talentstation import credit_code
from talentstation.models import PolicyVersion
from talentstation.roles import Role, grant_role

PASSWORD = "Correct-horse-42"

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# 1x1 PNG
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def valid_code(n):
    """A valid credit code, different for each ``n``."""
    return credit_code.with_check_character(f"91350100MA{n:07d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            grant_role(self, extracted)


class HostUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostUnit

    name = factory.Sequence(lambda n: f"测试单位{n}有限公司")
    credit_code = factory.Sequence(valid_code)
    address = "福州市闽侯县高新大道1号"
    contact_name = "联系人"
    contact_mobile = factory.Sequence(lambda n: f"139{n:08d}")
    contact_email = factory.Sequence(lambda n: f"unit{n}@example.com")
    business_licence = factory.django.FileField(filename="licence.pdf", data=TINY_PDF)


class UnitMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitMember

    user = factory.SubFactory(UserFactory, role=Role.APPLICANT)
    unit = factory.SubFactory(HostUnitFactory)
    is_admin = True


def applicant_user(unit=None, is_admin=True):
    member = UnitMemberFactory(unit=unit or HostUnitFactory(), is_admin=is_admin)
    return member.user


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"测试人才驿站{n}")
    station_type = StationType.INDUSTRY
    host_unit = factory.SubFactory(HostUnitFactory)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    year = 2026
    title = factory.LazyAttribute(lambda c: f"{c.year}年度人才驿站申报通知")
    open_date = factory.LazyAttribute(lambda c: datetime.date(c.year, 7, 1))
    close_date = factory.LazyAttribute(lambda c: datetime.date(c.year, 9, 30))
    policy_version = factory.LazyFunction(PolicyVersion.current)
    status = Call.Status.PUBLISHED


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete Annex 1 with its stamped scan: ready to submit while the call is open."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    host_unit = factory.SubFactory(HostUnitFactory)
    station = factory.SubFactory(StationFactory, host_unit=factory.SelfAttribute("..host_unit"))
    station_name = factory.SelfAttribute("station.name")
    station_type = StationType.INDUSTRY
    leader_name = "张三"
    leader_mobile = "13912345678"
    leader_email = "leader@example.com"
    relies_on_host = False
    address = "福州市闽侯县高新大道1号创新园A座"
    built_on = datetime.date(2025, 5, 1)
    area_m2 = 260
    staffing = "专职人员2名，兼职人员3名"
    rules_and_hardware = "资产管理、考勤、经费使用及活动制度齐全；配备投影、网络"
    activities = "2025年举办人才沙龙6场，服务人才120人次"
    talent_recommendations = "推荐1人入选省引进高层次人才C类"

    @factory.post_generation
    def stamped_scan(self, create, extracted, **kwargs):
        """A stamped scan is attached unless ``stamped_scan=False``."""
        if create and extracted is not False:
            AttachmentFactory(application=self, kind=Attachment.Kind.STAMPED_SCAN)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory, stamped_scan=False)
    kind = Attachment.Kind.VENUE_PHOTO
    file = factory.django.FileField(filename="scan.pdf", data=TINY_PDF)
    original_name = "scan.pdf"
    size = len(TINY_PDF)
    revision = factory.SelfAttribute("application.revision")


def ready_reviewer(application, expert, *, staff, visit_date=None):
    """Put ``expert`` on the panel of ``application`` (accepted for expert review), with his
    declaration and on-site visit recorded: he may submit his score sheet."""
    import datetime

    from talentstation import assignments

    assignment = assignments.assign_scorer(application, expert, by=staff)
    assignments.declare_no_conflict(assignment, by=expert)
    assignments.record_visit(
        assignment,
        by=expert,
        visit_date=visit_date or datetime.date(2026, 9, 1),
        notes="场地整洁，设施齐全，服务台账完整。",
    )
    return assignment


# --- Station records (assessments: profile, talent referrals, plans and summaries) -----------


def live_station(unit=None, *, certified_on=datetime.date(2025, 11, 17), staff=None, **kwargs):
    """A station certified on ``certified_on`` through the workflow, of ``unit`` or a new one."""
    from talentstation.workflow import perform

    station = StationFactory(host_unit=unit or HostUnitFactory(), **kwargs)
    staff = staff or UserFactory(role=Role.STAFF)
    perform(station, "certify", by=staff, on=certified_on)
    return station


class TalentReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.TalentReferral"

    station = factory.LazyFunction(live_station)
    person_name = factory.Sequence(lambda n: f"人才{n}")
    employer = "福州某科技有限公司"
    level = "provincial"
    programme = "福建省引进高层次人才（C类）"
    year = 2025
    outcome = "selected"


class StationReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.StationReport"

    station = factory.LazyFunction(live_station)
    year = 2026
    kind = "plan"
    text = "年度工作计划：全年举办人才活动6场。"


# ---------------------------------------------------------------------------------------------
# Station operations (assessments: activity log, service records)
# ---------------------------------------------------------------------------------------------


class _EntryFactory(factory.django.DjangoModelFactory):
    """An entry as logged (waiting for acceptance); ``status=`` sets another state directly
    (test data only: the workflow itself is tested through ``perform``)."""

    class Meta:
        abstract = True

    station = factory.LazyFunction(live_station)
    date = datetime.date(2026, 3, 10)

    @classmethod
    def _create(cls, model_class, *args, status=None, **kwargs):
        entry = super()._create(model_class, *args, **kwargs)
        if status:
            model_class.objects.filter(pk=entry.pk).update(status=status)
            entry.refresh_from_db()
        return entry


class ActivityFactory(_EntryFactory):
    class Meta:
        model = "assessments.Activity"

    title = factory.Sequence(lambda n: f"人才沙龙第{n}期")
    kind = "exchange"
    mode = "offline"
    place = "驿站会议室"
    partners = "福州大学"
    person_times = 20
    high_level_talents = 2
    report = "邀请专家开展技术交流。"


class ServiceRecordFactory(_EntryFactory):
    class Meta:
        model = "assessments.ServiceRecord"

    kind = "policy"
    served = "一名返乡博士"
    person_times = 1


# ---------------------------------------------------------------------------------------------
# Assessment cycles (assessments: cycles, scoring, self-assessment)
# ---------------------------------------------------------------------------------------------


class AssessmentCycleFactory(factory.django.DjangoModelFactory):
    """A cycle in preparation (draft) over ``first_year`` and the next year."""

    class Meta:
        model = "assessments.AssessmentCycle"

    first_year = 2025
    self_assessment_due = factory.LazyAttribute(lambda c: datetime.date(c.first_year + 2, 1, 31))
    scoring_opens = factory.LazyAttribute(lambda c: datetime.date(c.first_year + 2, 1, 1))
    scoring_closes = factory.LazyAttribute(lambda c: datetime.date(c.first_year + 2, 2, 28))


def open_cycle(staff=None, **kwargs):
    """A cycle opened through the workflow (its stations included, versions pinned)."""
    from talentstation.workflow import perform

    cycle = AssessmentCycleFactory(**kwargs)
    perform(cycle, "open", by=staff or UserFactory(role=Role.STAFF))
    cycle.refresh_from_db()
    return cycle


# ---------------------------------------------------------------------------------------------
# Annex 2 documents, the cycle board and the demo cycles (assessments: documents, board)
# ---------------------------------------------------------------------------------------------


def declared_scorer(assessment, *, staff, scorer=None, role=Role.EXPERT, due=None):
    """A scorer assigned to ``assessment`` (a new expert by default) who has declared."""
    from assessments import cycles
    from talentstation.assignments import declare_no_conflict

    scorer = scorer or UserFactory(role=role)
    assignment = cycles.assign(assessment, scorer, by=staff, due=due)
    declare_no_conflict(assignment, by=scorer)
    return scorer


def score_station(assessment, scorer, points=None, *, reason="依据现场核查结果", submit=True):
    """``scorer`` chooses, per counted year, the tier of each item with the points given in
    ``points`` (``{year: {item title: points}}``; items not named get their best tier), with
    ``reason`` for every choice other than the proposal; submits unless told not to."""
    from assessments import scoring

    points = points or {}
    choices = {}
    for year in scoring.counted_years(assessment):
        wanted = points.get(year.year, {})
        for item in assessment.cycle.rubric.items.prefetch_related("tiers"):
            tiers = list(item.tiers.all())
            target = wanted.get(item.title, max(t.points for t in tiers))
            tier = next(t for t in tiers if t.points == target)
            choices[(year.year, item.pk)] = (tier.pk, reason)
    scoring.save_scores(assessment, scorer, choices)
    if submit:
        scoring.submit_scores(assessment, scorer)


# ---------------------------------------------------------------------------------------------
# Outcomes (awards: ranking, awards, rectification, nominations)
# ---------------------------------------------------------------------------------------------

ANNEX2_ITEMS = ("场地配备", "人员配备", "制度建设", "开展活动", "人才服务")


def closed_cycle(points_by_station, *, staff=None, first_year=2024, unit=None):
    """A cycle over ``first_year`` and the next, scored and closed through the workflow.

    ``points_by_station`` maps a station name to its points per Annex 2 item (``{title:
    points}``, the tiers' points of the shipped sheet v2: 场地配备 15/0, 人员配备 15/9/0,
    制度建设 15/9/0, 开展活动 30/18/0, 人才服务 25/15/0; items not named get their best tier),
    or to ``None`` for a station whose points are all the best. Each station is certified
    before the cycle and scored by one declared expert in both years, so its final score is the
    sum of its points. Returns the closed cycle; ``cycle.stations_by_name`` maps names to
    stations.
    """
    from talentstation.workflow import perform

    staff = staff or UserFactory(role=Role.STAFF)
    stations = {
        name: live_station(
            unit, name=name, certified_on=datetime.date(first_year - 1, 6, 1), staff=staff
        )
        for name in points_by_station
    }
    cycle = open_cycle(staff, first_year=first_year)
    for assessment in cycle.assessments.select_related("station"):
        points = points_by_station.get(assessment.station.name) or {}
        scorer = declared_scorer(assessment, staff=staff)
        score_station(assessment, scorer, dict.fromkeys(cycle.years, points))
    perform(cycle, "close", by=staff)
    cycle.refresh_from_db()
    cycle.stations_by_name = stations
    return cycle


# ---------------------------------------------------------------------------------------------
# Awards and usage reports (awards: funds)
# ---------------------------------------------------------------------------------------------


def published_award(unit=None, *, rank=1, staff=None, published=True, cycle=None, name=None):
    """An Award (due) of a station of ``unit`` ranked ``rank`` in a published ranking of a
    really closed cycle (the ranking and its entry are test data, set directly; with
    ``published=False`` the ranking stays under publicity). With ``cycle``, the award goes to
    its station ``name``."""
    from decimal import Decimal

    from awards.models import Award, Ranking, RankingEntry

    cycle = cycle or closed_cycle({f"优秀驿站{rank}": None}, staff=staff, unit=unit)
    assessments = cycle.assessments.select_related("station")
    assessment = assessments.get(station__name=name) if name else assessments.first()
    ranking, _created = Ranking.objects.get_or_create(
        cycle=cycle, defaults={"policy_version": cycle.policy_version}
    )
    Ranking.objects.filter(pk=ranking.pk).update(status="published" if published else "publicity")
    ranking.refresh_from_db()
    amount = cycle.policy_version.award_for(rank) or Decimal("10000.00")
    entry = RankingEntry.objects.create(
        ranking=ranking,
        assessment=assessment,
        station=assessment.station,
        score=Decimal("100.00"),
        position=rank,
        rank=rank,
        award_amount=amount,
    )
    return Award.objects.create(entry=entry, station=assessment.station, amount_due=amount)
