"""The ranking step of the demo district: the closed cycle's results are published with their
excellent stations and awards."""

from decimal import Decimal

import pytest

from awards.models import Award, Ranking
from talentstation.models import Publicity

from .test_demo import load_demo


@pytest.mark.django_db
def test_the_demo_publishes_the_closed_cycles_results(settings):
    settings.DEBUG = True
    load_demo()
    ranking = Ranking.objects.get()
    assert ranking.status == Ranking.Status.PUBLISHED and ranking.notice_number
    assert (ranking.cycle.first_year, ranking.meeting_reference[:4]) == (2023, "2025")
    excellent = [e for e in ranking.entries.order_by("position") if e.is_excellent]
    # 闽侯智谷 and 海西园 tie at 100 on every tie-break item: staff set the order, with the
    # reason; 乌龙江人才服务驿站 scored below 60.
    assert [(e.rank, e.station.name[5:]) for e in excellent] == [
        (1, "闽侯智谷人才驿站"),
        (2, "海西园人才驿站"),
        (3, "南屿科创人才驿站"),
    ]
    assert [e.tie_decision for e in excellent[:2]] == ["staff", "staff"]
    assert "闽侯智谷" in excellent[0].tie_note
    assert "乌龙江人才服务驿站" not in {e.station.name for e in excellent}
    assert sorted(Award.objects.values_list("amount_due", flat=True)) == [
        Decimal("20000.00"),
        Decimal("30000.00"),
        Decimal("50000.00"),
    ]
    assert Publicity.objects.get(purpose="excellent_stations").status == "concluded"
