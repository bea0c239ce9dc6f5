"""Plain search engines over the same sentences and queries, to put our latency in proportion.

They only rank sentences; we also route, resolve names, rank paragraphs and actors, check
confidence and cite, so the ratio says how much that extra work costs, not who is better.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, Protocol

from bot.core.text import STOPWORDS, words

TOP = 30


class Peer(Protocol):
    name: str

    def search(self, query: str) -> int:
        """Rank the passages for a query; returns how many came back."""
        ...

    def close(self) -> None:
        """Release what the index holds outside Python's heap."""
        ...


class Fts5:
    """SQLite FTS5 with its built-in bm25(), in memory, accents folded by unicode61."""

    name = "SQLite FTS5"

    def __init__(self, passages: Sequence[str]) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        tokenizer = "unicode61 remove_diacritics 2"
        self.db.execute(f"CREATE VIRTUAL TABLE passage USING fts5(text, tokenize='{tokenizer}')")
        self.db.executemany("INSERT INTO passage(rowid, text) VALUES (?, ?)", enumerate(passages))
        self.db.commit()

    def search(self, query: str) -> int:
        match = _or_query(query)
        if not match:
            return 0
        rows = self.db.execute(
            "SELECT rowid FROM passage WHERE passage MATCH ? ORDER BY bm25(passage) LIMIT ?",
            (match, TOP),
        ).fetchall()
        return len(rows)

    def close(self) -> None:
        self.db.close()


class Bm25s:
    """bm25s (sparse matrices in NumPy), its own tokenizer and English stopwords."""

    name = "bm25s"

    def __init__(self, passages: Sequence[str]) -> None:
        import bm25s

        self._bm25s: Any = bm25s
        self.size = len(passages)
        self.retriever: Any = bm25s.BM25()
        self.retriever.index(
            bm25s.tokenize(list(passages), stopwords="en", show_progress=False),
            show_progress=False,
        )

    def search(self, query: str) -> int:
        tokens = self._bm25s.tokenize([query], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return 0
        docs, _ = self.retriever.retrieve(
            tokens, k=min(TOP, self.size), show_progress=False, n_threads=0
        )
        return int(docs.shape[1])

    def close(self) -> None:
        """Nothing to release: its index is NumPy arrays, freed with the object."""


def _or_query(query: str) -> str:
    """Content words OR-ed together, each quoted so no word is read as FTS5 syntax."""
    kept = dict.fromkeys(w for w in words(query) if w not in STOPWORDS and len(w) > 1)
    return " OR ".join(f'"{w}"' for w in kept)
