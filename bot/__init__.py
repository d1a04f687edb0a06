"""Telegram layer of the news QA bot (aiogram 3) over the `embeddings` core."""
