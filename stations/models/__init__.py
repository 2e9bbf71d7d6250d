from .applications import Application, Attachment, SubmittedRevision
from .calls import Call, CallDocument
from .review import ExpertAffiliation, LeadershipMeeting, ReviewAssignment, SiteVisitPhoto
from .stations import PlaqueSequence, Station, StationType, next_plaque_number
from .units import HostUnit, UnitMember

__all__ = [
    "Application",
    "Attachment",
    "Call",
    "CallDocument",
    "ExpertAffiliation",
    "LeadershipMeeting",
    "PlaqueSequence",
    "ReviewAssignment",
    "SiteVisitPhoto",
    "HostUnit",
    "Station",
    "StationType",
    "SubmittedRevision",
    "UnitMember",
    "next_plaque_number",
]
