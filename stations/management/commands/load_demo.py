"""Demo data for `make run`: idempotent, so running it twice changes nothing."""

import datetime
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from stations.models import (
    Application,
    Attachment,
    Call,
    HostUnit,
    Station,
    StationType,
    UnitMember,
    next_plaque_number,
)
from stations.review import assign_expert
from stations.services import start_application
from talentstation import credit_code
from talentstation.dates import today
from talentstation.models import PolicyVersion
from talentstation.roles import Role, grant_role
from talentstation.workflow import perform

DEMO_PASSWORD = "Demo-2026-pass"  # noqa: S105 - printed for the demo logins, DEBUG only

UNITS = [
    # name, first 17 characters of a made-up code (check character computed), address
    ("福州高新区创新产业园运营有限公司", "91350100MA2Y8K0R3", "福州市闽侯县高新大道1号"),
    ("福建海西科技孵化器有限公司", "91350121MA31C5KP9", "福州市闽侯县乌龙江中大道7号"),
    ("福州高新区人力资源服务协会", "51350100MJ0D2F4N6", "福州市闽侯县科技东路3号"),
    ("福建人才发展集团高新分公司", "91350100MA2XW7T85", "福州市闽侯县学园路2号"),
]
PILOT_UNIT = ("福州早期试点科技有限公司", "91350211M0000XUF46", "福州市闽侯县南屿镇试点路6号")
STATION_NAMES = {
    StationType.INDUSTRY: "高新区光电产业人才驿站",
    StationType.ENTREPRENEURSHIP: "海西创业人才驿站",
    StationType.SERVICE: "人力资源服务人才驿站",
    StationType.COMPREHENSIVE: "高新区综合人才驿站",
}
USERS = [
    # username, full name, e-mail, mobile, role
    ("staff", "林主任", "staff@demo.local", "13800000001", Role.STAFF),
    ("expert", "陈教授", "expert@demo.local", "13800000002", Role.EXPERT),
    ("official", "王处长", "official@demo.local", "13800000003", Role.OFFICIAL),
    ("applicant", "张经理", "applicant@demo.local", "13800000004", Role.APPLICANT),
]

# A tiny valid PDF for the demo units' licence scans.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


DEMO_APPLICATION = {
    "leader_name": "刘站长",
    "leader_mobile": "13911112222",
    "leader_email": "leader@demo.local",
    "relies_on_host": False,
    "address": "福州市闽侯县高新大道8号",
    "built_on": datetime.date(2025, 3, 1),
    "area_m2": 180,
    "staffing": "专职人员2名，兼职人员2名",
    "rules_and_hardware": "资产管理、人员考勤、经费使用和活动制度齐全；配备展示区、网络、投影",
    "activities": "2025年举办人才交流活动6场，服务人才130人次",
    "talent_recommendations": "无",
}


def demo_call_dates(day):
    """A call open around ``day``; inside Q3 when ``day`` is, otherwise with a reason."""
    q3_start, q3_end = datetime.date(day.year, 7, 1), datetime.date(day.year, 9, 30)
    if q3_start <= day <= q3_end:
        return q3_start, q3_end, ""
    reason = "演示数据：为便于在第三季度之外演示申报流程，本通知在第三季度之外开放。"
    return day - datetime.timedelta(days=14), day + datetime.timedelta(days=30), reason


