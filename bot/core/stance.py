"""Which way a sentence leans on what it speaks of: for it (supports, viable, welcome) or
against it (premature, impossible, cannot be called viable), from the lexicon's evaluative
words, a negation just before a word turning it round. Used only to find two sources that say
opposite things, never to rank or to decline."""

from __future__ import annotations

from bot.core.text import words
from bot.lexicon import WORDS

NEGATION_REACH = 3  # words between a negation and the word it turns round


def leaning(text: str) -> int:
    """Evaluative words for, less those against; 0 when the sentence takes no side."""
    tokens = words(text)
    total = 0
    for i, w in enumerate(tokens):
        sign = 1 if w in WORDS.stance_for else -1 if w in WORDS.stance_against else 0
        if sign and any(t in WORDS.negations for t in tokens[max(0, i - NEGATION_REACH) : i]):
            sign = -sign
        total += sign
    return total
