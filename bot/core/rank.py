"""Rank sentences for a question: BM25 on the sentence, its paragraph and what it refers back to."""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.core.index import CAP
from bot.core.knowledge import Knowledge

PARAGRAPH_WEIGHT = 0.3
ACTOR_WEIGHT = 0.35
# A sentence that opens by referring back ("So is Russia, but ...") is about what the
# sentence before it names: part of that sentence's match counts for it.
BACK_WEIGHT = 0.5
VARIANT_WEIGHT = 0.5
# Sentences from which scoring is vectorised: numpy's import (~60 ms) would double the
# shipped corpus's start, where a query's Python loop costs well under a millisecond.
VECTOR_FROM = 20_000


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
    only from `sources` when given; `variants` of the terms count at VARIANT_WEIGHT.

    A large fact base is scored with numpy (bot.core.vector): the same arithmetic in the
    same order, so the same floats and the same ranking; a small one never imports numpy."""
    if len(kb.paragraph_of) >= VECTOR_FROM:
        from bot.core.vector import rank_arrays

        return [
            Scored(sid, score)
            for sid, score in rank_arrays(kb, keys, actors, limit, sources, variants)
        ]
    wanted = set(actors)
    # A state is named by its leader too ("Putin launched ..." speaks of Russia).
    voices = {a: set(kb.spoken_of(a)) for a in wanted}
    sentence_scores = kb.sentence_index.score(keys, capped=True)
    for sid, value in kb.sentence_index.score(variants, capped=True).items():
        sentence_scores[sid] = sentence_scores.get(sid, 0.0) + VARIANT_WEIGHT * value
    ceiling = kb.sentence_index.ceiling(keys) or 1.0
    candidates = set(sentence_scores)
    for actor in wanted:
        for voice in kb.spoken_of(actor):
            stats = kb.stats.get(voice)
            if stats:
                candidates.update(stats.sentences[:CAP])
    # A sentence that refers back is a candidate when the one before it matches.
    candidates.update(
        sid + 1
        for sid in sentence_scores
        if sid + 1 < len(kb.paragraph_of) and _same_paragraph(kb, sid, sid + 1)
    )
    paragraph_score = kb.paragraph_index.scorer(keys)
    paragraph_scores: dict[int, float] = {}
    scored = []
    source_of, paragraph_of, back = kb.source_of, kb.paragraph_of, kb.back
    allowed = {kb.source_index[s] for s in sources if s in kb.source_index}
    for sid in candidates:
        if sources and source_of[sid] not in allowed:
            continue
        lexical = sentence_scores.get(sid, 0.0)
        pid = paragraph_of[sid]
        if sid > 0 and paragraph_of[sid - 1] == pid and back[sid]:
            lexical += BACK_WEIGHT * sentence_scores.get(sid - 1, 0.0)
        paragraph = paragraph_scores.get(pid)
        if paragraph is None:
            paragraph = paragraph_scores[pid] = paragraph_score(pid)
        here = kb.actors_in[sid]
        named = sum(not here.isdisjoint(voices[a]) for a in wanted) / len(wanted) if wanted else 0.0
        score = lexical / ceiling + PARAGRAPH_WEIGHT * paragraph / ceiling + ACTOR_WEIGHT * named
        scored.append((score, sid))
    best = heapq.nsmallest(limit, scored, key=lambda pair: (-pair[0], pair[1]))
    return [Scored(sid, score) for score, sid in best]


def _same_paragraph(kb: Knowledge, a: int, b: int) -> bool:
    return kb.paragraph_of[a] == kb.paragraph_of[b]


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
