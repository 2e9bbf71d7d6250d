"""The models of station operations and the biennial assessment, a module per aggregate."""

from .profile import RuleState, StationProfile, profile_measures_as_of
from .referrals import ProgrammeLevel, TalentReferral
from .reports import ReportKind, ReportSchedule, StationReport

__all__ = [
    "ProgrammeLevel",
    "ReportKind",
    "ReportSchedule",
    "RuleState",
    "StationProfile",
    "StationReport",
    "TalentReferral",
    "profile_measures_as_of",
]
