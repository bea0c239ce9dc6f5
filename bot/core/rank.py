"""Rank sentences for a topic: BM25 on sentence and paragraph, actor matches, typo repair."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.index import CAP
from bot.core.knowledge import Knowledge
from bot.core.text import stem, terms

PARAGRAPH_WEIGHT = 0.3
ACTOR_WEIGHT = 0.35
QUANTITY_WEIGHT = 0.3
# A count or amount, not a year: "230 dead", "$4 billion", "7 000 troops".
QUANTITY_IN_TEXT = re.compile(
    r"(?<![\w-])(?!(?:19|20)\d\d\b)\$?\d[\d,. ]*\b|\b(?:hundred|thousand|million|billion)s?\b"
)
# Common abbreviations and shorthands, written out (plain words; stemmed below).
_ABBREVIATIONS = {
    "jan": "january",
    "feb": "february",
    "mar": "march",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
    "ppl": "people",
    "govt": "government",
    "intl": "international",
    "mil": "military",
}

# A small general thesaurus: everyday words a question uses for what news prose says
# otherwise. Plain words; keys and values are stemmed below, as queries and the index are.
_RELATED_WORDS: dict[str, tuple[str, ...]] = {
    "create": ("formation", "found", "establish", "inception", "form"),
    "found": ("formation", "establish", "inception"),
    "form": ("formation", "found", "establish", "inception"),
    "start": ("begin", "began", "launch", "inception"),
    "die": ("dead", "deadly", "death", "kill"),
    "died": ("dead", "deadly", "death", "kill"),
    "dying": ("dead", "deadly", "death", "kill"),
    "kill": ("dead", "deadly", "death"),
    "leave": ("withdraw", "withdrew", "left", "exit"),
    "quit": ("withdraw", "withdrew", "left", "exit"),
    "join": ("member", "membership", "rejoin", "accession"),
    "membership": ("member", "join", "rejoin", "withdraw", "withdrew"),
    "member": ("membership",),
    "reason": ("cause", "because", "motive"),
    "money": ("trade", "investment", "invest", "fund", "finance"),
    "weapon": ("arms", "drone", "missile"),
    "fight": ("clash", "conflict", "war", "combat"),
    "disagree": ("dispute", "rift", "quarrel"),
    "help": ("assist", "support", "aid"),
    "meet": ("summit", "talks", "meeting"),
    "army": ("military", "troops", "forces"),
    "threat": ("danger", "risk"),
}


def _stemmed(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key, values in table.items():
        k = stem(key)
        out[k] = tuple(dict.fromkeys(v for v in (*out.get(k, ()), *map(stem, values)) if v != k))
    return out


ABBREVIATIONS = {key: stem(value) for key, value in _ABBREVIATIONS.items()}
RELATED_TERMS = _stemmed(_RELATED_WORDS)


@dataclass(frozen=True)
class Scored:
    sentence: int
    score: float
    coverage: float


def query_terms(kb: Knowledge, text: str) -> list[str]:
    """Content terms of a query, with abbreviations expanded and typos mended against the corpus."""
    out = []
    vocabulary = kb.sentence_index.idf
    for term in terms(text):
        term = ABBREVIATIONS.get(term, term)
        if term not in vocabulary and len(term) >= 5 and not term.isdigit():
            best = process.extractOne(
                term, kb.sentence_index.vocabulary(), scorer=fuzz.ratio, score_cutoff=85
            )
            if best:
                term = best[0]
        out.append(term)
    return out


def coverage(kb: Knowledge, query: Sequence[str], sentence: int) -> float:
    """Share of the query's known weight (IDF) found in the sentence or its paragraph."""
    paragraph = kb.fb.sentences[sentence].paragraph

    def present(term: str) -> bool:
        return kb.sentence_index.contains(term, sentence) or kb.paragraph_index.contains(
            term, paragraph
        )

    idf = kb.sentence_index.idf
    weights = {t: idf[t] for t in dict.fromkeys(query) if t in idf}
    total = sum(weights.values())
    found = sum(
        w
        for t, w in weights.items()
        if present(t) or any(present(a) for a in RELATED_TERMS.get(t, ()))
    )
    return found / total if total else 0.0


def known_share(kb: Knowledge, query: Sequence[str]) -> float:
    """How much of the query the corpus knows at all; words it never uses count as typical."""
    idf = kb.sentence_index.idf
    if not query:
        return 0.0
    typical = kb.sentence_index.typical
    known = sum(idf[t] for t in dict.fromkeys(query) if t in idf)
    unknown = sum(typical for t in dict.fromkeys(query) if t not in idf)
    return known / (known + unknown) if known + unknown else 0.0


def rank(
    kb: Knowledge,
    query: Sequence[str],
    actors: Iterable[str] = (),
    limit: int = 30,
    *,
    quantity: bool = False,
) -> list[Scored]:
    """Sentences best first: lexical match, its paragraph's match, and the actors asked about."""
    wanted = set(actors)
    sentence_scores = kb.sentence_index.score(query, capped=True)
    alternates = [a for t in query for a in RELATED_TERMS.get(t, ()) if a not in query]
    for sid, value in kb.sentence_index.score(alternates, capped=True).items():
        sentence_scores[sid] = sentence_scores.get(sid, 0.0) + 0.5 * value
    ceiling = kb.sentence_index.ceiling(query) or 1.0
    candidates = set(sentence_scores)
    for actor in wanted:
        stats = kb.stats.get(actor)
        if stats:
            candidates.update(stats.sentences[:CAP])
    paragraph_score = kb.paragraph_index.scorer(query)
    paragraph_scores: dict[int, float] = {}  # paragraph -> BM25, for candidates' paragraphs
    scored = []
    for sid in candidates:
        s = kb.fb.sentences[sid]
        lexical = sentence_scores.get(sid, 0.0) / ceiling
        paragraph = paragraph_scores.get(s.paragraph)
        if paragraph is None:
            paragraph = paragraph_score(s.paragraph)
            paragraph_scores[s.paragraph] = paragraph
        context = paragraph / ceiling
        named = len(wanted & kb.actors_in[sid]) / len(wanted) if wanted else 0.0
        score = lexical + PARAGRAPH_WEIGHT * context + ACTOR_WEIGHT * named
        if quantity and QUANTITY_IN_TEXT.search(s.text):
            score += QUANTITY_WEIGHT
        scored.append((score, sid))
    best = heapq.nsmallest(limit, scored, key=lambda pair: (-pair[0], pair[1]))
    return [Scored(sid, score, coverage(kb, query, sid)) for score, sid in best]


def diverse(
    kb: Knowledge,
    ranked: Sequence[Scored],
    size: int,
    floor: float,
    least: int = 3,
    min_coverage: float = 0.45,
) -> list[Scored]:
    """Up to `size` good sentences without near-duplicates; at least `least` if enough of
    the rest still cover the question."""
    picked: list[Scored] = []
    top = ranked[0].score if ranked else 0.0
    for item in ranked:
        if len(picked) >= size:
            break
        strong = item.score >= top * floor
        if not strong and (len(picked) >= least or item.coverage < min_coverage):
            continue
        text = kb.fb.sentences[item.sentence].text
        if any(fuzz.token_set_ratio(text, kb.fb.sentences[p.sentence].text) >= 85 for p in picked):
            continue
        picked.append(item)
    return picked
