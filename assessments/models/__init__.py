"""The models of station operations and the biennial assessment, a module per aggregate."""

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
    "Assessment",
    "AssessmentCycle",
    "AssessmentYear",
    "ItemScore",
    "ProgrammeLevel",
    "ReportKind",
    "ReportSchedule",
    "RuleState",
    "SelfAssessment",
    "SelfAssessmentClaim",
    "StationProfile",
    "StationReport",
    "TalentReferral",
    "TierOverride",
    "profile_measures_as_of",
]
