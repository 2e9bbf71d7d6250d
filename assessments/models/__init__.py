"""The models of station operations and the biennial assessment, a module per aggregate."""

from .activities import (
    Activity,
    ActivityFile,
    ActivityKind,
    ActivityMode,
    ReviewedEntry,
    ServiceKind,
    ServiceRecord,
)
from .profile import RuleState, StationProfile, profile_measures_as_of
from .referrals import ProgrammeLevel, TalentReferral
from .reports import ReportKind, ReportSchedule, StationReport

__all__ = [
    "Activity",
    "ActivityFile",
    "ActivityKind",
    "ActivityMode",
    "ProgrammeLevel",
    "ReportKind",
    "ReportSchedule",
    "ReviewedEntry",
    "RuleState",
    "ServiceKind",
    "ServiceRecord",
    "StationProfile",
    "StationReport",
    "TalentReferral",
    "profile_measures_as_of",
]
