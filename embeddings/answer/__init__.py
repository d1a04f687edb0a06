"""Answer: the quoted evidence and the decision to answer, with its records."""
