"""Admin of the funds part."""
