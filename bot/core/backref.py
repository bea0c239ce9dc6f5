"""Does a sentence open by pointing back at the one before? Computed once per sentence at build."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.text import words
from bot.lexicon import WORDS
from bot.models import Sentence

MAX_PASSAGE = 600  # characters: the longest passage shown (bot.core.passages)
POINTER_WITHIN = 12  # words: "The cause of the dispute between these two members ..."
_LONGEST_OPENER = max(len(p.split()) for p in WORDS.back_references)


def refers_back(text: str) -> bool:
    """Whether a sentence opens by pointing at the one before ("So is Russia, but ...")."""
    opening = words(text[:60])
    if any(" ".join(opening[:n]) in WORDS.back_references for n in range(1, _LONGEST_OPENER + 1)):
        return True
    clause = words(text)[:POINTER_WITHIN]
    pairs = {" ".join(clause[i : i + 2]) for i in range(len(clause))}
    return any(p in WORDS.back_pointers for p in {*clause, *pairs})


def backs(sentences: Sequence[Sentence]) -> list[int]:
    """Per sentence, 1 if it refers back to the one before in its paragraph and the two fit
    in one passage: only then is it shown, and scored, with the words it points back to."""
    out = []
    for i, s in enumerate(sentences):
        before = sentences[i - 1] if i else None
        out.append(
            int(
                before is not None
                and before.paragraph == s.paragraph
                and s.end - before.start <= MAX_PASSAGE
                and refers_back(s.text)
            )
        )
    return out
