"""BM25 over short texts, indexed once at load and queried with the shared normalisation."""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

K1 = 1.2
B = 0.75
# Postings a capped query reads per term: the highest-impact ones. Far above any term of the
# shipped corpus (at most a few hundred), so there it changes nothing; in a corpus of thousands
# of articles it keeps a query's cost flat instead of growing with every article added.
CAP = 1000
# Bytes of postings read from the store kept for the next queries (see _Postings).
KEPT_BYTES = 8 * 1024 * 1024
INTERSECT_IN_NUMPY = 4096  # postings looked up, above which `having_all` uses numpy
CAPPED_KEPT = 4096  # terms' capped postings kept (8 KB each)


def length_norms(lengths: Sequence[int]) -> array[float]:
    """Each document's BM25 length normalisation, from every document's length."""
    avg = (sum(lengths) / len(lengths)) if len(lengths) else 1.0
    return array("d", (K1 * (1 - B + B * n / avg) for n in lengths))


def idf_of(size: int, df: int) -> float:
    """A term's IDF in `size` documents, `df` of them holding it."""
    return math.log(1 + (size - df + 0.5) / (df + 0.5))


def capped(
    ids: Sequence[int], tfs: Sequence[int], norms: Sequence[float]
) -> tuple[array[int], array[int]] | None:
    """A term's CAP postings with the highest BM25 impact, tf / (tf + norm) (ties: lower
    id), in id order: what a capped query reads. The build stores it for every long list
    (a query at 50,000 articles would otherwise sort half a million postings); the same
    arithmetic as the in-memory index, in float64, so both choose the same postings.
    None for a list no longer than CAP: a query reads all of it."""
    if len(ids) <= CAP:
        return None
    import numpy as np  # here: the shipped corpus starts without numpy (its lists are short)

    at = np.asarray(ids, dtype=np.int32)
    tf = np.asarray(tfs, dtype=np.float64)
    try:  # the index's norms viewed in place: the build caps thousands of lists
        norm = np.frombuffer(norms, dtype=np.float64)  # type: ignore[call-overload]
    except TypeError:
        norm = np.asarray(norms, dtype=np.float64)
    impact = tf / (tf + norm[at])
    best = np.sort(np.lexsort((np.arange(len(at)), -impact))[:CAP])
    return array("i", at[best].tobytes()), array("i", tf[best].astype(np.int32).tobytes())


