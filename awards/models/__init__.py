"""The outcomes of an assessment (Art. 13–15, 18–19): the ranking and the excellent stations,
their awards and the reports on the use of the money, rectification orders, and the
nomination batches exported as Annex 3."""

from .funds import Award, UsageLine, UsagePurpose, UsageReport
from .nominations import Nomination, NominationBatch
from .ranking import Ranking, RankingEntry
from .rectification import RectificationOrder, RectificationProblem

__all__ = [
    "Award",
    "Nomination",
    "NominationBatch",
    "Ranking",
    "RankingEntry",
    "RectificationOrder",
    "RectificationProblem",
    "UsageLine",
    "UsagePurpose",
    "UsageReport",
]
