"""The admin of station operations and the biennial assessment, a module per aggregate."""
