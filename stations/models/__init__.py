from .applications import Application
from .calls import Call
from .stations import Station, StationType
from .units import HostUnit, UnitMember

__all__ = ["Application", "Call", "HostUnit", "Station", "StationType", "UnitMember"]
