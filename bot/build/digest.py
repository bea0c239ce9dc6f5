"""A short extractive summary of each source: its key sentences, the most telling first.

What an article argues is where it says most of what the rest says (centrality: LexRank,
Erkan and Radev 2004, over TF-IDF cosine), and where articles state it: the lead and the
last paragraph (position, the strongest cue of extractive summarisation). The sentences are
picked by maximal marginal relevance (Carbonell and Goldstein 1998), so a lead repeated in
the body is shown once. The headline and sentences that are mostly someone's quoted words
are not the article's own claims and are left out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from bot.core.text import terms, words
from bot.models import Quote, Sentence

KEY_SENTENCES = 6
DAMPING = 0.85  # PageRank's usual damping factor
ITERATIONS = 50
LEAD_WEIGHT = 0.5  # the first body sentence's bonus beside the most central's 1.0; then 1/k
CONCLUSION_WEIGHT = 0.25  # each sentence of the last paragraph: a weaker cue than the lead
REDUNDANCY = 0.5  # MMR: the cost of a sentence's similarity to one already picked
DIGITS = 9  # scores compared rounded: float sums may differ in the last bits across machines
QUOTED_SHARE = 0.5  # a sentence this much in quotation marks is someone else's words


def central(
    sentences: list[Sentence],
    title: str = "",
    quotes: Sequence[Quote] = (),
    size: int = KEY_SENTENCES,
) -> list[int]:
    """Ids of an article's key sentences, the most telling first."""
    own = _own(sentences, title, quotes)
    if not own:
        return []
    similarity = _similarity([s.text for s in own])
    score = _centrality(similarity) + _position(own)
    picked: list[int] = []
    while len(picked) < min(size, len(own)):
        penalty = similarity[:, picked].max(axis=1) if picked else np.zeros(len(own))
        gain = np.round(score - REDUNDANCY * penalty, DIGITS)  # the same on any BLAS
        gain[picked] = -np.inf
        picked.append(int(np.argmax(gain)))  # ties: the earlier sentence
    return [own[i].id for i in picked]


def _own(sentences: list[Sentence], title: str, quotes: Sequence[Quote]) -> list[Sentence]:
    """The article's own sentences: not its headline, not mostly another's quoted words."""
    quoted: Counter[int] = Counter()
    for q in quotes:
        if q.speech:
            quoted[q.sentence] += q.end - q.start
    headline = words(title)
    return [
        s
        for s in sentences
        if words(s.text) != headline and quoted[s.id] < QUOTED_SHARE * (s.end - s.start)
    ]


def _similarity(texts: list[str]) -> np.ndarray:
    """Cosine similarity of sublinear TF-IDF vectors, zero on the diagonal."""
    bags = [Counter(terms(t)) for t in texts]
    vocabulary = {t: i for i, t in enumerate(dict.fromkeys(t for bag in bags for t in bag))}
    rows, cols, values = [], [], []
    for row, bag in enumerate(bags):
        for t, n in bag.items():
            rows.append(row)
            cols.append(vocabulary[t])
            values.append(1.0 + math.log(n))
    tf = np.zeros((len(bags), len(vocabulary)))
    tf[rows, cols] = values
    df = (tf > 0).sum(axis=0)
    vectors = tf * np.log(1.0 + len(bags) / np.maximum(df, 1))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors /= np.where(norms > 0, norms, 1.0)
    similarity: np.ndarray = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    return similarity


def _centrality(similarity: np.ndarray) -> np.ndarray:
    """LexRank: PageRank over the similarity graph, scaled so the most central is 1."""
    n = len(similarity)
    rows = similarity.sum(axis=1, keepdims=True)
    walk = np.divide(similarity, rows, out=np.full_like(similarity, 1.0 / n), where=rows > 0)
    rank = np.full(n, 1.0 / n)
    for _ in range(ITERATIONS):
        rank = (1 - DAMPING) / n + DAMPING * (walk.T @ rank)
    top = rank.max()
    return rank / top if top > 0 else rank


def _position(sentences: list[Sentence]) -> np.ndarray:
    """The lead's bonus, falling with each sentence, and the last paragraph's."""
    last = sentences[-1].paragraph
    return np.array(
        [
            LEAD_WEIGHT / (1 + k) + (CONCLUSION_WEIGHT if s.paragraph == last else 0.0)
            for k, s in enumerate(sentences)
        ]
    )
