"""How well an answer met its question, as the log and the curator's report count it."""

from __future__ import annotations

from typing import Literal

from bot.models import Answer, Cited

Grade = Literal["answered", "not_directly", "declined"]
GRADES: tuple[Grade, ...] = ("answered", "not_directly", "declined")


def grade(answer: Answer) -> Grade:
    """The one place that reads an Answer's grade: the engine says `not_found` both when it
    declines (no passages) and when it shows the nearest passages without a direct answer."""
    if answer.kind != "not_found":
        return "answered"
    return "not_directly" if answer.passages else "declined"


def passage_ids(answer: Answer | list[Cited]) -> list[str]:
    """Passages as `seed:start-end` (stable across rebuilds of the same seeds): an answer's, or
    those of one page of it."""
    passages = answer.passages if isinstance(answer, Answer) else answer
    return [p.key() for p in passages]
