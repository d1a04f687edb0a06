"""Logging that never shows a secret, whoever formats the message."""

from __future__ import annotations

import json
import logging
import sys

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


# The attributes every LogRecord has; anything else on a record came as `extra=`.
_RECORD_FIELDS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the `extra` fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((k, v) for k, v in record.__dict__.items() if k not in _RECORD_FIELDS)
        if record.exc_info:
            entry["exc"] = _FILTER._scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(level: str, *, json_lines: bool) -> None:
    """Log to stderr, as JSON lines or as text, with secrets masked."""
    handler = logging.StreamHandler(sys.stderr)
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_FILTER)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # The Russian dictionaries say where they load from on first use: noise among the bot's own lines.
    logging.getLogger("pymorphy3").setLevel(max(root.level, logging.WARNING))
