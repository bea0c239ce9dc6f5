"""Benchmarks: how fast C5 Brief answers now, and how that changes as the corpus grows.

`python -m bot bench` runs them and prints one table; `python -m benchmarks.generate` makes the
synthetic corpora on its own. Dev-only: the bot never imports this package.
"""
