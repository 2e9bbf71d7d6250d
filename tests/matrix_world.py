"""The objects of the authorization matrix (tests/test_authorization_matrix.py): one unit (A)
with a record of each kind the portal's URLs name, a second unit (B), and one user of each role.

Everything of unit A is made through the factories and the apps' services (the workflow where
there is one); a few states that other tests build step by step are set directly, as the
factories do. ``build()`` returns a dict: ``users`` (role -> user or None) and one entry per
name the matrix's rows use for a URL's arguments (an object, whose pk is used, or a value).
"""

import datetime
from decimal import Decimal

import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import factories

ROLES = ("anonymous", "applicant_a", "applicant_b", "expert", "other_expert", "staff", "official")


def _pdf(name="file.pdf"):
    return SimpleUploadedFile(name, factories.TINY_PDF, content_type="application/pdf")


def _file(name="file.pdf"):
    return ContentFile(factories.TINY_PDF, name=name)


def build():
    from assessments.models import (
        ActivityFile,
        SelfAssessment,
        StationProfile,
    )
    from awards import funds, nominations, rectification
    from awards.forms.nominations import BatchForm
    from awards.models import UsageLine
    from stations import publication
    from stations.models import Application, CallDocument, LeadershipMeeting
    from talentstation import publicity as publicity_service
    from talentstation.dates import today
    from talentstation.models import (
        ExpertAffiliation,
        Objection,
        PolicyDocument,
        SiteVisitPhoto,
    )
    from talentstation.models.front_door import PolicyAnnex
    from talentstation.notifications import notify
    from talentstation.roles import Role
    from talentstation.workflow import perform

    day = today()
    staff = factories.UserFactory(role=Role.STAFF, is_staff=True)
    official = factories.UserFactory(role=Role.OFFICIAL)
    expert = factories.UserFactory(role=Role.EXPERT)
    other_expert = factories.UserFactory(role=Role.EXPERT)
    unit = factories.HostUnitFactory()
    unit_b = factories.HostUnitFactory()
    applicant_a = factories.applicant_user(unit)
    applicant_b = factories.applicant_user(unit_b)
    forgetful = factories.applicant_user(unit_b, is_admin=False)
    member = unit.members.get(user=applicant_a)
    perform(unit, "verify", by=staff)
    perform(unit_b, "verify", by=staff)

    # The open call, its document, and unit A's application in expert review.
    call = factories.CallFactory(
        year=day.year,
        open_date=day - datetime.timedelta(days=30),
        close_date=day + datetime.timedelta(days=30),
    )
    call_document = CallDocument.objects.create(call=call, title="申报通知", file=_file())
    application = factories.ApplicationFactory(call=call, host_unit=unit)
    attachment = factories.AttachmentFactory(application=application)
    attachment_spare = factories.AttachmentFactory(application=application)
    perform(application, "submit", by=applicant_a)
    perform(application, "accept", by=staff)
    application.refresh_from_db()
    assignment = factories.ready_reviewer(application, expert, staff=staff)
    photo = SiteVisitPhoto.objects.create(
        assignment=assignment, file=_file("visit.pdf"), original_name="visit.pdf"
    )
    affiliation = ExpertAffiliation.objects.create(
        expert=expert, organisation="福州某大学", credit_code=factories.valid_code(9_000_001)
    )

    # Last year's approved application of unit A under publicity, with an objection.
    old_call = factories.CallFactory(year=day.year - 1)
    approved = factories.ApplicationFactory(call=old_call, host_unit=unit)
    with time_machine.travel(datetime.datetime(day.year - 1, 8, 1, 10)):
        perform(approved, "submit", by=applicant_a)
    perform(approved, "accept", by=staff)
    Application.objects.filter(pk=approved.pk).update(status="shortlisted")
    approved.refresh_from_db()
    meeting = LeadershipMeeting.objects.create(
        date=day - datetime.timedelta(days=20), reference="会议纪要", minutes=_file("minutes.pdf")
    )
    perform(approved, "approve", by=staff, meeting=meeting)
    publicity = publication.publicity_for(
        [approved], by=staff, title="拟认定名单公示", basis="依据第十条", contact="0591-00000000"
    )
    publicity_service.start(publicity, by=staff, start_date=day - datetime.timedelta(days=2))
    publicity.refresh_from_db()
    objection = Objection.objects.create(
        publicity=publicity,
        item=publicity.items.first(),
        channel=Objection.Channel.ONLINE,
        name="李四",
        contact="13900000000",
        reason="材料不实",
        evidence=_file("evidence.pdf"),
    )

    # Unit A's certified station and its records.
    station = factories.live_station(unit, staff=staff, certified_on=day.replace(year=day.year - 3))
    station.refresh_from_db()
    activity = factories.ActivityFactory(station=station)
    activity_file = ActivityFile.objects.create(
        activity=activity,
        kind=ActivityFile.Kind.PHOTO,
        file=_file("photo.pdf"),
        original_name="photo.pdf",
        size=len(factories.TINY_PDF),
        uploaded_by=applicant_a,
    )
    activity_file_spare = ActivityFile.objects.create(
        activity=activity,
        kind=ActivityFile.Kind.SIGN_IN,
        file=_file("sign-in.pdf"),
        original_name="sign-in.pdf",
        size=len(factories.TINY_PDF),
        uploaded_by=applicant_a,
    )
    service = factories.ServiceRecordFactory(station=station)
    profile = StationProfile.objects.create(
        station=station, area_m2=Decimal("300"), asset_rules_document=_file("rules.pdf")
    )
    referral = factories.TalentReferralFactory(station=station, evidence=_file("referral.pdf"))
    report = factories.StationReportFactory(
        station=station, year=day.year, document=_file("plan.pdf")
    )

    # The cycle under way: the station's assessment, scored by the expert, its self-assessment.
    cycle = factories.open_cycle(staff, first_year=day.year - 2)
    assessment = cycle.assessments.get(station=station)
    factories.declared_scorer(assessment, staff=staff, scorer=expert)
    self_assessment = SelfAssessment.objects.create(
        assessment=assessment, summary="自评", attachment=_file("self.pdf")
    )

    # A closed cycle with a published ranking: unit A's station's award, paid, its report.
    closed = factories.closed_cycle(
        {"优秀驿站": None}, staff=staff, first_year=day.year - 4, unit=unit
    )
    award = factories.published_award(unit, staff=staff, cycle=closed)
    ranking = award.entry.ranking
    award = funds.pay(
        award,
        by=staff,
        paid_on=day,
        amount=award.amount_due,
        voucher_reference="凭证1号",
        voucher_file=_pdf("voucher.pdf"),
        payee_name="福州某依托机构",
        payee_credit_code=factories.valid_code(7),
    )
    usage_report = award.usage_report
    usage_report.attachment = _file("usage.pdf")
    usage_report.save(update_fields=["attachment"])
    usage_line = UsageLine.objects.create(
        report=usage_report,
        purpose="roadshow",
        description="项目路演场地",
        spent_on=day,
        amount=Decimal("1000"),
        receipt=_file("receipt.pdf"),
    )

    # A rectification order issued to unit A's station; a nomination batch with it.
    order = rectification.create_order(
        station, by=staff, reason="日常监督发现问题", problem="未配备服务人员"
    )
    rectification.issue(order, by=staff, issued_on=day)
    rectification.file_report(
        order, by=applicant_a, text="已配备服务人员", evidence=_pdf("rectified.pdf")
    )
    order.refresh_from_db()
    form = BatchForm(
        {
            "title": "市级人才驿站推荐",
            "level": "city",
            "programme": "福州市级人才驿站",
            "submitting_unit": "福州高新区人力资源和社会保障局",
        }
    )
    assert form.is_valid(), form.errors
    batch = nominations.create_batch(form, by=staff)
    nomination = nominations.add_station(batch, station, by=staff)

    users = {
        "anonymous": None,
        "applicant_a": applicant_a,
        "applicant_b": applicant_b,
        "expert": expert,
        "other_expert": other_expert,
        "staff": staff,
        "official": official,
    }
    notices = {}
    for role, user in users.items():
        if user is not None:
            (notices[role],) = notify(user, subject="通知", body="正文", link="/", email=False)
    _admin_only_rows(application, applicant_a, day)
    annex = PolicyAnnex.objects.filter(file__gt="").first() or PolicyAnnex.objects.first()
    return {
        "users": users,
        "notification": notices,  # per role: each user opens his own
        "unit": unit,
        "member": member,
        "call": call,
        "call_document": call_document,
        "application": application,
        "attachment": attachment,
        "attachment_spare": attachment_spare,  # for the delete pages (files deleted at once)
        "assignment": assignment,
        "photo": photo,
        "affiliation": affiliation,
        "meeting": meeting,
        "publicity": publicity,
        "objection": objection,
        "policy": PolicyDocument.objects.first(),
        "annex": annex,
        "station": station,
        "plaque": station.plaque_number,
        "activity": activity,
        "activity_file": activity_file,
        "activity_file_spare": activity_file_spare,
        "service": service,
        "profile": profile,
        "rule": "asset_rules",
        "referral": referral,
        "report": report,
        "year": report.year,
        "kind": report.kind,
        "cycle": cycle,
        "closed_cycle": closed,
        "assessment": assessment,
        "self_assessment": self_assessment,
        "ranking": ranking,
        "entry": award.entry,
        "award": award,
        "usage_report": usage_report,
        "usage_line": usage_line,
        "order": order,
        "batch": batch,
        "nomination": nomination,
        "panel": "stations",
        "model_label": "stations.application",
        "transition": "return_for_correction",
        # A user who never logs in here: the reset link stays valid.
        "uidb64": urlsafe_base64_encode(force_bytes(forgetful.pk)),
        "token": default_token_generator.make_token(forgetful),
    }


