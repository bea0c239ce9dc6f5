"""BM25 over short texts, indexed once at load and queried with the shared normalisation."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from bot.core.text import terms

K1 = 1.2
B = 0.75


class Bm25:
    """Okapi BM25 with postings lists; scores only documents that share a term."""

    def __init__(self, docs: Iterable[str]) -> None:
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths: list[int] = []
        for doc_id, text in enumerate(docs):
            counts = Counter(terms(text))
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                postings[term].append((doc_id, tf))
        self.size = len(lengths)
        self.avg = (sum(lengths) / self.size) if self.size else 1.0
        self.lengths = lengths
        self.postings = dict(postings)
        self.idf = {
            t: math.log(1 + (self.size - len(p) + 0.5) / (len(p) + 0.5))
            for t, p in self.postings.items()
        }

    def vocabulary(self) -> Sequence[str]:
        return list(self.postings)

    def score(self, query_terms: Sequence[str]) -> dict[int, float]:
        """doc id -> BM25 score, for every document matching at least one term."""
        scores: dict[int, float] = defaultdict(float)
        for term in dict.fromkeys(query_terms):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for doc_id, tf in self.postings[term]:
                norm = K1 * (1 - B + B * self.lengths[doc_id] / self.avg)
                scores[doc_id] += idf * tf * (K1 + 1) / (tf + norm)
        return scores

    def ceiling(self, query_terms: Sequence[str]) -> float:
        """The most one typical document could score: a scale for 'how well did we match'."""
        return sum(self.idf.get(t, 0.0) for t in dict.fromkeys(query_terms)) * (K1 + 1) / (1 + K1)
