"""Admin of the awards app, one module per part."""

from . import funds, nominations, ranking, rectification  # noqa: F401
