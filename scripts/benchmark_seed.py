"""A realistic district for the benchmark (scripts/benchmark.py), made with bulk inserts.

:func:`seed` fills a migrated, empty database with ``stations`` stations and, in proportion,
what a district of that size holds (at 1,000 stations: 1,000 host units and their users, 1,000
applications with 3 experts' submitted score sheets each, 50,000 logged activities, a closed
and an open assessment cycle), on the real models with the policy settings and the versioned
score sheets the migrations ship. Rows are written with ``bulk_create`` (no signals, no
history rows), so each is set here in a state the portal's own transitions could have reached:

- 90 % of the stations are live (certified in 2021/22, one in 20 under rectification with an
  issued order), each from a certified application of the 2021 call; the others are applying
  in the 2026 call (in expert review, shortlisted, approved or under a running publicity);
- every application has 3 declared experts with their on-site visit and submitted sheets;
- activities (50 per station, 85 % accepted) and service records from 2025 to today;
- the 2023–2024 cycle is closed (one scorer per station, a submitted sheet per counted year,
  the final scores and item points stored), the 2025–2026 cycle is open (a declared scorer).

Deterministic: the same ``stations`` gives the same district, so pages measured at two sizes
show the same objects (the first station, application, assessment).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

PASSWORD = "Bench-mark-2026"
EXPERTS = 12
ACTIVITIES_PER_STATION = 50
SERVICES_PER_STATION = 5
BATCH = 5000
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
TYPES = ["industry", "entrepreneurship", "service", "comprehensive"]
TYPE_NAMES = {
    "industry": "产业",
    "entrepreneurship": "创业",
    "service": "服务",
    "comprehensive": "综合",
}
DISTRICTS = ["南屿", "上街", "南通", "甘蔗", "荆溪", "鸿尾"]


@dataclass
class World:
    """What the benchmark's pages need to know about the seeded district."""

    stations: int
    staff: object = None
    official: object = None
    expert: object = None  # scorer of the first assessment of the open cycle, reviewer too
    applicant: object = None  # admin of the unit of the first applying station
    station: object = None  # the first live station
    application: object = None  # the application of the first applying station
    assessment: object = None  # the first station's assessment in the open cycle
    closed_assessment: object = None
    review_assignment: object = None  # the expert's assignment on ``application``
    publicity: object = None
    counts: dict = field(default_factory=dict)


def _certified_on(index):
    return datetime.date(2021, 6, 1) + datetime.timedelta(days=(index * 7) % 540)


def seed(stations, media_root):
    """Fill the (migrated, empty) default database; returns the :class:`World`."""
    from django.db import transaction

    Path(media_root, "benchmark").mkdir(parents=True, exist_ok=True)
    Path(media_root, "benchmark", "scan.pdf").write_bytes(TINY_PDF)
    with transaction.atomic():
        world = World(stations=stations)
        _people(world)
        units, station_rows = _stations(world, stations)
        _applications(world, units, station_rows)
        _operations(world, station_rows)
        _cycles(world, station_rows)
        _rectifications(station_rows)
    _analyze()
    return world


