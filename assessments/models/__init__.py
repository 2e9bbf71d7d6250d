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
from .cycles import (
    Assessment,
    AssessmentCycle,
    AssessmentYear,
    ItemScore,
    SelfAssessment,
    SelfAssessmentClaim,
    TierOverride,
)
from .profile import RuleState, StationProfile, profile_measures_as_of
from .referrals import ProgrammeLevel, TalentReferral
from .reports import ReportKind, ReportSchedule, StationReport

__all__ = [
    "Activity",
    "ActivityFile",
    "ActivityKind",
    "ActivityMode",
    "Assessment",
    "AssessmentCycle",
    "AssessmentYear",
    "ItemScore",
    "ProgrammeLevel",
    "ReportKind",
    "ReportSchedule",
    "ReviewedEntry",
    "RuleState",
    "SelfAssessment",
    "SelfAssessmentClaim",
    "ServiceKind",
    "ServiceRecord",
    "StationProfile",
    "StationReport",
    "TalentReferral",
    "TierOverride",
    "profile_measures_as_of",
]