class Command(BaseCommand):
    help = "Load demo data (host units, stations of all four types, a call, one user per role)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="also when DEBUG is off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for development (DEBUG=1); use --force to insist.")
        with transaction.atomic():
            policy = PolicyVersion.current()
            self.load_call(policy)
            units = self.load_units()
            self.load_stations(units)
            self.load_users(units[0])
            self.load_workflow(units)
        # Where the portal is served (`make run` sets SITE_URL from HOST and PORT).
        self.print_logins(settings.SITE_URL + "/")

    def load_call(self, policy):
        day = today()
        open_date, close_date, reason = demo_call_dates(day)
        Call.objects.get_or_create(
            year=open_date.year,
            title=f"{open_date.year}年度福州高新区人才驿站申报通知",
            defaults={
                "open_date": open_date,
                "close_date": close_date,
                "outside_q3_reason": reason,
                "policy_version": policy,
                "status": Call.Status.PUBLISHED,
                "published_at": timezone.now(),
                "description": (
                    "根据《福州高新区人才驿站管理办法（试行）》第十条，"
                    "现开展区级人才驿站集中申报工作。"
                ),
            },
        )

    def load_units(self):
        units = []
        specs = [(n, credit_code.with_check_character(c), a) for n, c, a in UNITS]
        specs.append(PILOT_UNIT)
        for index, (name, code, address) in enumerate(specs, start=1):
            unit, created = HostUnit.objects.get_or_create(
                credit_code=code,
                defaults={
                    "name": name,
                    "address": address,
                    "contact_name": "联系人",
                    "contact_mobile": f"1390000{index:04d}",
                    "contact_email": f"unit{index}@demo.local",
                },
            )
            if created:
                unit.business_licence.save("licence.pdf", ContentFile(DEMO_PDF), save=True)
            units.append(unit)
        return units

    def load_stations(self, units):
        """Stations of all four types, certified before the portal existed (with plaques)."""
        certified_on = datetime.date(2025, 1, 10)
        for unit, (station_type, name) in zip(units, STATION_NAMES.items(), strict=False):
            if Station.objects.filter(name=name).exists():
                continue
            Station.objects.create(
                name=name,
                station_type=station_type,
                host_unit=unit,
                address=unit.address,
                area_m2=200,
                status=Station.Status.CERTIFIED,
                certified_on=certified_on,
                plaque_number=next_plaque_number(certified_on.year),
            )

    def load_workflow(self, units):
        """Applications of the demo call waiting on staff (formal check) and on the expert."""
        User = get_user_model()
        staff = User.objects.get(username="staff")
        expert = User.objects.get(username="expert")
        call = Call.objects.filter(status=Call.Status.PUBLISHED).order_by("-year").first()
        if call is None or not call.is_open():
            return
        for index, (unit, stage) in enumerate(
            ((units[1], "submitted"), (units[2], "accepted")), start=2
        ):
            if Application.objects.filter(call=call, host_unit=unit).exists():
                continue
            member, _created = User.objects.get_or_create(
                username=f"unit{index}",
                defaults={"email": f"unit{index}-user@demo.local", "full_name": unit.contact_name},
            )
            grant_role(member, Role.APPLICANT)
            UnitMember.objects.get_or_create(user=member, defaults={"unit": unit, "is_admin": True})
            application = start_application(unit, call, by=member)
            for name, value in DEMO_APPLICATION.items():
                setattr(application, name, value)
            application.station_name = f"{unit.name[:8]}人才驿站（新建）"
            application.station_type = StationType.SERVICE
            application.save()
            Attachment.objects.create(
                application=application,
                kind=Attachment.Kind.STAMPED_SCAN,
                file=ContentFile(DEMO_PDF, name="stamped.pdf"),
                original_name="盖章申报表.pdf",
                size=len(DEMO_PDF),
                revision=application.revision,
                uploaded_by=member,
            )
            perform(application, "submit", by=member)
            if stage == "accepted":
                if unit.verification == HostUnit.Verification.UNVERIFIED:
                    perform(unit, "verify", by=staff)
                perform(application, "accept", by=staff)
                assign_expert(
                    application, expert, by=staff, due_date=today() + datetime.timedelta(days=14)
                )

    def load_users(self, applicant_unit):
        User = get_user_model()
        for username, full_name, email, mobile, role in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"full_name": full_name, "email": email, "mobile": mobile},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            grant_role(user, role)
            if role == Role.APPLICANT:
                UnitMember.objects.get_or_create(
                    user=user, defaults={"unit": applicant_unit, "is_admin": True}
                )

    def print_logins(self, url):
        out = io.StringIO()
        out.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
        for username, full_name, email, _mobile, role in USERS:
            out.write(f"  {role.label:<14} {username:<10} {email:<22} {full_name}\n")
        out.write(f"Open {url} — administration at {url.rstrip('/')}/admin/ (staff).\n")
        self.stdout.write(out.getvalue())
