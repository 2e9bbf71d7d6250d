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

__all__ = [
    "Assessment",
    "AssessmentCycle",
    "AssessmentYear",
    "ItemScore",
    "SelfAssessment",
    "SelfAssessmentClaim",
    "TierOverride",
]
