"""One router per feature, combined in the order they must be tried."""

from __future__ import annotations

from aiogram import Router

from bot.handlers import (
    admin,
    articles,
    brief,
    buttons,
    channels,
    commands,
    context,
    edits,
    errors,
    gaps,
    groups,
    inline,
    pages,
    private,
    quotes,
)


def build_router(*, source_channels: bool = False) -> Router:
    """The bot's routers: commands and the reader's features first, then buttons, inline, chats, edits, errors.

    The reader's and the admins' routers come before `buttons` (whose last
    handler answers any button it does not know) and `private` (which reads
    any text, or a forward's, as a question). The source channels' router is
    there only with `source_channels`: otherwise the bot does not even ask
    Telegram for channel posts.
    """
    routers = [
        commands.create_router(),
        admin.create_router(),
        articles.create_router(),
        gaps.create_router(),
        brief.create_router(),
        context.create_router(),
        pages.create_router(),
        quotes.create_router(),
        buttons.create_router(),
        inline.create_router(),
        private.create_router(),
        groups.create_router(),
        edits.create_router(),
    ]
    if source_channels:
        routers.append(channels.create_router())
    root = Router(name="bot")
    root.include_routers(*routers, errors.create_router())
    return root