def typical_of(idfs: Iterable[float]) -> float:
    """The median IDF: what a query's match is scaled by."""
    ordered = sorted(idfs)
    return ordered[len(ordered) // 2] if ordered else 1.0


def holds(ids: Sequence[int], doc_id: int) -> bool:
    """Whether a sorted posting list holds the document: a binary search."""
    at = bisect_left(ids, doc_id)
    return at < len(ids) and ids[at] == doc_id


class Bm25:
    """Okapi BM25 with postings lists; scores only documents that share a term.

    Postings are compact arrays of document ids (ascending) and term frequencies, and each
    document's length normalisation is computed once, so a query costs only its postings.
    """

    def __init__(self, docs: Iterable[Sequence[str]]) -> None:
        """`docs`: each document's tokens (bot.core.text.terms, plus actor keys)."""
        ids: dict[str, array[int]] = {}
        tfs: dict[str, array[int]] = {}
        lengths = array("i")
        for doc_id, tokens in enumerate(docs):
            counts = Counter(tokens)
            lengths.append(sum(counts.values()))
            for term, tf in counts.items():
                if term not in ids:
                    ids[term], tfs[term] = array("i"), array("i")
                ids[term].append(doc_id)
                tfs[term].append(tf)
        self._setup(lengths, ids, tfs)

    @classmethod
    def from_postings(
        cls, lengths: array[int], ids: dict[str, array[int]], tfs: dict[str, array[int]]
    ) -> Bm25:
        """An index from postings saved at build time (bot.core.store), without re-tokenising."""
        index = cls.__new__(cls)
        index._setup(lengths, ids, tfs)
        return index

    @classmethod
    def stored(
        cls,
        *,
        norms: Sequence[float],
        idf: dict[str, float],
        typical: float,
        fetch: Callable[[str], tuple[array[int], array[int]]],
        fetch_top: Callable[[str], tuple[array[int], array[int]] | None],
    ) -> Bm25:
        """An index whose postings stay in the store until a query reads them
        (bot.core.store); norms, IDFs and each long list's capped postings were computed at
        build by the same arithmetic. `fetch_top`: a term's capped postings, None when its
        whole list is no longer than CAP."""
        index = cls.__new__(cls)
        index.size = len(norms)
        index.norms = norms
        index.idf = idf
        index.terms = list(idf)
        index.typical = typical
        postings = _Postings(fetch, idf)
        index.ids, index.tfs = postings.ids, postings.tfs
        index._capped = {}
        index._fetch_top = fetch_top
        return index

    def _setup(
        self, lengths: array[int], ids: dict[str, array[int]], tfs: dict[str, array[int]]
    ) -> None:
        self.size = len(lengths)
        self.ids: Mapping[str, array[int]] = ids
        self.tfs: Mapping[str, array[int]] = tfs
        self.norms: Sequence[float] = length_norms(lengths)
        self.idf = {t: idf_of(self.size, len(p)) for t, p in ids.items()}
        self.terms = list(ids)
        self._capped: dict[str, tuple[array[int], array[int]]] = {}
        self._fetch_top: Callable[[str], tuple[array[int], array[int]] | None] | None = None
        self.typical = typical_of(self.idf.values())

    def vocabulary(self) -> Sequence[str]:
        return self.terms

    def contains(self, term: str, doc_id: int) -> bool:
        """Whether the document has the term: a binary search of its postings."""
        ids = self.ids.get(term)
        return ids is not None and holds(ids, doc_id)

    def having_all(self, terms: Sequence[str]) -> list[int]:
        """The documents holding every term, ascending: the rarest term's postings, each
        looked up in the others'. Long lists are intersected by numpy's binary search (a
        common term has half a million postings at 50,000 articles), short ones here."""
        wanted = list(dict.fromkeys(terms))
        if not wanted or any(t not in self.ids for t in wanted):
            return []
        wanted.sort(key=lambda t: len(self.ids[t]))
        rarest, others = self.ids[wanted[0]], wanted[1:]
        if not others:
            return list(rarest)
        if len(rarest) * len(others) < INTERSECT_IN_NUMPY:
            return [d for d in rarest if all(self.contains(t, d) for t in others)]
        import numpy as np  # here, like `capped`: only long lists need it

        found = np.frombuffer(rarest, dtype=np.int32)
        for term in others:
            ids = np.frombuffer(self.ids[term], dtype=np.int32)
            at = np.minimum(np.searchsorted(ids, found), len(ids) - 1)
            found = found[ids[at] == found]
        return found.tolist()  # type: ignore[no-any-return]

    def score(self, query_terms: Sequence[str], *, capped: bool = False) -> dict[int, float]:
        """doc id -> BM25 score, for every document matching at least one term; `capped`
        reads only each term's CAP highest-impact postings (static index pruning)."""
        scores: dict[int, float] = {}
        norms = self.norms
        get = scores.get
        for term in dict.fromkeys(query_terms):
            idf = self.idf.get(term)
            if idf is None:
                continue
            ids, tfs = self.top(term) if capped else (self.ids[term], self.tfs[term])
            for doc_id, tf in zip(ids, tfs, strict=True):
                scores[doc_id] = get(doc_id, 0.0) + idf * tf * (K1 + 1) / (tf + norms[doc_id])
        return scores

    def scorer(self, query_terms: Sequence[str]) -> Callable[[int], float]:
        """doc id -> score(query_terms).get(doc id, 0.0), one document at a time: for scoring
        a few candidates without reading whole postings lists."""
        known = [
            (self.idf[t], self.ids[t], self.tfs[t])
            for t in dict.fromkeys(query_terms)
            if t in self.idf
        ]
        norms = self.norms

        def score(doc_id: int) -> float:
            total = 0.0
            for idf, ids, tfs in known:
                at = bisect_left(ids, doc_id)
                if at < len(ids) and ids[at] == doc_id:
                    tf = tfs[at]
                    total = total + idf * tf * (K1 + 1) / (tf + norms[doc_id])
            return total

        return score

    def top(self, term: str) -> tuple[array[int], array[int]]:
        """The term's CAP postings with the highest BM25 impact (see `capped`): read from
        the store, or worked out on first use of a long list; kept with the index."""
        kept = self._capped.get(term)
        if kept is not None:
            return kept
        if self._fetch_top is not None:
            found = self._fetch_top(term)
            if found is None:  # a short list: all of it
                return self.ids[term], self.tfs[term]
            kept = found
        else:
            ids, tfs = self.ids[term], self.tfs[term]
            found = capped(ids, tfs, self.norms)
            if found is None:
                return ids, tfs
            kept = found
        if len(self._capped) >= CAPPED_KEPT:
            self._capped.pop(next(iter(self._capped)))
        self._capped[term] = kept
        return kept

    def ceiling(self, query_terms: Sequence[str]) -> float:
        """A scale for 'how well did we match': the summed IDF of the query's distinct terms, what
        a typical-length document holding each term once scores."""
        return sum(self.idf.get(t, 0.0) for t in dict.fromkeys(query_terms))


class _Postings:
    """Postings read from the store on first use of a term, then kept for the next query
    (a worker's hot terms) within KEPT_BYTES, the least recently used let go first: at
    50,000 articles a common term's list is megabytes, and keeping every list ever read
    grew a worker by hundreds of megabytes."""

    def __init__(
        self, fetch: Callable[[str], tuple[array[int], array[int]]], known: Mapping[str, float]
    ) -> None:
        self.fetch = fetch
        self.known = known
        self.kept: dict[str, tuple[array[int], array[int]]] = {}
        self.held = 0  # bytes of the kept lists
        self.ids = _View(self, 0)
        self.tfs = _View(self, 1)

    def get(self, term: str) -> tuple[array[int], array[int]]:
        kept = self.kept.pop(term, None)
        if kept is None:
            if term not in self.known:
                raise KeyError(term)
            kept = self.fetch(term)
            self.held += _bytes(kept)
            while self.kept and self.held > KEPT_BYTES:
                self.held -= _bytes(self.kept.pop(next(iter(self.kept))))
        self.kept[term] = kept  # last: the most recently used
        return kept


def _bytes(postings: tuple[array[int], array[int]]) -> int:
    return len(postings[0]) * 2 * postings[0].itemsize


class _View(Mapping[str, "array[int]"]):
    """term -> ids (part 0) or term frequencies (part 1), as a mapping."""

    def __init__(self, postings: _Postings, part: int) -> None:
        self.postings = postings
        self.part = part

    def __getitem__(self, term: str) -> array[int]:
        return self.postings.get(term)[self.part]

    def __iter__(self) -> Iterator[str]:
        return iter(self.postings.known)

    def __len__(self) -> int:
        return len(self.postings.known)

    def __contains__(self, term: object) -> bool:
        return term in self.postings.known
