from .applications import Application, Attachment, SubmittedRevision
from .calls import Call, CallDocument
from .review import LeadershipMeeting
from .stations import PlaqueSequence, Station, StationType, next_plaque_number
from .units import HostUnit, UnitMember

__all__ = [
    "Application",
    "Attachment",
    "Call",
    "CallDocument",
    "LeadershipMeeting",
    "PlaqueSequence",
    "HostUnit",
    "Station",
    "StationType",
    "SubmittedRevision",
    "UnitMember",
    "next_plaque_number",
]
