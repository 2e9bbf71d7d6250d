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

__all__ = [
    "Activity",
    "ActivityFile",
    "ActivityKind",
    "ActivityMode",
    "ReviewedEntry",
    "ServiceKind",
    "ServiceRecord",
]
