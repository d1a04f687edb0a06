"""Webhook mode: aiogram's aiohttp handler behind `WEBHOOK_URL`, plus `/healthz` and `/metrics`.

Telegram posts each update to the webhook with the secret token in a
header; a request without it (or with a wrong one) gets 403 and is logged.
An update is journaled in the inbox before the 200 that tells Telegram it
arrived, then handled in the background (`bot/delivery.py`): an update the
inbox knows already (another replica has it) is not handled twice, and one
a killed replica did not finish is answered by a live one, or after the
restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
from collections.abc import AsyncIterator
from typing import Any

from aiogram import Bot
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from pydantic import ValidationError

from bot.answering.service import AnsweringService
from bot.config import Settings
from bot.delivery import DurableDispatcher
from bot.middlewares.in_flight import InFlight
from bot.state.backends import Backends

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_ENCODE_TIMEOUT = 5.0
STOP_GRACE_SECONDS = 30.0


class SecretRequestHandler(SimpleRequestHandler):
    """aiogram's handler, answering 403 (and logging it) when the secret token is missing or wrong."""

    dispatcher: DurableDispatcher

    async def handle(self, request: web.Request) -> web.Response:
        """Check the secret header, journal the update, answer 200, and handle it in the background."""
        given = request.headers.get(SECRET_HEADER, "")
        if not (self.secret_token and secrets.compare_digest(given.encode(), self.secret_token.encode())):
            log.warning("webhook: refused a request from %s without the right secret token", request.remote)
            return web.Response(status=403, text="Forbidden")
        try:
            update = Update.model_validate(await request.json(), context={"bot": self.bot})
        except (ValueError, ValidationError) as exc:
            log.warning("webhook: a request from %s is not an update: %s", request.remote, exc)
            return web.Response(status=400, text="Bad Request")
        deliveries = self.dispatcher.deliveries
        if await deliveries.accept(update):
            deliveries.spawn(self.dispatcher.process(self.bot, update))
        return web.json_response({})


async def health(answering: AnsweringService, backends: Backends) -> tuple[bool, dict[str, Any]]:
    """Whether this replica can answer: index loaded, encoder answering; and whether Redis is reachable."""
    chunks = int(answering.pipeline.index.chunk_index.ntotal)
    try:
        vector = await asyncio.wait_for(answering.batcher.encode("healthz"), HEALTH_ENCODE_TIMEOUT)
        encoder = bool(vector.size)
    except Exception as exc:  # any failure means "not ready"
        log.warning("healthz: the encoder did not answer: %s", exc)
        encoder = False
    redis = await backends.redis_reachable()
    checks: dict[str, Any] = {"index_chunks": chunks, "encoder": encoder, "redis": redis}
    healthy = chunks > 0 and encoder
    # Without Redis the replica still answers, from its memory: degraded, not out of service.
    status = "unhealthy" if not healthy else "degraded" if redis is False else "ok"
    return healthy, {"status": status, **checks}


def create_web_app(
    dispatcher: DurableDispatcher, bot: Bot, settings: Settings, *, webhook: bool = True
) -> web.Application:
    """The aiohttp application: `/healthz`, `/metrics`, and with `webhook` the webhook route and start/stop."""
    answering: AnsweringService = dispatcher["answering"]
    backends: Backends = dispatcher["backends"]
    app = web.Application()
    if webhook:
        handler = SecretRequestHandler(dispatcher, bot, secret_token=settings.webhook_secret_token())
        # Not handler.register(): that closes the bot's session on shutdown, before the answers in flight are sent.
        app.router.add_post(settings.webhook_path, handler.handle)
        setup_application(app, dispatcher, bot=bot)

        async def close_session(_: web.Application) -> None:
            await bot.session.close()

        app.on_cleanup.append(close_session)

    async def healthz(_: web.Request) -> web.Response:
        healthy, body = await health(answering, backends)
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics(_: web.Request) -> web.Response:
        return web.Response(body=backends.metrics.exposition(), content_type="text/plain", charset="utf-8")

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app


async def register_webhook(bot: Bot, dispatcher: DurableDispatcher, settings: Settings) -> None:
    """Tell Telegram where to post updates, with the secret token (every replica registers the same)."""
    assert settings.webhook_url is not None
    await bot.set_webhook(
        url=settings.webhook_url,
        secret_token=settings.webhook_secret_token(),
        allowed_updates=dispatcher.resolve_used_update_types(),
        drop_pending_updates=False,
    )
    log.info("webhook registered at %s", settings.webhook_url)


async def serve_webhook(dispatcher: DurableDispatcher, bot: Bot, settings: Settings, stop: asyncio.Event) -> None:
    """Serve until `stop` is set; then stop taking requests, finish the ones in flight, shut down."""
    app = create_web_app(dispatcher, bot, settings)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=STOP_GRACE_SECONDS)
    await runner.setup()
    site = web.TCPSite(runner, settings.web_host, settings.web_port)
    await site.start()
    log.info("webhook mode: listening on %s:%d%s", settings.web_host, settings.web_port, settings.webhook_path)
    await register_webhook(bot, dispatcher, settings)
    await stop.wait()
    log.info("stopping: no new requests")
    await site.stop()
    in_flight: InFlight = dispatcher["in_flight"]
    await dispatcher.deliveries.wait_idle(STOP_GRACE_SECONDS)
    await in_flight.wait_idle(STOP_GRACE_SECONDS)
    await runner.cleanup()
    log.info("webhook server stopped")


@contextlib.asynccontextmanager
async def health_server(dispatcher: DurableDispatcher, bot: Bot, settings: Settings) -> AsyncIterator[None]:
    """In polling mode: `/healthz` and `/metrics` on `WEB_PORT` (0: none) while the block runs."""
    if not settings.web_port:
        yield
        return
    runner = web.AppRunner(create_web_app(dispatcher, bot, settings, webhook=False), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.web_host, settings.web_port).start()
    log.info("health and metrics on %s:%d", settings.web_host, settings.web_port)
    try:
        yield
    finally:
        await runner.cleanup()


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGTERM and SIGINT set `stop`."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
