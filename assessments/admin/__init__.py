"""The admin of station operations and the biennial assessment, a module per aggregate."""

from . import (
    activities,  # noqa: F401
    cycles,  # noqa: F401 - registers the assessment cycles' admin
    records,  # noqa: F401 - registers the station records' admin
)
