"""Admin of the ranking part."""