def _admin_only_rows(application, user, day):
    """A row of each model seen only in admin (the admin rule opens one of each)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from assessments.models import ReportSchedule
    from talentstation.models import CalendarDay, CalendarYear, RateLimitCounter, Reminder

    # A name no test user logs in with: a login resets its attempts.
    seen = {"user_agent": "pytest", "ip_address": "192.0.2.1", "username": "guessed-name"}
    AccessAttempt.objects.create(**seen, failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    far = CalendarYear.objects.create(year=2099)  # not a year the portal counts days of
    CalendarDay.objects.create(
        year=far, date=datetime.date(2099, 1, 1), kind="holiday", name="元旦"
    )
    now = timezone.now()
    RateLimitCounter.objects.create(
        scope="test", client="127.0.0.1", period=60, window_start=now, expires_at=now
    )
    Reminder.objects.create(
        recipient=user,
        content_type=ContentType.objects.get_for_model(application),
        object_id=application.pk,
        kind="test",
        due=day,
        lead_days=7,
        run_date=day,
    )
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.test import RequestFactory

    from talentstation.access_log import record_access

    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(application),
        object_id=str(application.pk),
        object_repr=str(application),
        action_flag=ADDITION,
    )
    request = RequestFactory().get(f"/applications/{application.pk}/")
    request.user = user
    record_access(request, application, "view", str(application))
    ReportSchedule.objects.get_or_create(
        year=2099,
        defaults={
            "plan_due": datetime.date(2099, 3, 31),
            "summary_due": datetime.date(2100, 1, 31),
        },
    )
