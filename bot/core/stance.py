"""Which way a sentence leans on what it speaks of: for it (supports, viable, welcome) or
against it (premature, impossible, cannot be called viable), from the lexicon's evaluative
words, a negation just before a word turning it round. Only what follows a "but" counts ("this
idea might seem viable, but in practice ..." concedes, then objects). An act done to something
(supported, opposed) counts only when what follows it names the topic or a plan ("opposed
external interference" takes no side on the SCO). Used only to find two sources that say
opposite things, never to rank or to decline."""

from __future__ import annotations

from collections.abc import Collection

from bot.core.text import stem, words
from bot.lexicon import WORDS

NEGATION_REACH = 3  # words between a negation and the word it turns round
OBJECT_REACH = 4  # words after an act in which its object is named

_OBJECTS = frozenset(stem(w) for w in WORDS.stance_objects)


def leaning(text: str, topic: Collection[str] = ()) -> int:
    """Evaluative words for, less those against; 0 when the sentence takes no side.
    `topic`: the stems of what is asked about (an act's object must name it or a plan)."""
    tokens = words(text)
    turned = [i for i, w in enumerate(tokens) if w in WORDS.turns]
    if turned:
        tokens = tokens[turned[-1] + 1 :]
    total = 0
    for i, w in enumerate(tokens):
        sign = 1 if w in WORDS.stance_for else -1 if w in WORDS.stance_against else 0
        if (
            sign
            and w in WORDS.stance_acts
            and not _names(tokens[i + 1 : i + 1 + OBJECT_REACH], topic)
        ):
            sign = 0
        if sign and any(t in WORDS.negations for t in tokens[max(0, i - NEGATION_REACH) : i]):
            sign = -sign
        total += sign
    return total


def _names(following: list[str], topic: Collection[str]) -> bool:
    return any(s in _OBJECTS or s in topic for s in map(stem, following))
