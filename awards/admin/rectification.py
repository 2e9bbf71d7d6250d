"""Admin of the rectification part."""
