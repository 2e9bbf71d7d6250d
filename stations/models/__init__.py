from .applications import Application, Attachment, SubmittedRevision
from .calls import Call
from .stations import Station, StationType
from .units import HostUnit, UnitMember

__all__ = [
    "Application",
    "Attachment",
    "Call",
    "HostUnit",
    "Station",
    "StationType",
    "SubmittedRevision",
    "UnitMember",
]
