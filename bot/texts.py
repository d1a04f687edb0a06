"""Everything a user reads, in Russian (the default) and English."""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["ru", "en"]

# Users whose Telegram is set to one of these read Russian; everyone else English.
_RUSSIAN_READERS = frozenset({"ru", "be", "uk", "kk", "ky", "uz", "tg", "hy", "az"})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")

TEXTS: dict[str, dict[Lang, str]] = {
    "sources_header": {"ru": "Источники:", "en": "Sources:"},
    "not_found": {
        "ru": "В статьях, которые я знаю, нет ответа на этот вопрос. Список статей: /sources",
        "en": "The articles I know do not answer this question. The list of articles: /sources",
    },
    "trimmed": {
        "ru": "Вопрос очень длинный: я искал ответ по первой тысяче символов.",
        "en": "Your question is very long: I searched with its first thousand characters.",
    },
    "empty_question": {
        "ru": "Напишите вопрос текстом — я найду ответ в статьях и процитирую источник.",
        "en": "Please type a question — I will find the answer in the articles and cite the source.",
    },
    "greeting": {
        "ru": (
            "Здравствуйте! Я отвечаю на вопросы по статьям об одной новости: {story}. "
            "Отвечаю цитатами и называю источник.\nПросто напишите вопрос."
        ),
        "en": (
            "Hello! I answer questions from the articles about one news story: {story}. "
            "I answer with quotes and name the source.\nJust type a question."
        ),
    },
    "help": {
        "ru": (
            "<b>Как спрашивать</b>\n"
            "• В личном чате любое сообщение — вопрос. Отвечаю цитатами из статей с номерами источников.\n"
            "• В группе упомяните меня ({mention} ваш вопрос), ответьте на моё сообщение "
            "или напишите команду как /sources@{username}.\n"
            "• /sources — список статей, которые я знаю.\n"
            "Если в статьях нет ответа, я так и скажу — ничего не выдумываю."
        ),
        "en": (
            "<b>How to ask</b>\n"
            "• In a private chat every message is a question. I answer with quotes from the articles and "
            "numbered sources.\n"
            "• In a group, mention me ({mention} your question), reply to my message, "
            "or send a command as /sources@{username}.\n"
            "• /sources — the articles I know.\n"
            "When the articles do not answer, I say so — I never make things up."
        ),
    },
    "examples": {"ru": "Например:", "en": "For example:"},
    "sources_title": {"ru": "<b>Статьи, которые я знаю ({count}):</b>", "en": "<b>The articles I know ({count}):</b>"},
    "passages": {"ru": "фрагментов: {count}", "en": "passages: {count}"},
    "no_sources": {"ru": "Пока я не знаю ни одной статьи.", "en": "I know no articles yet."},
    "non_text": {
        "ru": "Я отвечаю только на текстовые вопросы. Напишите вопрос словами.",
        "en": "I only answer text questions. Please type your question.",
    },
    "mention_hint": {
        "ru": "Задайте вопрос после упоминания: {mention} ваш вопрос",
        "en": "Put your question after the mention: {mention} your question",
    },
    "error": {
        "ru": "Извините, что-то пошло не так. Попробуйте ещё раз чуть позже.",
        "en": "Sorry, something went wrong. Please try again in a moment.",
    },
    "cmd_start": {"ru": "Начать и примеры вопросов", "en": "Start and example questions"},
    "cmd_help": {"ru": "Как пользоваться ботом", "en": "How to use the bot"},
    "cmd_sources": {"ru": "Список статей", "en": "The articles I know"},
    "console_intro": {
        "ru": "Консольный чат: тот же конвейер, что у бота. Пишите вопросы; пустая строка или Ctrl-D — выход.",
        "en": "Console chat on the bot's own pipeline. Type questions; an empty line or Ctrl-D quits.",
    },
    "no_token": {
        "ru": (
            "BOT_TOKEN не задан, поэтому Telegram-бот не запущен. Получите токен у @BotFather (/newbot) "
            "и запишите его в .env как BOT_TOKEN=... (см. .env.example). А пока — консольный чат."
        ),
        "en": (
            "BOT_TOKEN is not set, so the Telegram bot is not started. Get a token from @BotFather (/newbot) "
            "and put it in .env as BOT_TOKEN=... (see .env.example). Meanwhile, here is the console chat."
        ),
    },
}


def text(key: str, lang: Lang, **values: object) -> str:
    """The user-facing string `key` in `lang`, with `values` filled in."""
    template = TEXTS[key][lang]
    return template.format(**values) if values else template


def lang_of_user(language_code: str | None) -> Lang:
    """The UI language for a Telegram `language_code` (Russian by default)."""
    if not language_code:
        return "ru"
    return "ru" if language_code.split("-")[0].lower() in _RUSSIAN_READERS else "en"


def lang_of_text(question: str) -> Lang:
    """The UI language for a question with no user settings: English for Latin script."""
    latin = len(_LATIN.findall(question))
    cyrillic = len(_CYRILLIC.findall(question))
    return "en" if latin > cyrillic else "ru"
