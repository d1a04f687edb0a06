"""Retrieve: hybrid search, typo correction, and what a question asks for."""
