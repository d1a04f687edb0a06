"""Encode: texts into dense vectors and learned sparse latent terms."""
