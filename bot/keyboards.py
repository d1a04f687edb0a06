"""Inline buttons under answers; their `callback_data` stays far below Telegram's 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import Lang, text


class AnswerAction(CallbackData, prefix="a"):
    """A button press on an answer: `more` (page `page`), `up` or `down`."""

    action: str
    id: str
    page: int = 0


def answer_keyboard(answer_id: str, lang: Lang, *, more: bool, up: int = 0, down: int = 0) -> InlineKeyboardMarkup:
    """👍 / 👎 (with their counts once someone voted) and, for found answers, "more passages"."""
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
    if more:
        rows.append([more_button(answer_id, 0, lang)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def more_button(answer_id: str, page: int, lang: Lang) -> InlineKeyboardButton:
    """The button that shows page `page` of an answer's passages."""
    return InlineKeyboardButton(
        text=text("more_button", lang), callback_data=AnswerAction(action="more", id=answer_id, page=page).pack()
    )
