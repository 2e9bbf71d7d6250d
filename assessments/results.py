"""What the outcomes of an assessment cycle build on (ranking, top 3, rectification).

:func:`final_scores` gives, for a closed cycle, each station's final score (a ``Decimal`` with
two places, rounded half-up when it was stored at closing, or as corrected by staff since) and
its points per item of the cycle's Annex 2 sheet, in two queries.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from .models import ItemScore


@dataclass(frozen=True)
class ItemPoints:
    item: object  # talentstation.ScoreItem of the cycle's sheet
    points: Decimal


@dataclass(frozen=True)
class FinalScore:
    station: object  # stations.Station
    score: Decimal | None  # None: no year of the cycle counted for the station
    items: list  # [ItemPoints], in the sheet's order
    assessment: object


def final_scores(cycle) -> list[FinalScore]:
    """The final scores of a closed cycle, best first (stations without a score last).

    Raises ValueError for a cycle that is not closed: its scores are not final yet.
    """
    if not cycle.is_closed:
        raise ValueError("final_scores() needs a closed cycle")
    assessments = (
        cycle.assessments.select_related("station__host_unit")
        .prefetch_related(
            Prefetch(
                "item_scores",
                queryset=ItemScore.objects.select_related("item").order_by(
                    "item__order", "item__pk"
                ),
            )
        )
        .order_by("station__name", "pk")
    )
    rows = [
        FinalScore(
            station=a.station,
            score=a.score,
            items=[ItemPoints(s.item, s.points) for s in a.item_scores.all()],
            assessment=a,
        )
        for a in assessments
    ]
    return sorted(rows, key=lambda r: (r.score is None, -(r.score or 0)))
