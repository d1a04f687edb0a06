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
    "not_mentioned": {
        "ru": "В статьях, которые я знаю, не упоминается «{term}». Список статей: /sources",
        "en": "The articles I know do not mention “{term}”. The list of articles: /sources",
    },
    "partial": {
        "ru": "В статьях не сказано, {clause}. Вот что в них об этом есть:",
        "en": "The articles do not say {clause}. Here is what they do say about it:",
    },
    "part_date": {"ru": "когда это было или будет", "en": "when it happened or will happen"},
    "part_number": {"ru": "сколько их", "en": "how many or how much"},
    "part_money": {"ru": "сколько это стоит", "en": "how much it costs"},
    "part_age": {"ru": "сколько ему или ей лет", "en": "how old they are"},
    "part_person": {"ru": "кто это был", "en": "who it was"},
    "part_place": {"ru": "где это", "en": "where it is or was"},
    "part_role": {"ru": "кто это", "en": "who this is"},
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
            "• Можно уточнять: «а кто ещё там был?», «подробнее». /new — начать новую тему.\n"
            "• Под ответом: 👍 / 👎 — оценка, «Ещё фрагменты» — больше цитат.\n"
            "• В любом чате: {mention} вопрос — и выберите ответ из подсказки.\n"
            "• /sources — список статей, которые я знаю.\n"
            "Если в статьях нет ответа, я так и скажу — ничего не выдумываю."
        ),
        "en": (
            "<b>How to ask</b>\n"
            "• In a private chat every message is a question. I answer with quotes from the articles and "
            "numbered sources.\n"
            "• In a group, mention me ({mention} your question), reply to my message, "
            "or send a command as /sources@{username}.\n"
            "• Follow up: “and what about trade?”, “more”. /new starts a new topic.\n"
            "• Under an answer: 👍 / 👎 to rate it, “More passages” for more quotes.\n"
            "• In any chat: type {mention} question and pick the answer from the list.\n"
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
    "slow_down": {
        "ru": "Слишком много вопросов подряд. Я снова отвечу через {seconds} с — пожалуйста, подождите.",
        "en": "That is a lot of questions at once. I will answer again in {seconds} s, please wait.",
    },
    "group_slow_down": {
        "ru": "В этом чате сейчас слишком много вопросов. Я снова отвечу через {seconds} с.",
        "en": "This chat is asking more than I can answer right now. I will answer again in {seconds} s.",
    },
    "busy": {
        "ru": "Сейчас много вопросов. Ваш ответ уже в очереди — пришлю его примерно через {seconds} с.",
        "en": "Many questions right now. Your answer is coming — in about {seconds} s.",
    },
    "cmd_new": {"ru": "Новая тема: забыть предыдущий вопрос", "en": "New topic: forget the previous question"},
    "follow_up_note": {
        "ru": "Отвечаю с учётом предыдущего вопроса: «{topic}». Новая тема — /new",
        "en": "Answering in the light of your previous question: “{topic}”. New topic: /new",
    },
    "forgotten": {
        "ru": "Хорошо, начнём заново: следующий вопрос я прочитаю сам по себе.",
        "en": "Done: I will read your next question on its own.",
    },
    "nothing_to_continue": {
        "ru": "Сначала задайте вопрос — потом я смогу показать больше фрагментов.",
        "en": "Ask a question first — then I can show more passages.",
    },
    "more_button": {"ru": "Ещё фрагменты ▸", "en": "More passages ▸"},
    "more_header": {
        "ru": "Фрагменты статей ({first}–{last} из {total}):",
        "en": "Passages ({first}–{last} of {total}):",
    },
    "no_more": {"ru": "Больше подходящих фрагментов нет.", "en": "There are no more matching passages."},
    "answer_expired": {
        "ru": "Этот ответ устарел — задайте вопрос ещё раз.",
        "en": "This answer is too old — please ask again.",
    },
    "vote_new": {"ru": "Спасибо за оценку!", "en": "Thanks for the feedback!"},
    "vote_changed": {"ru": "Оценка изменена.", "en": "Your vote is changed."},
    "vote_same": {"ru": "Вы уже так оценили этот ответ.", "en": "You already voted this way."},
    "inline_answer": {"ru": "Ответ из статей", "en": "Answer from the articles"},
    "inline_not_found": {"ru": "В статьях нет ответа", "en": "The articles do not answer this"},
    "inline_example": {
        "ru": "Пример вопроса — нажмите, чтобы отправить ответ",
        "en": "Example — tap to send its answer",
    },
    "inline_question": {"ru": "Вопрос: {question}", "en": "Question: {question}"},
    "admin_only": {
        "ru": "Эта команда только для администраторов бота.",
        "en": "This command is for the bot's administrators only.",
    },
    "reindex_started": {
        "ru": "Перестраиваю индекс по папке статей. Вопросы пока обслуживает текущий индекс.",
        "en": "Rebuilding the index from the articles folder. The current index keeps answering meanwhile.",
    },
    "reindex_running": {
        "ru": "Индекс уже перестраивается — подождите.",
        "en": "A rebuild is already running — please wait.",
    },
    "reindex_done": {
        "ru": "Готово: статей — {articles}, фрагментов — {passages}, за {seconds:.1f} с. Новый индекс уже отвечает.",
        "en": "Done: {articles} articles, {passages} passages, in {seconds:.1f} s. The new index is answering.",
    },
    "reindex_failed": {
        "ru": "Не удалось перестроить индекс: {error}. Продолжаю отвечать по прежнему.",
        "en": "The rebuild failed: {error}. I keep answering from the previous index.",
    },
    "stats": {
        "ru": (
            "<b>Статистика за {day} (UTC)</b>\n"
            "Вопросов: {questions} (из кэша: {cached})\n"
            "Без ответа: {refused} ({refusal:.0%})\n"
            "Медианная задержка: {latency}\n"
            "Оценки за всё время: 👍 {up} · 👎 {down}"
        ),
        "en": (
            "<b>Statistics for {day} (UTC)</b>\n"
            "Questions: {questions} (from the cache: {cached})\n"
            "Not answered: {refused} ({refusal:.0%})\n"
            "Median latency: {latency}\n"
            "Votes of all time: 👍 {up} · 👎 {down}"
        ),
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