def _analyze():
    """Fresh planner statistics, as autovacuum would have gathered on a real server."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- people -----------------------------------------------------------------------------------


def _users(specs, password):
    from talentstation.models import User

    return User.objects.bulk_create(
        User(
            username=username,
            email=f"{username}@bench.example.com",
            full_name=full_name,
            password=password,
            is_staff=is_staff,
        )
        for username, full_name, is_staff in specs
    )


def _grant(users, role):
    from django.contrib.auth.models import Group

    from talentstation.models import User

    group = Group.objects.get(name=role.value)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )


def _people(world):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from talentstation.roles import Role

    # The production hasher, whatever this process's settings say (gunicorn logs in with it).
    hasher = PBKDF2PasswordHasher()
    world.password = hasher.encode(PASSWORD, hasher.salt())
    staff, official = _users(
        [("staff", "局工作人员", True), ("official", "区领导", False)], world.password
    )
    experts = _users([(f"expert{n}", f"专家{n}", False) for n in range(EXPERTS)], world.password)
    _grant([staff], Role.STAFF)
    _grant([official], Role.OFFICIAL)
    _grant(experts, Role.EXPERT)
    world.staff, world.official, world.experts = staff, official, experts
    world.expert = experts[0]


# --- units, stations, applications ------------------------------------------------------------


def _stations(world, count):
    from stations.models import HostUnit, PlaqueSequence, Station, UnitMember
    from talentstation import credit_code
    from talentstation.models import PolicyVersion
    from talentstation.roles import Role

    pattern = PolicyVersion.current().plaque_number_pattern
    units = HostUnit.objects.bulk_create(
        HostUnit(
            name=f"福州{DISTRICTS[n % 6]}科技{n:04d}有限公司",
            credit_code=credit_code.with_check_character(f"91350100MA{n:07d}"),
            address=f"福州市闽侯县高新大道{n + 1}号",
            contact_name=f"联系人{n}",
            contact_mobile=f"139{n:08d}",
            contact_email=f"unit{n}@bench.example.com",
            business_licence="benchmark/scan.pdf",
            verification=HostUnit.Verification.VERIFIED,
        )
        for n in range(count)
    )
    applicants = _users([(f"unit{n}", f"申报人{n}", False) for n in range(count)], world.password)
    _grant(applicants, Role.APPLICANT)
    UnitMember.objects.bulk_create(
        UnitMember(user=user, unit=unit, is_admin=True)
        for user, unit in zip(applicants, units, strict=True)
    )
    live = count - max(4, count // 10)  # applying: at least one in each state
    plaques = {}
    rows = []
    for n, unit in enumerate(units):
        station_type = TYPES[n % 4]
        extra = {}
        if n < live:
            certified_on = _certified_on(n)
            year = certified_on.year
            plaques[year] = plaques.get(year, 0) + 1
            extra = {
                "status": Station.Status.RECTIFYING if n % 20 == 19 else Station.Status.CERTIFIED,
                "certified_on": certified_on,
                "plaque_number": pattern.format(year=year, seq=plaques[year]),
            }
        station = Station(
            name=f"{DISTRICTS[n % 6]}{TYPE_NAMES[station_type]}人才驿站{n:04d}",
            station_type=station_type,
            host_unit=unit,
            address=f"福州市闽侯县高新大道{n + 1}号创新园",
            built_on=datetime.date(2020, 5, 1),
            area_m2=Decimal(200 + n % 300),
            **extra,
        )
        rows.append(station)
    Station.objects.bulk_create(rows)
    PlaqueSequence.objects.bulk_create(
        PlaqueSequence(year=year, last=last) for year, last in plaques.items()
    )
    world.units, world.applicants = units, applicants
    world.station = rows[0]
    world.counts.update(stations=count, live_stations=live, host_units=count)
    return units, rows


ANNEX1 = {
    "leader_name": "张三",
    "leader_mobile": "13912345678",
    "leader_email": "leader@bench.example.com",
    "relies_on_host": False,
    "built_on": datetime.date(2020, 5, 1),
    "area_m2": Decimal("260"),
    "staffing": "专职人员2名，兼职人员3名",
    "rules_and_hardware": "资产管理、考勤、经费使用及活动制度齐全；配备投影、网络",
    "activities": "2025年举办人才沙龙6场，服务人才120人次",
    "talent_recommendations": "推荐1人入选省引进高层次人才C类",
}


def _applications(world, units, station_rows):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from stations.models import Application, Attachment, Call, Station
    from talentstation.models import PolicyVersion, Publicity, PublicityItem

    policy = PolicyVersion.current()
    old, new = Call.objects.bulk_create(
        [
            Call(
                year=year,
                title=f"{year}年度人才驿站申报通知",
                open_date=datetime.date(year, 7, 1),
                close_date=datetime.date(year, 9, 30),
                status=status,
                published_at=timezone.make_aware(datetime.datetime(year, 6, 20, 9)),
                policy_version=policy,
                created_by=world.staff,
            )
            for year, status in ((2021, Call.Status.CLOSED), (2026, Call.Status.PUBLISHED))
        ]
    )
    new_states = [
        Application.Status.IN_PUBLICITY,
        Application.Status.ACCEPTED,
        Application.Status.SHORTLISTED,
        Application.Status.APPROVED,
    ]
    rows, numbers = [], {}
    live_count = sum(1 for s in station_rows if s.status != Station.Status.APPLYING)
    for n, (unit, station) in enumerate(zip(units, station_rows, strict=True)):
        live = station.status != Station.Status.APPLYING
        call = old if live else new
        numbers[call.year] = numbers.get(call.year, 0) + 1
        submitted = timezone.make_aware(datetime.datetime(call.year, 8, 1 + n % 28, 10))
        rows.append(
            Application(
                call=call,
                station=station,
                host_unit=unit,
                number=f"{call.year}-{numbers[call.year]:04d}",
                status=Application.Status.CERTIFIED if live else new_states[(n - live_count) % 4],
                created_by=world.applicants[n],
                updated_by=world.applicants[n],
                created_at=submitted - datetime.timedelta(days=3),
                submitted_at=submitted,
                station_name=station.name,
                station_type=station.station_type,
                address=station.address,
                host_institution_name=unit.name,
                host_institution_credit_code=unit.credit_code,
                **ANNEX1,
            )
        )
    applications = Application.objects.bulk_create(rows)
    Attachment.objects.bulk_create(
        Attachment(
            application=application,
            kind=Attachment.Kind.STAMPED_SCAN,
            file="benchmark/scan.pdf",
            original_name="盖章扫描件.pdf",
            size=len(TINY_PDF),
            revision=1,
            uploaded_by=application.created_by,
        )
        for application in applications
    )
    applying = [a for a in applications if a.call_id == new.pk]
    world.application = applying[1]  # in expert review
    _reviews(world, applications)
    world.applicant = world.application.created_by
    publicized = [a for a in applying if a.status == Application.Status.IN_PUBLICITY]
    today = timezone.localdate()
    world.publicity = Publicity.objects.create(
        purpose="new_stations",
        title="2026年度拟认定人才驿站名单公示",
        basis="依据《福州高新区人才驿站建设管理办法》",
        contact="0591-00000000",
        status=Publicity.Status.RUNNING,
        start_date=today - datetime.timedelta(days=2),
        working_days=5,
        first_day=today - datetime.timedelta(days=2),
        last_day=today + datetime.timedelta(days=7),
    )
    kind = ContentType.objects.get_for_model(Application)
    PublicityItem.objects.bulk_create(
        PublicityItem(
            publicity=world.publicity,
            content_type=kind,
            object_id=application.pk,
            order=order,
            name=application.station_name,
            description=f"{application.host_unit.name}（拟认定）",
        )
        for order, application in enumerate(publicized)
    )
    world.counts.update(applications=len(applications), publicity_items=len(publicized))


def _filled_sheet(template, items, scorer, subject_type, subject_id, variant, submitted_at):
    """An unsaved, submitted ScoreSheet and its entries (tiers chosen by ``variant``)."""
    from talentstation.models import ScoreEntry, ScoreItem, ScoreSheet

    entries, total = [], Decimal("0")
    for position, item in enumerate(items):
        tiers = item.bench_tiers
        if item.kind == ScoreItem.Kind.RANGE:
            points = (item.max_points * Decimal((variant + position) % 5 + 6) / 10).quantize(
                Decimal("0.01")
            )
            entries.append(ScoreEntry(item=item, points=points))
        else:
            tier = tiers[0] if (variant + position) % 4 else tiers[min(1, len(tiers) - 1)]
            points = tier.points
            entries.append(ScoreEntry(item=item, tier=tier))
        total += points * item.weight
    sheet = ScoreSheet(
        template=template,
        scorer=scorer,
        content_type=subject_type,
        object_id=subject_id,
        status=ScoreSheet.Status.SUBMITTED,
        total=total.quantize(Decimal("0.01")),
        submitted_at=submitted_at,
    )
    return sheet, entries


def _template_items(purpose):
    from talentstation.models import ScoreSheetTemplate

    template = ScoreSheetTemplate.active_for(purpose)
    items = list(template.items.prefetch_related("tiers"))
    for item in items:
        item.bench_tiers = sorted(item.tiers.all(), key=lambda t: -t.points)
    return template, items


def _save_sheets(pairs):
    """Bulk-create sheets and then their entries."""
    from talentstation.models import ScoreEntry, ScoreSheet

    sheets = ScoreSheet.objects.bulk_create([sheet for sheet, _entries in pairs], BATCH)
    entries = []
    for sheet, (_sheet, sheet_entries) in zip(sheets, pairs, strict=True):
        for entry in sheet_entries:
            entry.sheet = sheet
            entries.append(entry)
    ScoreEntry.objects.bulk_create(entries, BATCH)
    return sheets, entries


def _reviews(world, applications):
    """3 declared experts per application, their visits and submitted score sheets."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from stations.models import Application
    from talentstation.models import ScorerAssignment, ScoreSheetTemplate

    template, items = _template_items(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
    kind = ContentType.objects.get_for_model(Application)
    assignments, pairs = [], []
    for n, application in enumerate(applications):
        visit = application.submitted_at + datetime.timedelta(days=20)
        for k in range(3):
            expert = world.experts[(n + k) % EXPERTS]
            assignments.append(
                ScorerAssignment(
                    content_type=kind,
                    object_id=application.pk,
                    scorer=expert,
                    assigned_by=world.staff,
                    assigned_at=application.submitted_at + datetime.timedelta(days=7),
                    no_conflict_declared_at=application.submitted_at + datetime.timedelta(days=8),
                    visit_date=timezone.localdate(visit),
                    visit_notes="场地整洁，设施齐全，服务台账完整。",
                )
            )
            pairs.append(_filled_sheet(template, items, expert, kind, application.pk, n + k, visit))
    made = ScorerAssignment.objects.bulk_create(assignments, BATCH)
    sheets, entries = _save_sheets(pairs)
    world.review_assignment = next(a for a in made if a.object_id == world.application.pk)
    world.counts.update(review_assignments=len(made), review_sheets=len(sheets))
    world.counts["score_entries"] = len(entries)


# --- the operation log ------------------------------------------------------------------------


def _operations(world, station_rows):
    from django.utils import timezone

    from assessments.models import Activity, ActivityKind, ServiceKind, ServiceRecord
    from stations.models import Station

    live = [s for s in station_rows if s.status != Station.Status.APPLYING]
    today = timezone.localdate()
    start = datetime.date(2025, 1, 1)
    span = (today - start).days + 1
    kinds = [value for value, _label in ActivityKind.choices]
    statuses = [Activity.Status.ACCEPTED] * 17 + [Activity.Status.SUBMITTED] * 2
    statuses += [Activity.Status.REJECTED]
    member_of = {unit.pk: user for unit, user in zip(world.units, world.applicants, strict=True)}
    total = ACTIVITIES_PER_STATION * len(station_rows)
    made = 0
    reviewed = timezone.make_aware(datetime.datetime(2026, 11, 1, 10))
    for offset in range(0, total, BATCH):
        batch = []
        for n in range(offset, min(total, offset + BATCH)):
            station = live[n % len(live)]
            status = statuses[n % len(statuses)]
            person_times = 10 + n % 51
            batch.append(
                Activity(
                    station=station,
                    date=start + datetime.timedelta(days=(n * 37) % span),
                    title=f"人才沙龙第{n // len(live) + 1}期",
                    kind=kinds[n % len(kinds)],
                    place="驿站会议室",
                    partners="福州大学",
                    person_times=person_times,
                    high_level_talents=n % 4,
                    report="邀请专家开展技术交流，对接企业需求。",
                    status=status,
                    recorded_by=member_of[station.host_unit_id],
                    reviewed_by=None if status == Activity.Status.SUBMITTED else world.staff,
                    reviewed_at=None if status == Activity.Status.SUBMITTED else reviewed,
                )
            )
        made += len(Activity.objects.bulk_create(batch))
    services = ServiceRecord.objects.bulk_create(
        (
            ServiceRecord(
                station=live[n % len(live)],
                date=start + datetime.timedelta(days=(n * 53) % span),
                kind=[value for value, _label in ServiceKind.choices][n % 4],
                served="一名返乡博士",
                person_times=1 + n % 3,
                status=ServiceRecord.Status.ACCEPTED,
                recorded_by=member_of[live[n % len(live)].host_unit_id],
                reviewed_by=world.staff,
                reviewed_at=reviewed,
            )
            for n in range(SERVICES_PER_STATION * len(station_rows))
        ),
        BATCH,
    )
    world.counts.update(activities=made, service_records=len(services))


# --- the two assessment cycles ----------------------------------------------------------------


def _cycles(world, station_rows):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from assessments import proposals
    from assessments.cycles import eligible_stations
    from assessments.models import (
        Assessment,
        AssessmentCycle,
        AssessmentYear,
        ItemScore,
    )
    from assessments.scoring import snapshot_evidence
    from talentstation.models import PolicyVersion, ScorerAssignment, ScoreSheetTemplate

    policy = PolicyVersion.current()
    rubric, items = _template_items(ScoreSheetTemplate.Purpose.STATION_ASSESSMENT)
    aware = timezone.make_aware
    closed, opened = AssessmentCycle.objects.bulk_create(
        [
            AssessmentCycle(
                first_year=2023,
                inclusion_date=datetime.date(2023, 1, 1),
                self_assessment_due=datetime.date(2025, 1, 31),
                scoring_opens=datetime.date(2025, 1, 1),
                scoring_closes=datetime.date(2025, 2, 28),
                result_date=datetime.date(2025, 3, 31),
                policy_version=policy,
                rubric=rubric,
                status=AssessmentCycle.Status.CLOSED,
                created_by=world.staff,
                opened_at=aware(datetime.datetime(2024, 12, 1, 9)),
                closed_at=aware(datetime.datetime(2025, 3, 20, 9)),
            ),
            AssessmentCycle(
                first_year=2025,
                inclusion_date=datetime.date(2025, 1, 1),
                self_assessment_due=datetime.date(2027, 1, 31),
                scoring_opens=datetime.date(2027, 1, 1),
                scoring_closes=datetime.date(2027, 2, 28),
                policy_version=policy,
                rubric=rubric,
                status=AssessmentCycle.Status.OPEN,
                created_by=world.staff,
                opened_at=aware(datetime.datetime(2026, 11, 20, 9)),
            ),
        ]
    )
    kind = ContentType.objects.get_for_model(Assessment)
    year_kind = ContentType.objects.get_for_model(AssessmentYear)
    min_months = policy.assessment_min_certified_months
    for cycle in (closed, opened):
        stations = list(eligible_stations(cycle).order_by("pk"))
        final = cycle.status == AssessmentCycle.Status.CLOSED
        assessments = Assessment.objects.bulk_create(
            Assessment(
                cycle=cycle,
                station=station,
                station_status=station.status,
                included_at=cycle.opened_at,
                status=Assessment.Status.FINAL if final else Assessment.Status.SCORING,
            )
            for station in stations
        )
        years = AssessmentYear.objects.bulk_create(
            [
                AssessmentYear(
                    assessment=assessment,
                    year=year,
                    months_certified=proposals.months_certified(year, station.certified_on),
                    counted=proposals.months_certified(year, station.certified_on) >= min_months,
                )
                for assessment, station in zip(assessments, stations, strict=True)
                for year in cycle.years
            ],
            BATCH,
        )
        ScorerAssignment.objects.bulk_create(
            (
                ScorerAssignment(
                    content_type=kind,
                    object_id=assessment.pk,
                    scorer=world.experts[n % EXPERTS],
                    assigned_by=world.staff,
                    assigned_at=cycle.opened_at,
                    no_conflict_declared_at=cycle.opened_at + datetime.timedelta(days=1),
                )
                for n, assessment in enumerate(assessments)
            ),
            BATCH,
        )
        if final:
            _final_scores(world, rubric, items, year_kind, assessments, years)
            snapshot_evidence(cycle)
            world.closed_assessment = assessments[0]
        else:
            world.assessment = assessments[0]
        world.counts[f"assessments_{cycle.first_year}"] = len(assessments)
    world.counts["item_scores"] = ItemScore.objects.count()


def _final_scores(world, rubric, items, year_kind, assessments, years):
    from assessments.models import Assessment, ItemScore

    by_assessment = {}
    for year in years:
        by_assessment.setdefault(year.assessment_id, []).append(year)
    pairs, owners = [], []
    for n, assessment in enumerate(assessments):
        for year in by_assessment[assessment.pk]:
            if year.counted:
                submitted = datetime.datetime(2025, 2, 10, 10, tzinfo=datetime.UTC)
                pairs.append(
                    _filled_sheet(
                        rubric,
                        items,
                        world.experts[n % EXPERTS],
                        year_kind,
                        year.pk,
                        n + year.year,
                        submitted,
                    )
                )
                owners.append(assessment)
    sheets, entries = _save_sheets(pairs)
    totals, points = {}, {}
    for sheet, assessment, (_sheet, sheet_entries) in zip(sheets, owners, pairs, strict=True):
        totals.setdefault(assessment.pk, []).append(sheet.total)
        for entry, item in zip(sheet_entries, items, strict=True):
            value = (entry.tier.points if entry.tier_id else entry.points) * item.weight
            points.setdefault((assessment.pk, item.pk), []).append(value)
    cent = Decimal("0.01")
    for assessment in assessments:
        yearly = totals.get(assessment.pk, [])
        if yearly:
            score = (sum(yearly) / len(yearly)).quantize(cent)
            assessment.score = assessment.computed_score = score
    Assessment.objects.bulk_update(assessments, ["score", "computed_score"], BATCH)
    ItemScore.objects.bulk_create(
        (
            ItemScore(
                assessment_id=assessment_id,
                item_id=item_id,
                points=(sum(values) / len(values)).quantize(cent),
            )
            for (assessment_id, item_id), values in points.items()
        ),
        BATCH,
    )


def _rectifications(station_rows):
    from awards.models import RectificationOrder
    from stations.models import Station

    RectificationOrder.objects.bulk_create(
        RectificationOrder(
            station=station,
            status=RectificationOrder.Status.ISSUED,
            notice_number=f"榕高新人社整改〔2026〕{n + 1:03d}号",
            issued_on=datetime.date(2026, 10, 9),
            deadline=datetime.date(2027, 1, 9),
            summary="活动场次不足，人才服务台账不完整。",
        )
        for n, station in enumerate(
            s for s in station_rows if s.status == Station.Status.RECTIFYING
        )
    )
