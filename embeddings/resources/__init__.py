"""Data files the package reads at run time (see README.md for where each came from)."""
