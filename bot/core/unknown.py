"""Names a question uses that the articles never do: a sign the question is out of scope.

"What does Mongolia think about the CSTO?" shares "CSTO" with many sentences, but none of
them is about Mongolia; answering with them would pad. A capitalised word (not the first)
that is no actor, no word of any article or source record, and no typo of one, is such a name
(a word that opens a sentence of the question is not taken for one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.knowledge import Knowledge
from bot.core.rank import RELATED_TERMS, query_terms
from bot.core.resolve import Found
from bot.core.text import STOPWORDS, fold

_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:[-'’][A-Za-z]+)*")


def unknown_names(kb: Knowledge, text: str, found: Sequence[Found]) -> list[str]:
    """Capitalised words of the query that name nothing the fact base knows, in order."""
    names = []
    for match in _CAPITALISED.finditer(text):
        before = text[: match.start()].rstrip(" /\"'“‘(")
        if not before or before[-1] in ".?!:;" or _inside(match.start(), found):
            continue  # a sentence's first word is capitalised whatever it is
        word = re.sub(r"['’]s$", "", match.group())
        if fold(word) in STOPWORDS:
            continue
        if not unknown_word(kb, word):
            continue
        names.append(word)
    return list(dict.fromkeys(names))


def unknown_word(kb: Knowledge, word: str) -> bool:
    """A word no article, source record or thesaurus entry speaks of, typos mended first."""
    mended = query_terms(kb, word)
    return bool(mended) and not all(_known(kb, t) for t in mended)


def _known(kb: Knowledge, term: str) -> bool:
    idf = kb.sentence_index.idf
    return (
        term in idf or term in kb.record_terms or any(a in idf for a in RELATED_TERMS.get(term, ()))
    )


def _inside(at: int, found: Sequence[Found]) -> bool:
    return any(f.start <= at < f.end for f in found)
