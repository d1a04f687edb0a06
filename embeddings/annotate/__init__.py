"""Annotations made once per sentence when the index is built: the typed answer candidates of the articles."""
