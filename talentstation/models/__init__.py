from .calendar import CalendarDay, CalendarYear
from .notifications import Notification, OutboxEmail
from .policy import PolicyVersion
from .publicity import Objection, Publicity, PublicityItem
from .ratelimit import RateLimitCounter
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
    "TransitionLog",
    "User",
]
