"""The factory the outcome tests build on: a really scored, closed assessment cycle."""

from decimal import Decimal

import pytest

from assessments.results import final_scores

from . import factories


@pytest.mark.django_db
def test_closed_cycle_gives_each_station_the_sum_of_its_points():
    cycle = factories.closed_cycle(
        {"甲": None, "乙": {"开展活动": 18}, "丙": {"人才服务": 0, "开展活动": 0}}
    )
    scores = {r.station.name: r.score for r in final_scores(cycle)}
    assert scores == {"甲": Decimal("100.00"), "乙": Decimal("88.00"), "丙": Decimal("45.00")}
    assert cycle.is_closed and set(cycle.stations_by_name) == {"甲", "乙", "丙"}
