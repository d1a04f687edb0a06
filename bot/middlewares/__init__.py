"""Middlewares on the update path: language, allowed chats, in-flight count, throttling, observation."""
