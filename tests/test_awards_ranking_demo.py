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
    # 乌龙江人才服务驿站 scored below 60: two excellent stations only.
    assert [e.rank for e in excellent] == [1, 2]
    assert "乌龙江人才服务驿站" not in {e.station.name for e in excellent}
    assert sorted(Award.objects.values_list("amount_due", flat=True)) == [
        Decimal("30000.00"),
        Decimal("50000.00"),
    ]
    assert Publicity.objects.get(purpose="excellent_stations").status == "concluded"
