from .calendar import CalendarDay, CalendarYear
from .notifications import Notification, OutboxEmail
from .policy import PolicyVersion
from .publicity import Objection, Publicity, PublicityItem
from .ratelimit import RateLimitCounter
from .scoring import ScoreEntry, ScoreItem, ScoreSheet, ScoreSheetTemplate, ScoreTier
from .transitions import TransitionLog
from .users import User

__all__ = [
    "CalendarDay",
    "CalendarYear",
    "Notification",
    "OutboxEmail",
    "Objection",
    "PolicyVersion",
    "Publicity",
    "PublicityItem",
    "RateLimitCounter",
    "ScoreEntry",
    "ScoreItem",
    "ScoreSheet",
    "ScoreSheetTemplate",
    "ScoreTier",
    "TransitionLog",
    "User",
]
