"""Ingest: the articles of a story and their sentence-aware chunks."""
