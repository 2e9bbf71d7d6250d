"""Admin of the nominations part."""
