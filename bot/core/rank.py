"""Rank sentences for a topic: BM25 on sentence and paragraph, actor matches, typo repair."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.knowledge import Knowledge
from bot.core.text import terms

PARAGRAPH_WEIGHT = 0.3
ACTOR_WEIGHT = 0.35
ABBREVIATIONS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december", "ppl": "people", "govt": "government",
    "intl": "international", "mil": "military",
}


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
            best = process.extractOne(term, list(vocabulary), scorer=fuzz.ratio, score_cutoff=85)
            if best:
                term = best[0]
        out.append(term)
    return out


def coverage(kb: Knowledge, query: Sequence[str], sentence: int) -> float:
    """Share of the query's weight (IDF) found in the sentence or its paragraph."""
    if not query:
        return 0.0
    s = kb.fb.sentences[sentence]
    present = set(terms(s.text)) | set(terms(kb.fb.paragraphs[s.paragraph].text))
    unknown = max(kb.sentence_index.idf.values(), default=1.0)
    weights = {t: kb.sentence_index.idf.get(t, unknown) for t in set(query)}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in present) / total if total else 0.0


def rank(
    kb: Knowledge, query: Sequence[str], actors: Iterable[str] = (), limit: int = 30
) -> list[Scored]:
    """Sentences best first: lexical match, its paragraph's match, and the actors asked about."""
    wanted = set(actors)
    sentence_scores = kb.sentence_index.score(query)
    paragraph_scores = kb.paragraph_index.score(query)
    ceiling = kb.sentence_index.ceiling(query) or 1.0
    candidates = set(sentence_scores)
    for actor in wanted:
        stats = kb.stats.get(actor)
        if stats:
            candidates.update(stats.sentences)
    scored = []
    for sid in candidates:
        s = kb.fb.sentences[sid]
        lexical = sentence_scores.get(sid, 0.0) / ceiling
        context = paragraph_scores.get(s.paragraph, 0.0) / ceiling
        named = len(wanted & kb.actors_in[sid]) / len(wanted) if wanted else 0.0
        score = lexical + PARAGRAPH_WEIGHT * context + ACTOR_WEIGHT * named
        scored.append((score, sid))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [Scored(sid, score, coverage(kb, query, sid)) for score, sid in scored[:limit]]


def diverse(kb: Knowledge, ranked: Sequence[Scored], size: int, floor: float) -> list[Scored]:
    """Pick up to `size` good sentences, skipping near-duplicates of ones already picked."""
    picked: list[Scored] = []
    top = ranked[0].score if ranked else 0.0
    for item in ranked:
        if len(picked) >= size or item.score < top * floor:
            break
        text = kb.fb.sentences[item.sentence].text
        if any(fuzz.token_set_ratio(text, kb.fb.sentences[p.sentence].text) >= 85 for p in picked):
            continue
        picked.append(item)
    return picked
