"""Forms of the outcomes pages, a module per part."""
