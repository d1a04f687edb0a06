"""One router per feature, combined in the order they must be tried."""

from __future__ import annotations

from aiogram import Router

from bot.handlers import admin, buttons, commands, edits, errors, groups, inline, private


def build_router() -> Router:
    """The bot's routers: commands first, then buttons, inline queries, private chats, groups, edits, errors."""
    root = Router(name="bot")
    root.include_routers(
        commands.create_router(),
        admin.create_router(),
        buttons.create_router(),
        inline.create_router(),
        private.create_router(),
        groups.create_router(),
        edits.create_router(),
        errors.create_router(),
    )
    return root
