"""Updates being handled, counted, so that a stop can wait for their answers."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from bot.middlewares.base import NextHandler


class InFlight(BaseMiddleware):
    """Counts updates being handled, so that a stop can wait for their answers."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(
        self,
        handler: NextHandler,
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        self._count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self._count -= 1
            if self._count == 0:
                self._idle.set()

    @property
    def count(self) -> int:
        """Updates being handled right now."""
        return self._count

    async def wait_idle(self, grace: float) -> bool:
        """Wait until no update is being handled; False when `grace` seconds ran out first."""
        try:
            await asyncio.wait_for(self._idle.wait(), grace)
        except TimeoutError:
            return False
        return True
