"""Inline buttons; their `callback_data` stays far below Telegram's 64 bytes.

A button that names a place in an article (a quote's context, a page) carries
the article's position in the index and the index's version: after a reindex
the same position may hold another article, and the button then says so.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import Lang, text

VERSION_CHARS = 8


class AnswerAction(CallbackData, prefix="a"):
    """A button press on an answer: `more` (page `page`), `up` or `down`."""

    action: str
    id: str
    page: int = 0


class ContextAction(CallbackData, prefix="c"):
    """Show the paragraph around characters `s`..`e` of the article at position `a` of index version `v`."""

    v: str
    a: int
    s: int
    e: int


class PageAction(CallbackData, prefix="p"):
    """Show page `p` of the article at position `a` of index version `v`; `c` is the page shown (-1: none yet)."""

    v: str
    a: int
    p: int
    c: int = -1


class BriefAction(CallbackData, prefix="b"):
    """Show the story in brief."""


def answer_keyboard(
    answer_id: str, lang: Lang, *, more: bool, up: int = 0, down: int = 0, context: str | None = None
) -> InlineKeyboardMarkup:
    """👍 / 👎 (with their counts once someone voted), the quote's context, and "more passages" for found answers."""
    rows = [
        [
            InlineKeyboardButton(
                text=f"👍 {up}" if up else "👍", callback_data=AnswerAction(action="up", id=answer_id).pack()
            ),
            InlineKeyboardButton(
                text=f"👎 {down}" if down else "👎", callback_data=AnswerAction(action="down", id=answer_id).pack()
            ),
        ]
    ]
    second = [InlineKeyboardButton(text=text("context_button", lang), callback_data=context)] if context else []
    if more:
        second.append(more_button(answer_id, 0, lang))
    if second:
        rows.append(second)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def more_button(answer_id: str, page: int, lang: Lang) -> InlineKeyboardButton:
    """The button that shows page `page` of an answer's passages."""
    return InlineKeyboardButton(
        text=text("more_button", lang), callback_data=AnswerAction(action="more", id=answer_id, page=page).pack()
    )


def context_data(version: str, position: int, start: int, end: int) -> str:
    """The `callback_data` of a quote's "Context" button."""
    return ContextAction(v=version[:VERSION_CHARS], a=position, s=start, e=end).pack()


def brief_keyboard(lang: Lang, title: str) -> InlineKeyboardMarkup:
    """One button that shows the story in brief."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=brief_label(title), callback_data=BriefAction().pack())]]
    )


def brief_label(title: str) -> str:
    """The text of the brief's button (also typed back by the reply keyboard of /start)."""
    return f"📰 {title}"


def read_keyboard(version: str, positions: list[int], lang: Lang, per_row: int = 3) -> InlineKeyboardMarkup:
    """ "Read [n]" for each listed article, `per_row` to a row (Telegram shows at most 100 buttons)."""
    buttons = [
        InlineKeyboardButton(
            text=text("read_button", lang, number=number),
            callback_data=PageAction(v=version[:VERSION_CHARS], a=position, p=0).pack(),
        )
        for number, position in enumerate(positions[:99], start=1)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])


def read_article_keyboard(version: str, position: int, page: int, lang: Lang) -> InlineKeyboardMarkup:
    """One button opening the article at `page`."""
    data = PageAction(v=version[:VERSION_CHARS], a=position, p=page).pack()
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text("read_article", lang), callback_data=data)]]
    )


def page_keyboard(version: str, position: int, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀ ▶ under page `page` of `pages` (none for a one-page article); at either end a button stays on its page."""
    if pages <= 1:
        return None

    def turn(label: str, target: int) -> InlineKeyboardButton:
        data = PageAction(v=version[:VERSION_CHARS], a=position, p=target, c=page).pack()
        return InlineKeyboardButton(text=label, callback_data=data)

    return InlineKeyboardMarkup(inline_keyboard=[[turn("◀", max(page - 1, 0)), turn("▶", min(page + 1, pages - 1))]])


class QuotesAction(CallbackData, prefix="q"):
    """Show page `p` of the quotes of speaker `s` (in /quotes order) of index version `v`; `c`: the page shown."""

    v: str
    s: int
    p: int
    c: int = -1


def speakers_keyboard(version: str, names: list[str], lang: Lang) -> InlineKeyboardMarkup | None:
    """One button per speaker of /quotes (up to 99), each opening that speaker's quotes."""
    rows = [
        [
            InlineKeyboardButton(
                text=text("quotes_button", lang, name=name),
                callback_data=QuotesAction(v=version[:VERSION_CHARS], s=number, p=0).pack(),
            )
        ]
        for number, name in enumerate(names[:99])
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def quotes_keyboard(version: str, speaker: int, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀ ▶ under page `page` of a speaker's quotes (none for one page); at either end a button stays on its page."""
    if pages <= 1:
        return None

    def turn(label: str, target: int) -> InlineKeyboardButton:
        data = QuotesAction(v=version[:VERSION_CHARS], s=speaker, p=target, c=page).pack()
        return InlineKeyboardButton(text=label, callback_data=data)

    return InlineKeyboardMarkup(inline_keyboard=[[turn("◀", max(page - 1, 0)), turn("▶", min(page + 1, pages - 1))]])


class DeskAction(CallbackData, prefix="d"):
    """An admin's button on an article: `add` / `cancel` a draft (`key`), `ask` / `remove` / `keep` an article
    (`key`: a hash of its id), `page` of the list to remove from (`key`: the page shown)."""

    action: str
    key: str = ""
    page: int = 0


def draft_keyboard(key: str, lang: Lang) -> InlineKeyboardMarkup:
    """Add or cancel the draft shown above."""
    return _choice(key, lang, ("article_add_button", "add"), ("article_cancel_button", "cancel"))


def _choice(key: str, lang: Lang, *buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    """One row of buttons on the article or draft `key`: (text key, desk action) each."""
    row = [
        InlineKeyboardButton(text=text(label, lang), callback_data=DeskAction(action=action, key=key).pack())
        for label, action in buttons
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def removal_keyboard(articles: list[tuple[str, str]], page: int, pages: int) -> InlineKeyboardMarkup:
    """One button per article (key, label) of this page of the list, then ◀ ▶ when there are more pages."""
    rows = [[InlineKeyboardButton(text=label, callback_data=DeskAction(action="ask", key=key).pack())]
            for key, label in articles]  # fmt: skip
    if pages > 1:
        rows.append(
            [
                InlineKeyboardButton(
                    text="◀", callback_data=DeskAction(action="page", key=str(page), page=max(page - 1, 0)).pack()
                ),
                InlineKeyboardButton(
                    text="▶",
                    callback_data=DeskAction(action="page", key=str(page), page=min(page + 1, pages - 1)).pack(),
                ),
            ]
        )
    return InlineKeyboardMarkup(inline_keyboard=rows)


def confirm_removal_keyboard(key: str, lang: Lang) -> InlineKeyboardMarkup:
    """Remove the article, or keep it."""
    return _choice(key, lang, ("remove_button", "remove"), ("keep_button", "keep"))
