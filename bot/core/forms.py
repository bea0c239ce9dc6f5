"""Other forms of a question's word that Snowball stems apart from it: the other spelling.

A form counts only when the articles use it (its stem is in the sentence index), as the
Krovetz stemmer checks a dictionary; here the corpus is the dictionary.
"""

from __future__ import annotations

from bot.core.knowledge import Knowledge
from bot.core.text import stem
from bot.lexicon import WORDS

MIN_STEM = 3  # letters before a changed ending; shorter words ("our", "four") are left alone


def spellings(word: str) -> list[str]:
    """The word in the other spelling: British "defence", American "defense"."""
    out = []
    for a, b in WORDS.spellings:
        for old, new in ((a, b), (b, a)):
            if word.endswith(old) and len(word) - len(old) >= MIN_STEM:
                out.append(word[: -len(old)] + new)
    return out


def related(kb: Knowledge, word: str) -> list[str]:
    """Stems the articles use for other forms of `word` (not its own stem)."""
    idf = kb.sentence_index.idf
    own = stem(word)
    found = {stem(s) for s in spellings(word)}
    return sorted(s for s in found if s != own and s in idf)
