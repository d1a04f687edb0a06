"""A local Bot API stand-in: aiohttp on 127.0.0.1, route `/bot{token}/{method}`.

It speaks enough of the Bot API for the bot's end-to-end tests and rejects
what Telegram rejects: HTML it cannot parse (a blockquote takes no attribute
but `expandable` and holds no other blockquote), text longer than 4096
characters after entity parsing, empty text, an unknown token or method,
`callback_data` over 64 bytes, a callback query answered twice, inline
results with duplicate or over-long ids, an edit that changes nothing or
whose message is not the bot's. With `flood` set it enforces Telegram's
flood limits (tests/support/flood.py). Tests can make it answer 429 with
`retry_after` and 502 on `getUpdates`, fail every call for a while as
Telegram's front does when it is down (`fail_for`: 500 with JSON and 502
with an HTML page, in turn), hold the bot's messages on their way
(`hold_messages`), press inline buttons (callback queries), type inline
queries, edit questions, post to channels (see `botapi_manners.py`), send
documents and forward channel posts (see `botapi_files.py`, which also
serves `getFile` and the files), and deliver updates to webhooks with the
registered secret token, as Telegram does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from tests.support.botapi_buttons import ButtonsAndInline
from tests.support.botapi_checks import BadRequestError, check_markup, check_text
from tests.support.botapi_files import FilesAndForwards
from tests.support.botapi_manners import EditsAndChannels
from tests.support.flood import COUNTED_METHODS, FloodControl

TOKEN = "123456789:AAStandInTokenForTestsOnly_abcdefghij"
# What Telegram's front answers when the Bot API behind it is down: a page, not JSON.
BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
)
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "News QA", "username": "NewsQaTestBot"}
_RAW_FORM_FIELDS = frozenset({"text", "caption", "query", "results_button"})


@dataclass
class Sent:
    """A message the bot sent."""

    message_id: int
    chat_id: int
    text: str  # plain, after entity parsing
    html: str
    params: dict[str, Any]
    at: float

    @property
    def reply_to(self) -> int | None:
        """The message id this one replies to."""
        parameters = self.params.get("reply_parameters") or {}
        return parameters.get("message_id") if isinstance(parameters, dict) else None


@dataclass
class BotAPIStub(FilesAndForwards, EditsAndChannels, ButtonsAndInline):
    """The stand-in server and the state tests look at (see the parts it inherits, each in its module)."""

    token: str = TOKEN
    bot_user: dict[str, Any] = field(default_factory=lambda: dict(BOT_USER))
    updates: list[dict[str, Any]] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    commands: dict[tuple[str, str | None], list[dict[str, str]]] = field(default_factory=dict)
    rate_limit: list[int] = field(default_factory=list)  # retry_after of the next 429s
    fail_get_updates: int = 0  # how many getUpdates calls answer 502
    chat_actions: list[tuple[int, str]] = field(default_factory=list)
    webhook: dict[str, Any] = field(default_factory=dict)  # the last setWebhook's parameters
    left_chats: list[int] = field(default_factory=list)
    delivery_failures: list[tuple[str, str]] = field(default_factory=list)  # webhook URL, status or error
    flood: FloodControl | None = None  # Telegram's flood limits, enforced when set
    first_update_id: int = 1  # a second stand-in for the same bot goes on with the numbering of the first
    failed_calls: list[tuple[str, int]] = field(default_factory=list)  # method, status: calls failed by `fail_for`
    held: int = 0  # messages held on their way by `hold_messages`

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(10_000)
        self._update_ids = itertools.count(self.first_update_id)
        self._new_update = asyncio.Event()
        self._new_sent = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._outage: tuple[float, float | None, str | None] = (0.0, None, None)  # length, until, first method
        self._hold: asyncio.Event | None = None
        self._deliver_held = True

    async def start(self) -> str:
        """Serve on a free loopback port; returns the base URL for TELEGRAM_API_URL."""
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        # At the end, requests still open (a long poll of a killed bot) are not waited for.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what tests do -------------------------------------------------------

    def push(self, **update: Any) -> int:
        """Queue an update (without `update_id`); returns its id."""
        update_id = next(self._update_ids)
        if "callback_query" in update:
            self._callback_ids.add(update["callback_query"]["id"])
        self.updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    def message(
        self,
        text: str | None = None,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "ru",
        entities: Iterable[dict[str, Any]] = (),
        reply_to: dict[str, Any] | None = None,
        thread_id: int | None = None,
        is_bot: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Queue a message update as Telegram would deliver it; returns the message."""
        chat: dict[str, Any] = {"id": chat_id if chat_id is not None else user_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{user_id}"
        else:
            chat["title"] = "Test group"
            if thread_id is not None:
                chat["is_forum"] = True
        user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if text is not None:
            message["text"] = text
        if entities:
            message["entities"] = list(entities)
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        message.update(extra or {})
        self.push(message=message)
        return message

    async def wait_for(self, condition: Any, within: float = 30.0) -> None:
        """Wait until `condition()` is true."""
        deadline = time.monotonic() + within
        while not condition():
            if time.monotonic() > deadline:
                msg = f"condition not met within {within} s"
                raise TimeoutError(msg)
            await asyncio.sleep(0.02)

    async def wait_sent(self, count: int, within: float = 30.0) -> list[Sent]:
        """Wait until at least `count` messages were sent; returns them all."""
        deadline = time.monotonic() + within
        while len(self.sent) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                msg = f"only {len(self.sent)} of {count} messages sent within {within} s"
                raise TimeoutError(msg)
            self._new_sent.clear()
            try:
                await asyncio.wait_for(self._new_sent.wait(), remaining)
            except TimeoutError:
                continue
        return list(self.sent)

    async def settle(self, quiet: float = 0.5, within: float = 30.0) -> list[Sent]:
        """Wait until the queue is drained and nothing was sent for `quiet` seconds."""
        deadline = time.monotonic() + within
        last = -1
        while time.monotonic() < deadline:
            if not self.updates and len(self.sent) == last:
                return list(self.sent)
            last = len(self.sent)
            await asyncio.sleep(quiet)
        return list(self.sent)

    def take_updates(self) -> list[dict[str, Any]]:
        """The queued updates, removed from the queue (to deliver them to a webhook)."""
        taken, self.updates = self.updates, []
        return taken

    async def deliver(self, update: dict[str, Any], urls: Sequence[str], *, within: float = 120.0) -> str:
        """POST `update` to the first webhook in `urls` that takes it, as Telegram does, retrying until one does.

        Telegram sends the secret token registered with `setWebhook`; an
        update that a replica does not answer with 200 (it died, it was
        stopping) is delivered again, here to the next replica in turn.
        Returns the URL that took it.
        """
        headers = {"X-Telegram-Bot-Api-Secret-Token": str(self.webhook.get("secret_token", ""))}
        deadline = time.monotonic() + within
        async with ClientSession(timeout=ClientTimeout(total=within)) as session:
            for url in itertools.cycle(urls):
                if time.monotonic() > deadline:
                    break
                try:
                    async with session.post(url, json=update, headers=headers) as response:
                        await response.read()
                        if response.status == 200:
                            return url
                        self.delivery_failures.append((url, str(response.status)))
                except (ClientError, OSError) as exc:
                    self.delivery_failures.append((url, type(exc).__name__))
                await asyncio.sleep(0.05)
        msg = f"update {update.get('update_id')} was not taken by any of {list(urls)}"
        raise TimeoutError(msg)

    def methods(self) -> list[str]:
        """The methods called, in order."""
        return [m for m, _ in self.requests]

    def fail_for(self, seconds: float, *, from_first: str | None = None) -> None:
        """Fail every call for `seconds`, from now or from the first call of `from_first` on.

        The calls are answered 500 with Telegram's JSON and 502 with an HTML
        page, in turn, as Telegram's front does when the Bot API is down.
        """
        self._outage = (seconds, None if from_first else time.monotonic() + seconds, from_first)

    @property
    def failing(self) -> bool:
        """Whether calls fail now (see `fail_for`)."""
        until = self._outage[1]
        return until is not None and time.monotonic() < until

    def hold_messages(self) -> None:
        """Keep every sendMessage from now on waiting, unanswered, until `release_held`."""
        self._hold = asyncio.Event()

    def release_held(self, *, deliver: bool) -> None:
        """Let the held messages go on: sent, or (`deliver=False`) answered 502 without being sent."""
        self._deliver_held = deliver
        if self._hold is not None:
            self._hold.set()
            self._hold = None

    # -- the server ----------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _read_params(request)
        self.requests.append((method, params))
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        seconds, until, first = self._outage
        if until is None and first == method:
            self._outage = (seconds, time.monotonic() + seconds, None)
        if self.failing:
            status = 502 if len(self.failed_calls) % 2 else 500
            self.failed_calls.append((method, status))
            if status == 500:
                return _error(500, "Internal Server Error")
            return web.Response(status=502, text=BAD_GATEWAY_PAGE, content_type="text/html")
        if method != "getUpdates" and self.rate_limit:
            retry_after = self.rate_limit.pop(0)
            self.rejected.append((method, "429"))
            return _error(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        if self.flood is not None and method in COUNTED_METHODS:
            refusal = self.flood.admit(int(params.get("chat_id", 0)), time.monotonic())
            if refusal is not None:
                self.rejected.append((method, "429"))
                retry_after = refusal.retry_after
                return _error(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        try:
            result = await handler(params)
        except BadRequestError as exc:
            self.rejected.append((method, str(exc)))
            return _error(400, f"Bad Request: {exc}")
        except web.HTTPException:
            raise
        return web.json_response({"ok": True, "result": result})

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        if self.fail_get_updates:
            self.fail_get_updates -= 1
            raise web.HTTPBadGateway(text="Bad Gateway")
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while not self.updates and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                break
        if self.failing:  # the front went down while the request waited: the bot gets the error page
            raise web.HTTPBadGateway(text=BAD_GATEWAY_PAGE, content_type="text/html")
        return self.updates[:limit]

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {}
        return True

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            msg = "bad webhook: secret token contains unallowed characters"
            raise BadRequestError(msg)
        if not str(params.get("url", "")).startswith("https://"):
            msg = "bad webhook: An HTTPS URL must be provided for webhook"
            raise BadRequestError(msg)
        self.webhook = params
        return True

    async def _m_leavechat(self, params: dict[str, Any]) -> Any:
        self.left_chats.append(int(params["chat_id"]))
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or not commands:
            msg = "commands must be a non-empty list"
            raise BadRequestError(msg)
        scope = params.get("scope") or {"type": "default"}
        self.commands[(scope["type"], params.get("language_code"))] = commands
        return True

    async def _m_sendchataction(self, params: dict[str, Any]) -> Any:
        self.chat_actions.append((int(params["chat_id"]), str(params["action"])))
        return True

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        if self._hold is not None:
            hold = self._hold
            self.held += 1
            await hold.wait()
            if not self._deliver_held:
                raise web.HTTPBadGateway(text="Bad Gateway")
        html = str(params.get("text") or "")
        plain = check_text(html, params.get("parse_mode"))
        check_markup(params.get("reply_markup"))
        chat_id = int(params["chat_id"])
        message_id = next(self._ids)
        self.sent.append(Sent(message_id, chat_id, plain, html, params, time.monotonic()))
        self._new_sent.set()
        result: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT_USER,
            "text": plain,
        }
        if params.get("message_thread_id"):
            result["message_thread_id"] = int(params["message_thread_id"])
        return result


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


async def _read_params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post()
    params: dict[str, Any] = dict(request.query)
    for key, value in form.items():
        if not isinstance(value, str):
            continue  # uploaded files are not used here
        if key in _RAW_FORM_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params
