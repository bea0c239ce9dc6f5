"""rank() over numpy arrays, for fact bases of thousands of articles.

Every score is the same IEEE arithmetic, in the same order, as the Python loop in
bot.core.rank (sums term by term, then lexical / ceiling + weight * paragraph / ceiling +
weight * named), so both give identical floats and rankings: a test runs the answers of the
shipped corpus through this path and compares them byte for byte.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np

from bot.core.index import CAP, K1, Bm25
from bot.core.knowledge import Knowledge

Floats = np.ndarray[Any, np.dtype[np.float64]]
Ints = np.ndarray[Any, np.dtype[np.integer[Any]]]


def rank_arrays(
    kb: Knowledge,
    keys: Sequence[str],
    actors: Iterable[str],
    limit: int,
    sources: Collection[str],
    variants: Sequence[str],
) -> list[tuple[int, float]]:
    """(sentence id, score) best first, as bot.core.rank.rank computes them."""
    from bot.core.rank import ACTOR_WEIGHT, BACK_WEIGHT, PARAGRAPH_WEIGHT, VARIANT_WEIGHT

    cols = _columns(kb)
    paragraph_of, source_of, back = cols["paragraph_of"], cols["source_of"], cols["back"]
    size = len(paragraph_of)
    index = kb.sentence_index
    lex, matched = _dense(index, keys, size, capped=True)
    if variants:  # in place: at 50,000 articles each temporary is 18 MB
        extra, also = _dense(index, variants, size, capped=True)
        extra *= VARIANT_WEIGHT
        lex += extra
        matched |= also
        del extra, also
    ceiling = index.ceiling(keys) or 1.0
    wanted = set(actors)
    # Per wanted actor, the sentences naming it or a leader of it (bot.core.rank.rank).
    voiced = [[v for v in kb.spoken_of(a) if v in kb.stats] for a in wanted]
    named_in = [
        np.concatenate([_view(kb.stats[v].sentences, "i", np.int32) for v in voices])
        for voices in voiced
        if voices
    ]
    candidate = matched.copy()
    for voices in voiced:
        for v in voices:
            candidate[_view(kb.stats[v].sentences, "i", np.int32)[:CAP]] = True
    # A sentence that refers back is a candidate when the one before it matches.
    candidate[1:] |= matched[:-1] & cols["same_as_before"]
    if sources:
        allowed = [kb.source_index[s] for s in sources if s in kb.source_index]
        candidate &= np.isin(source_of, np.asarray(allowed, dtype=np.int64))
    sids: Ints = np.flatnonzero(candidate)
    if not len(sids):
        return []
    lexical = lex[sids]
    before = np.maximum(sids - 1, 0)
    refers = (sids > 0) & (paragraph_of[before] == paragraph_of[sids]) & (back[sids] != 0)
    lexical = np.where(refers, lexical + BACK_WEIGHT * lex[before], lexical)
    paragraphs, _ = _dense(kb.paragraph_index, keys, len(kb.fb.paragraphs), capped=False)
    paragraph = paragraphs[paragraph_of[sids]]
    named_count = np.zeros(len(sids), dtype=np.float64)  # how many wanted actors each names
    for sentences in named_in:
        named_count += np.isin(sids, sentences)
    named = named_count / len(wanted) if wanted else np.zeros(len(sids))
    score = lexical / ceiling + PARAGRAPH_WEIGHT * paragraph / ceiling + ACTOR_WEIGHT * named
    order = np.lexsort((sids, -score))[:limit]
    return [(int(sids[i]), float(score[i])) for i in order]


def _dense(index: Bm25, terms: Sequence[str], size: int, *, capped: bool) -> tuple[Floats, Any]:
    """Every document's BM25 score for the terms (0.0 where none matches), and which match:
    Bm25.score's sum, term by term in the same order, as one array."""
    scores: Floats = np.zeros(size, dtype=np.float64)
    matched = np.zeros(size, dtype=bool)
    norms = _norms(index)
    for term in dict.fromkeys(terms):
        idf = index.idf.get(term)
        if idf is None:
            continue
        raw_ids, raw_tfs = index.top(term) if capped else (index.ids[term], index.tfs[term])
        ids = np.frombuffer(raw_ids, dtype=np.int32) if len(raw_ids) else np.zeros(0, np.int32)
        tfs = np.frombuffer(raw_tfs, dtype=np.int32).astype(np.float64) if len(raw_tfs) else 0.0
        scores[ids] = scores[ids] + idf * tfs * (K1 + 1) / (tfs + norms[ids])
        matched[ids] = True
    return scores, matched


def _view(values: Sequence[Any], code: str, dtype: Any) -> Any:
    """A column as a numpy array: the store's arrays are viewed in place, not copied (at
    50,000 articles a sentence column is 2.2 million numbers)."""
    if isinstance(values, bytes | memoryview) or (
        isinstance(values, array) and values.typecode == code
    ):
        return np.frombuffer(values, dtype=dtype)
    return np.asarray(values, dtype=dtype)


def _norms(index: Bm25) -> Floats:
    kept: Floats | None = getattr(index, "_norms_array", None)
    if kept is None:
        kept = _view(index.norms, "d", np.float64)
        index._norms_array = kept  # type: ignore[attr-defined]
    return kept


def _columns(kb: Knowledge) -> dict[str, Ints]:
    """The sentence columns rank reads, as numpy arrays (once per fact base)."""
    kept: dict[str, Ints] | None = getattr(kb, "_vector_columns", None)
    if kept is None:
        kept = {
            name: _view(getattr(kb, name), "i", np.int32) for name in ("paragraph_of", "source_of")
        }
        kept["back"] = _view(kb.back, "B", np.uint8)
        paragraph_of = kept["paragraph_of"]
        kept["same_as_before"] = paragraph_of[1:] == paragraph_of[:-1]
        kb._vector_columns = kept  # type: ignore[attr-defined]
    return kept
