"""Rank sentences for a question: BM25 on the sentence, its paragraph and what it refers back to."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.core.index import CAP
from bot.core.knowledge import Knowledge
from bot.core.passages import refers_back

PARAGRAPH_WEIGHT = 0.3
ACTOR_WEIGHT = 0.35
# A sentence that opens by referring back ("So is Russia, but ...") is about what the
# sentence before it names: part of that sentence's match counts for it.
BACK_WEIGHT = 0.5
VARIANT_WEIGHT = 0.5


@dataclass(frozen=True)
class Scored:
    sentence: int
    score: float


def rank(
    kb: Knowledge,
    keys: Sequence[str],
    actors: Iterable[str] = (),
    limit: int = 30,
    *,
    sources: Collection[str] = (),
    variants: Sequence[str] = (),
) -> list[Scored]:
    """Sentences best first: lexical match, its paragraph's, and the actors asked about;
    only from `sources` when given; `variants` of the terms count at VARIANT_WEIGHT."""
    wanted = set(actors)
    sentence_scores = kb.sentence_index.score(keys, capped=True)
    for sid, value in kb.sentence_index.score(variants, capped=True).items():
        sentence_scores[sid] = sentence_scores.get(sid, 0.0) + VARIANT_WEIGHT * value
    ceiling = kb.sentence_index.ceiling(keys) or 1.0
    candidates = set(sentence_scores)
    for actor in wanted:
        stats = kb.stats.get(actor)
        if stats:
            candidates.update(stats.sentences[:CAP])
    # A sentence that refers back is a candidate when the one before it matches.
    candidates.update(
        sid + 1
        for sid in sentence_scores
        if sid + 1 < len(kb.fb.sentences) and _same_paragraph(kb, sid, sid + 1)
    )
    paragraph_score = kb.paragraph_index.scorer(keys)
    paragraph_scores: dict[int, float] = {}
    scored = []
    for sid in candidates:
        s = kb.fb.sentences[sid]
        if sources and s.source not in sources:
            continue
        lexical = sentence_scores.get(sid, 0.0)
        if sid > 0 and _same_paragraph(kb, sid - 1, sid) and refers_back(s.text):
            lexical += BACK_WEIGHT * sentence_scores.get(sid - 1, 0.0)
        paragraph = paragraph_scores.get(s.paragraph)
        if paragraph is None:
            paragraph = paragraph_scores[s.paragraph] = paragraph_score(s.paragraph)
        named = len(wanted & kb.actors_in[sid]) / len(wanted) if wanted else 0.0
        score = lexical / ceiling + PARAGRAPH_WEIGHT * paragraph / ceiling + ACTOR_WEIGHT * named
        scored.append((score, sid))
    best = heapq.nsmallest(limit, scored, key=lambda pair: (-pair[0], pair[1]))
    return [Scored(sid, score) for score, sid in best]


def _same_paragraph(kb: Knowledge, a: int, b: int) -> bool:
    return kb.fb.sentences[a].paragraph == kb.fb.sentences[b].paragraph


def diverse(kb: Knowledge, ranked: Sequence[Scored], size: int) -> list[Scored]:
    """Up to `size` sentences in rank order without near-duplicates (pull quotes,
    republications)."""
    picked: list[Scored] = []
    for item in ranked:
        if len(picked) >= size:
            break
        text = kb.fb.sentences[item.sentence].text
        if any(fuzz.token_set_ratio(text, kb.fb.sentences[p.sentence].text) >= 85 for p in picked):
            continue
        picked.append(item)
    return picked
