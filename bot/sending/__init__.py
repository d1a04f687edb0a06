"""Outgoing messages: pacing within Telegram's limits, resends after 429, the typing status."""
