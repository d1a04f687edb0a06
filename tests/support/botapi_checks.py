"""What the Bot API stand-in checks in a message, as Telegram does: its HTML, its length, its buttons."""

from __future__ import annotations

import re
from html import unescape

TEXT_LIMIT = 4096
_ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler", "span"}
)
_TOKEN_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[<>&]")
_ENTITY_NAMES = frozenset({"lt", "gt", "amp", "quot"})


class BadRequestError(Exception):
    """The Bot API's 400 with its description."""


def parse_html(text: str) -> str:
    """The plain text of Telegram HTML, or `BadRequestError` where Telegram would refuse it."""
    stack: list[str] = []
    plain: list[str] = []
    position = 0
    for match in _TOKEN_RE.finditer(text):
        plain.append(text[position : match.start()])
        position = match.end()
        closing, tag, attrs, entity = match.group(1), match.group(2), match.group(3), match.group(4)
        if tag is not None:
            tag = tag.lower()
            if tag not in _ALLOWED_TAGS:
                msg = f'can\'t parse entities: unsupported start tag "{tag}" at byte offset {match.start()}'
                raise BadRequestError(msg)
            if closing:
                if not stack or stack.pop() != tag:
                    msg = f"can't parse entities: unexpected end tag at byte offset {match.start()}"
                    raise BadRequestError(msg)
            else:
                if tag == "a" and not re.search(r'href="[^"<>]*"', attrs):
                    msg = "can't parse entities: a tag without href"
                    raise BadRequestError(msg)
                if tag == "blockquote" and attrs.strip() not in ("", "expandable"):
                    msg = f"can't parse entities: unsupported blockquote attribute {attrs.strip()!r}"
                    raise BadRequestError(msg)
                if tag == "blockquote" and "blockquote" in stack:
                    msg = "can't parse entities: blockquote entities can't be nested"
                    raise BadRequestError(msg)
                stack.append(tag)
        elif entity is not None:
            if not entity.startswith("#") and entity not in _ENTITY_NAMES:
                msg = f"can't parse entities: unsupported entity &{entity};"
                raise BadRequestError(msg)
            plain.append(unescape(match.group(0)))
        else:
            msg = f"can't parse entities: unexpected {match.group(0)!r} at byte offset {match.start()}"
            raise BadRequestError(msg)
    if stack:
        msg = f"can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\""
        raise BadRequestError(msg)
    plain.append(text[position:])
    return "".join(plain)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def check_text(text: str, parse_mode: object) -> str:
    """The plain text of a message as Telegram would accept it, else `BadRequestError`."""
    plain = parse_html(text) if parse_mode == "HTML" else text
    if not plain.strip():
        msg = "message text is empty"
        raise BadRequestError(msg)
    if utf16_len(plain) > TEXT_LIMIT:
        msg = "message is too long"
        raise BadRequestError(msg)
    return plain


def check_markup(markup: object) -> None:
    """Nothing, or `BadRequestError` for an inline button Telegram would refuse."""
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                msg = "BUTTON_DATA_INVALID"
                raise BadRequestError(msg)
            if not str(button.get("text") or "").strip():
                msg = "BUTTON_TEXT_EMPTY"
                raise BadRequestError(msg)
