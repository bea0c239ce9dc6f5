"""Find every alias of every actor in a text, with offsets; shared by the build and the queries.

Aliases match case- and accent-insensitively at word boundaries, longest first. An alias
written in capitals of up to five letters (US, UN, SCO) matches case-sensitively, so the
pronoun "us" never becomes the United States.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.text import fold
from bot.models import Actor


@dataclass(frozen=True)
class Hit:
    actor: str
    start: int
    end: int


def is_acronym(alias: str) -> bool:
    letters = alias.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 5


class AliasMatcher:
    """One compiled pattern for all aliases; built once, used for every text."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        folded: dict[str, str] = {}
        exact: dict[str, str] = {}
        for actor in actors:
            for alias in {actor.name, *actor.aliases}:
                if is_acronym(alias):
                    exact[alias] = actor.id
                else:
                    folded[fold(alias)] = actor.id
        self._folded = folded
        self._exact = exact
        self._folded_re = _pattern(folded)
        self._exact_re = _pattern(exact)

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping alias hits in text order; the longest alias wins a contested span."""
        hits = (
            [
                Hit(self._folded[m.group(1)], m.start(1), m.end(1))
                for m in self._folded_re.finditer(fold(text))
            ]
            if self._folded
            else []
        )
        if self._exact:
            hits += [
                Hit(self._exact[m.group(1)], m.start(1), m.end(1))
                for m in self._exact_re.finditer(text)
            ]
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        for hit in hits:
            if kept and hit.start < kept[-1].end:
                continue
            kept.append(hit)
        return kept


def _pattern(aliases: dict[str, str]) -> re.Pattern[str]:
    ordered = sorted(aliases, key=len, reverse=True)
    body = "|".join(re.escape(a) for a in ordered) or "(?!)"
    return re.compile(r"(?<![\w])(" + body + r")(?![\w])")
