"""Logging that never shows a secret, whoever formats the message."""

from __future__ import annotations

import logging

_MASK = "***"


class RedactSecrets(logging.Filter):
    """Replaces every registered secret in a record's formatted message with ***."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            # The traceback is formatted later; scrub the exception's own text now.
            exc = record.exc_info[1]
            exc.args = tuple(self._scrub(a) if isinstance(a, str) else a for a in exc.args)
        record.msg, record.args = self._scrub(message), None
        return True

    def _scrub(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, _MASK)
        return value


_FILTER = RedactSecrets()


def redact_secret(secret: str) -> None:
    """Hide `secret` in every log line from now on (installs the filter on the root handlers)."""
    if not secret:
        return
    _FILTER.secrets.add(secret)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
