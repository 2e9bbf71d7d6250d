"""The ranking of a closed cycle and its excellent stations: the proposal (exclusions, ties,
tie-break, staff decisions, awards from the settings), the transitions by role, the publicity
(withdrawal, conclusion, awards and certificates), the pages and the PDFs."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from awards import documents_ranking, ranking
from awards.models import Award, Ranking, RankingEntry
from talentstation import publicity as publicity_service
from talentstation.models import Objection, PolicyVersion, PublicityItem
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

TD = RankingEntry.TieDecision
EX = RankingEntry.Exclusion


def entries_by_name(obj):
    return {e.station.name: e for e in obj.entries.select_related("station")}


def pdf_text(pdf):
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def tie_at_three(staff_user):
    """甲 100, 乙 94, 丙 and 丁 88: 丁 has more points in 开展活动 (the first tie-break item)."""
    return factories.closed_cycle(
        {
            "甲": None,
            "乙": {"人员配备": 9},
            "丙": {"开展活动": 18},
            "丁": {"人员配备": 9, "制度建设": 9},
            "戊": {"人才服务": 0, "开展活动": 0},
        },
        staff=staff_user,
    )


@pytest.fixture
def tie_at_one(staff_user):
    """甲 and 乙 94 with the same points in both tie-break items; 丙 88."""
    return factories.closed_cycle(
        {"甲": {"人员配备": 9}, "乙": {"制度建设": 9}, "丙": {"开展活动": 18}}, staff=staff_user
    )


def test_tie_at_rank_three_is_decided_by_the_tie_break(tie_at_three, staff_user):
    obj = ranking.propose(tie_at_three, staff_user)
    assert obj.policy_version == tie_at_three.policy_version
    e = entries_by_name(obj)
    assert [e[n].position for n in "甲乙丁丙戊"] == [1, 2, 3, 4, 5]
    assert [e[n].rank for n in "甲乙丁丙戊"] == [1, 2, 3, None, None]
    assert [e[n].award_amount for n in "甲乙丁"] == [
        Decimal("50000.00"),
        Decimal("30000.00"),
        Decimal("20000.00"),
    ]
    assert e["丙"].tie_group == e["丁"].tie_group is not None
    assert e["甲"].tie_group is None
    assert e["丁"].tie_decision == e["丙"].tie_decision == TD.TIE_BREAK
    assert "开展活动" in e["丁"].tie_note
    assert e["丁"].tie_break_points == ["30.00", "25.00"]
    assert e["戊"].exclusion == EX.BELOW_PASS
    # No tie left to decide: propose needs only the confirmation reason.
    with pytest.raises(Refused, match="理由"):
        perform(obj, "propose", by=staff_user)
    perform(obj, "propose", by=staff_user, reason="丙丁同分，按开展活动项得分确定")
    obj.refresh_from_db()
    assert obj.status == Ranking.Status.PROPOSED
    assert obj.confirmation_reason.startswith("丙丁同分")


def test_tie_at_rank_one_the_tie_break_cannot_decide_staff_must(tie_at_one, staff_user, client):
    obj = ranking.propose(tie_at_one, staff_user)
    e = entries_by_name(obj)
    assert e["甲"].tie_decision == e["乙"].tie_decision == TD.PENDING
    with pytest.raises(Refused, match="请工作人员先确定"):
        perform(obj, "propose", by=staff_user, reason="确认")
    # Staff decide on the page: 乙 first.
    client.force_login(staff_user)
    url = reverse("awards:ranking_tie", args=[obj.pk, e["甲"].pk])
    page = client.get(url)
    assert page.status_code == 200
    bad = client.post(
        url, {f"tie-place_{e['甲'].pk}": 1, f"tie-place_{e['乙'].pk}": 1, "tie-reason": "x"}
    )
    assert bad.status_code == 200 and "不同的名次" in bad.content.decode()
    response = client.post(
        url,
        {
            f"tie-place_{e['甲'].pk}": 2,
            f"tie-place_{e['乙'].pk}": 1,
            "tie-reason": "乙驿站服务高层次人才人次更多",
        },
    )
    assert response.status_code == 302
    e = entries_by_name(obj)
    assert (e["乙"].position, e["乙"].rank, e["甲"].rank) == (1, 1, 2)
    assert e["乙"].tie_decision == e["甲"].tie_decision == TD.STAFF
    assert "乙驿站服务高层次人才人次更多" in e["乙"].tie_note
    assert e["乙"].award_amount == Decimal("50000.00")
    perform(obj, "propose", by=staff_user, reason="并列第一由工作人员确定")
    obj.refresh_from_db()
    assert obj.status == Ranking.Status.PROPOSED


def test_undecided_tie_beyond_the_cut_off_needs_no_decision(staff_user):
    cycle = factories.closed_cycle(
        {
            "甲": None,
            "乙": {"人员配备": 9},
            "丙": {"开展活动": 18},
            "丁": {"人员配备": 0},
            "戊": {"制度建设": 0},
        },
        staff=staff_user,
    )
    obj = ranking.propose(cycle, staff_user)
    e = entries_by_name(obj)
    assert e["丁"].tie_group == e["戊"].tie_group is not None
    assert TD.PENDING not in {x.tie_decision for x in e.values()}
    perform(obj, "propose", by=staff_user, reason="确认")


def test_fewer_than_three_reach_the_pass_mark(staff_user):
    cycle = factories.closed_cycle(
        {
            "甲": None,
            "乙": {"人才服务": 0, "开展活动": 0},
            "丙": {"人才服务": 0, "开展活动": 0, "场地配备": 0},
        },
        staff=staff_user,
    )
    obj = ranking.propose(cycle, staff_user)
    e = entries_by_name(obj)
    assert [e[n].rank for n in "甲乙丙"] == [1, None, None]
    assert e["乙"].exclusion == e["丙"].exclusion == EX.BELOW_PASS


def test_rectifying_and_revoked_stations_cannot_be_excellent(staff_user):
    cycle = factories.closed_cycle(
        {"甲": None, "乙": None, "丙": {"人员配备": 9}, "丁": {"人员配备": 0}}, staff=staff_user
    )
    stations = cycle.stations_by_name
    perform(stations["甲"], "start_rectification", by=staff_user, reason="整改")
    perform(stations["乙"], "start_rectification", by=staff_user, reason="整改")
    perform(stations["乙"], "revoke", by=staff_user, reason="收回")
    obj = ranking.propose(cycle, staff_user)
    e = entries_by_name(obj)
    assert (e["甲"].exclusion, e["乙"].exclusion) == (EX.RECTIFYING, EX.REVOKED)
    assert (e["甲"].rank, e["乙"].rank, e["丙"].rank, e["丁"].rank) == (None, None, 1, 2)
    # Their tie (both 100) does not matter: neither can be excellent.
    assert e["甲"].tie_decision == e["乙"].tie_decision == TD.NONE


def test_the_awards_come_from_the_pinned_settings(staff_user):
    base = PolicyVersion.current()
    base.pk = base.id = None
    base.excellent_count = 2
    base.awards = [{"rank": 1, "amount": "80000.00"}, {"rank": 2, "amount": "10000.00"}]
    base.save()
    cycle = factories.closed_cycle(
        {"甲": None, "乙": {"人员配备": 9}, "丙": {"开展活动": 18}}, staff=staff_user
    )
    assert cycle.policy_version == base
    obj = ranking.propose(cycle, staff_user)
    e = entries_by_name(obj)
    assert [e[n].award_amount for n in "甲乙丙"] == [Decimal("80000.00"), Decimal("10000.00"), None]
    assert e["丙"].rank is None
    published = publish(obj, staff_user)
    assert Award.objects.filter(entry__ranking=published).count() == 2


def approved(obj, staff):
    perform(obj, "propose", by=staff, reason="确认")
    ranking.approve(
        obj, by=staff, meeting_date=datetime.date(2026, 9, 20), meeting_reference="纪要第2号"
    )
    obj.refresh_from_db()
    return obj


def running_publicity(obj, staff):
    obj = approved(obj, staff)
    publicity = ranking.publicity_for(obj, staff, contact="电话 0591-00000000")
    publicity_service.start(publicity, by=staff, start_date=datetime.date(2026, 9, 28))
    return publicity


def publish(obj, staff):
    publicity = running_publicity(obj, staff)
    with time_machine.travel("2026-10-12 09:00 +0800"):
        publicity_service.conclude(
            publicity,
            by=staff,
            notice_number="榕高新区人社〔2026〕9号",
            notice_date=datetime.date(2026, 10, 12),
        )
    obj.refresh_from_db()
    return obj


def test_the_transitions_by_role(tie_at_three, staff_user, official_user):
    obj = ranking.propose(tie_at_three, staff_user)
    applicant = factories.applicant_user(tie_at_three.stations_by_name["甲"].host_unit)
    for user in (official_user, applicant):
        with pytest.raises(Refused, match="区人社局工作人员"):
            perform(obj, "propose", by=user, reason="确认")
        with pytest.raises(Refused):
            ranking.propose(tie_at_three, user)
    perform(obj, "propose", by=staff_user, reason="确认")
    for user in (official_user, applicant):
        with pytest.raises(Refused, match="区人社局工作人员"):
            ranking.approve(
                obj, by=user, meeting_date=datetime.date(2026, 9, 1), meeting_reference="x"
            )
    with pytest.raises(Refused, match="理由"):
        perform(obj, "reopen", by=staff_user)
    perform(obj, "reopen", by=staff_user, reason="分数更正后重新计算")
    obj.refresh_from_db()
    assert obj.status == Ranking.Status.DRAFT
    logs = [log.transition for log in obj_logs(obj)]
    assert logs == ["propose", "reopen"]


def obj_logs(obj):
    from talentstation.workflow import history

    return list(history(obj).order_by("pk"))


def test_publicity_start_withdraw_and_conclude(tie_at_three, staff_user):
    obj = ranking.propose(tie_at_three, staff_user)
    publicity = running_publicity(obj, staff_user)
    assert publicity.title.startswith("2024—2025年度")
    assert publicity.items.count() == 3
    obj.refresh_from_db()
    assert obj.status == Ranking.Status.PUBLICITY  # once, for all three entries
    assert [log.transition for log in obj_logs(obj)] == ["propose", "approve", "start_publicity"]
    e = entries_by_name(obj)
    item = publicity.items.get(object_id=e["乙"].pk)
    objection = Objection.objects.create(
        publicity=publicity,
        item=item,
        channel="letter",
        name="赵某",
        contact="来信",
        reason="数据不实",
    )
    perform(objection, "uphold", by=staff_user, reason="经核查活动数据不实")
    item.refresh_from_db()
    assert item.status == PublicityItem.Status.WITHDRAWN
    e = entries_by_name(obj)
    assert e["乙"].withdrawn_reason == "经核查活动数据不实"
    assert e["乙"].rank is None and e["乙"].award_amount is None and not e["乙"].is_excellent
    assert "异议成立" in e["乙"].history.first().history_change_reason
    with time_machine.travel("2026-10-12 09:00 +0800"):
        publicity_service.conclude(
            publicity,
            by=staff_user,
            notice_number="榕高新区人社〔2026〕9号",
            notice_date=datetime.date(2026, 10, 12),
        )
    obj.refresh_from_db()
    assert obj.status == Ranking.Status.PUBLISHED
    assert obj.notice_number == "榕高新区人社〔2026〕9号"
    e = entries_by_name(obj)
    awards = {a.station.name: a.amount_due for a in Award.objects.filter(entry__ranking=obj)}
    assert awards == {"甲": Decimal("50000.00"), "丁": Decimal("20000.00")}
    assert e["甲"].certificate_number and not e["乙"].certificate_number
    # The title on the public pages.
    station = tie_at_three.stations_by_name["甲"]
    assert ranking.excellent_titles(station) == ["2024—2025年度 福州高新区优秀人才驿站"]
    response = factories_client().get(reverse("stations:directory_station", args=[station.pk]))
    assert "2024—2025年度 福州高新区优秀人才驿站" in response.content.decode()
    verify = factories_client().get(reverse("stations:verify_plaque", args=[station.plaque_number]))
    assert "2024—2025年度 福州高新区优秀人才驿站" in verify.content.decode()


def factories_client():
    from django.test import Client

    return Client()


def test_results_notice_and_certificate_pdfs(tie_at_three, staff_user):
    obj = publish(ranking.propose(tie_at_three, staff_user), staff_user)
    text = pdf_text(documents_ranking.results_notice_pdf(obj))
    assert "人才驿站考核结果的通报" in text
    assert "榕高新区人社规〔2024〕2号" in text
    for name, grade in [("甲", "优秀"), ("丙", "合格"), ("戊", "不合格")]:
        assert f"{name}" in text and grade in text
    assert "50,000.00" in text and "20,000.00" in text
    assert "福州高新区人力资源和社会保障局" in text
    entry = entries_by_name(obj)["甲"]
    cert = pdf_text(documents_ranking.certificate_pdf(entry))
    assert "福州高新区优秀人才驿站" in cert
    assert entry.certificate_number in cert
    assert entry.station.host_unit.name in cert
    assert "第1名" in cert and "2024—2025年度" in cert


def test_the_ranking_page_by_role(
    tie_at_three, staff_user, official_user, client, django_assert_max_num_queries
):
    obj = ranking.propose(tie_at_three, staff_user)
    url = reverse("awards:ranking_detail", args=[obj.pk])
    assert client.get(url).status_code == 302  # anonymous: log in
    client.force_login(staff_user)
    with django_assert_max_num_queries(30):
        page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "丁" in body
        and "开展活动" in body
        and reverse("awards:ranking_propose", args=[obj.pk]) in body
    )
    client.force_login(official_user)
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("awards:ranking_propose", args=[obj.pk]) not in page.content.decode()
    assert (
        client.post(
            reverse("awards:ranking_propose", args=[obj.pk]), {"propose-reason": "x"}
        ).status_code
        == 403
    )
    obj.refresh_from_db()
    assert obj.status == Ranking.Status.DRAFT
    assert client.get(reverse("awards:results_notice", args=[obj.pk])).status_code == 200
    for role in (Role.APPLICANT, Role.EXPERT):
        user = factories.UserFactory(role=role)
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("awards:results_notice", args=[obj.pk])).status_code == 403


def test_staff_propose_and_approve_on_the_page(tie_at_three, staff_user, client):
    client.force_login(staff_user)
    compute = client.post(reverse("awards:ranking_compute", args=[tie_at_three.pk]))
    obj = Ranking.objects.get(cycle=tie_at_three)
    assert compute.status_code == 302
    assert client.get(reverse("awards:ranking_for_cycle", args=[tie_at_three.pk])).url.endswith(
        f"/rankings/{obj.pk}/"
    )
    empty = client.post(reverse("awards:ranking_propose", args=[obj.pk]), {"propose-reason": ""})
    assert empty.status_code == 200
    client.post(reverse("awards:ranking_propose", args=[obj.pk]), {"propose-reason": "确认"})
    obj.refresh_from_db()
    assert obj.status == Ranking.Status.PROPOSED
    future = client.post(
        reverse("awards:ranking_approve", args=[obj.pk]),
        {"approve-meeting_date": "2099-01-01", "approve-meeting_reference": "纪要"},
    )
    assert future.status_code == 200
    client.post(
        reverse("awards:ranking_approve", args=[obj.pk]),
        {"approve-meeting_date": "2026-09-20", "approve-meeting_reference": "纪要第2号"},
    )
    obj.refresh_from_db()
    assert obj.status == Ranking.Status.APPROVED and obj.meeting_reference == "纪要第2号"
    response = client.post(
        reverse("awards:ranking_publicity", args=[obj.pk]),
        {"publicity-title": "公示", "publicity-basis": "依据", "publicity-contact": "电话"},
    )
    assert response.status_code == 302 and "/admin/" in response.url


def test_a_unit_sees_only_its_own_result_and_certificate(tie_at_three, staff_user, client):
    obj = publish(ranking.propose(tie_at_three, staff_user), staff_user)
    e = entries_by_name(obj)
    own = factories.applicant_user(e["甲"].station.host_unit)
    client.force_login(own)
    mine = client.get(reverse("awards:mine"))
    body = mine.content.decode()
    assert "2024—2025年度 福州高新区优秀人才驿站" in body and "丁" not in body
    assert client.get(reverse("awards:certificate", args=[e["甲"].pk])).status_code == 200
    assert client.get(reverse("awards:certificate", args=[e["丁"].pk])).status_code == 404
    other = factories.applicant_user(e["丁"].station.host_unit)
    client.force_login(other)
    assert client.get(reverse("awards:certificate", args=[e["甲"].pk])).status_code == 404
    assert "甲" not in client.get(reverse("awards:mine")).content.decode()


def test_unit_has_no_certificate_before_publication(tie_at_three, staff_user, client):
    obj = ranking.propose(tie_at_three, staff_user)
    e = entries_by_name(obj)
    client.force_login(factories.applicant_user(e["甲"].station.host_unit))
    assert client.get(reverse("awards:certificate", args=[e["甲"].pk])).status_code == 404
    assert "2024—2025" not in client.get(reverse("awards:mine")).content.decode()


def test_hub_lists_the_cycles(tie_at_three, staff_user, client, django_assert_max_num_queries):
    ranking.propose(tie_at_three, staff_user)
    client.force_login(staff_user)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("awards:index"))
    assert page.status_code == 200
    assert reverse("awards:ranking_for_cycle", args=[tie_at_three.pk]) in page.content.decode()
