"""Test support: the Bot API stand-in, fakes, a Redis helper, a running bot."""
