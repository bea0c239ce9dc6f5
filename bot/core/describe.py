"""Sentences that describe an actor ('X, a Baku-based analyst') or report their words ('X
said'): a pattern per actor, run over the actor's sentences once, at build (bot.core.store),
not per question."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from bot.lexicon import WORDS
from bot.models import Actor

REPORTED_REACH = 3  # words between a speaker's name and the verb reporting their words


def _names(a: Actor) -> str:
    return "|".join(re.escape(n) for n in sorted({a.name, *a.aliases}, key=len, reverse=True))


def describer(a: Actor) -> Callable[[str], bool]:
    """Apposition or copula right by a name: 'X, a Baku-based analyst', 'X is a ...'."""
    pattern = re.compile(
        rf"(?:{_names(a)})(?:\s*\([^)]*\))?"
        r"(?:,\s+(?:a|an|the|who|which)\b|\s+(?:is|was|are)\s+(?:a|an|the)\b)",
        re.I,
    )
    return lambda text: pattern.search(text) is not None


def reporter(a: Actor) -> Callable[[str], bool]:
    """'X insisted that ...', 'X said': the speaker as the subject of a reporting verb; or
    after it, set off by commas ('However, argues X, a Baku-based analyst, no one ...')."""
    verbs = "|".join(sorted(WORDS.speech_verbs, key=len, reverse=True))
    pattern = re.compile(
        rf"(?i)\b(?:{_names(a)})\b(?:\W+\w+){{0,{REPORTED_REACH}}}?\W+(?:{verbs})\b|"
        rf",\s*(?:{verbs})\s+(?:{_names(a)})\s*,"
    )
    return lambda text: pattern.search(text) is not None


_PRONOUN_REPORTS = re.compile(
    rf"^(?:he|she)\b(?:\W+\w+){{0,{REPORTED_REACH}}}?\W+"
    rf"(?:{'|'.join(sorted(WORDS.speech_verbs, key=len, reverse=True))})\b",
    re.I,
)


def pronoun_reports(text: str) -> bool:
    """'He said that ...': a sentence opening with a pronoun as the subject of a reporting
    verb, whose speaker is the person of the sentence before."""
    return _PRONOUN_REPORTS.search(text) is not None


def speaker_before(
    persons: Collection[str], reporting: Collection[str], quoting: Collection[str]
) -> str | None:
    """Whom a "He said ..." sentence reports, from the sentence before it: the one person it
    reports the words of, else the one person it quotes, else the one person it names."""
    for among in (reporting, quoting, persons):
        if len(among) == 1:
            return next(iter(among))
    return None
