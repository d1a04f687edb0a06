"""What every middleware shares: the type of the next handler, and the update id for logs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import TelegramObject, Update

log = logging.getLogger(__name__)

# What an update/message middleware calls to go on.
NextHandler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def update_id(data: dict[str, Any]) -> int | None:
    """The id of the update being handled, for logs."""
    update = data.get("event_update")
    return update.update_id if isinstance(update, Update) else None
