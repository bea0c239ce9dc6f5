"""A short extractive summary of each source: its most central sentences, in reading order."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from bot.core.text import terms
from bot.models import Sentence, Source, SourceDigest

SUMMARY_SENTENCES = 3


def digests(sources: list[Source], sentences: list[Sentence]) -> list[SourceDigest]:
    by_source: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences:
        by_source[s.source].append(s)
    return [SourceDigest(source=src.file, summary=central(by_source[src.file])) for src in sources]


def central(sentences: list[Sentence], size: int = SUMMARY_SENTENCES) -> list[int]:
    """Ids of the sentences most similar to the rest of their article (TF-IDF cosine).

    The sentence that shares most weighted vocabulary with all the others states what the
    article is about; headings and asides share little and drop out.
    """
    bags = [Counter(terms(s.text)) for s in sentences]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    vectors = []
    for bag in bags:
        vec = {t: tf * math.log(1 + n / df[t]) for t, tf in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    centroid: dict[str, float] = defaultdict(float)
    for vec in vectors:
        for t, v in vec.items():
            centroid[t] += v
    scores = [sum(v * (centroid[t] - v) for t, v in vec.items()) for vec in vectors]
    ranked = sorted(range(n), key=lambda i: (-round(scores[i], 9), i))[:size]
    return sorted(sentences[i].id for i in ranked)
