from .assignments import ExpertAffiliation, ScorerAssignment, SiteVisitPhoto
from .audit import AccessLog
from .calendar import CalendarDay, CalendarYear
from .notifications import Notification, OutboxEmail
from .policy import PolicyVersion
from .publicity import Objection, Publicity, PublicityItem
from .ratelimit import RateLimitCounter
from .reminders import Reminder
from .scoring import (
    ScoreEntry,
    ScoreItem,
    ScoreSheet,
    ScoreSheetTemplate,
    ScoreTier,
    ScoreTierCondition,
)
from .submissions import SubmissionToken
from .transitions import TransitionLog
from .users import User

__all__ = [
    "AccessLog",
    "CalendarDay",
    "ExpertAffiliation",
    "ScorerAssignment",
    "SiteVisitPhoto",
    "CalendarYear",
    "Notification",
    "OutboxEmail",
    "Objection",
    "PolicyVersion",
    "Publicity",
    "PublicityItem",
    "RateLimitCounter",
    "Reminder",
    "ScoreEntry",
    "ScoreItem",
    "ScoreSheet",
    "ScoreSheetTemplate",
    "ScoreTier",
    "ScoreTierCondition",
    "SubmissionToken",
    "TransitionLog",
    "User",
]
from .front_door import (  # noqa: E402
    FaqEntry,
    GuideSection,
    PolicyAnnex,
    PolicyDocument,
    ServiceContact,
)

__all__ += ["FaqEntry", "GuideSection", "PolicyAnnex", "PolicyDocument", "ServiceContact"]
