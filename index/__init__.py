"""How the bot finds things: corpus loading and validation, tokenizing, BM25, timeline search, live reload.

Nothing in this package imports ``bot`` or ``discord``.
"""
