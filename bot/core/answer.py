"""Placeholder until the answer engine lands: every query gets a not_found answer."""

from __future__ import annotations

from bot.core.knowledge import Knowledge
from bot.models import Answer


def answer(kb: Knowledge, query: str) -> Answer:
    """Answer one query from the fact base."""
    return Answer(kind="not_found", query=query, heading="Not built yet")
