"""Pages of station operations and the biennial assessment, a module per audience."""
