"""The loaded fact base plus the indexes built from it once at start."""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path

from pydantic import ValidationError

from bot.core.index import Bm25
from bot.core.resolve import Resolver
from bot.core.store import build_indexes, parse, read_index
from bot.core.text import terms, words
from bot.models import SCHEMA_VERSION, Event, FactBase, Quote, Sentence

REBUILD = "python -m bot build"


class FactBaseError(Exception):
    """The fact base file is missing, corrupt or outdated: one message names file and fix."""


class Knowledge:
    """A validated fact base with lookups and search indexes, built once, read by every query."""

    def __init__(self, fb: FactBase, indexes: tuple[Bm25, Bm25, Bm25] | None = None) -> None:
        """`indexes`: sentence, paragraph and quote indexes saved at build (bot.core.store)."""
        self.fb = fb
        self.sources = {s.file: s for s in fb.sources}
        self.actors = {a.id: a for a in fb.actors}
        self.stats = {s.actor: s for s in fb.actor_stats}
        self.sentence_index, self.paragraph_index, self.quote_index = indexes or build_indexes(fb)
        self.resolver = Resolver(fb.actors, self.sentence_index.vocabulary())
        # Words of the source records (titles, outlets, authors): known, though not body text.
        self.record_terms = frozenset(
            t for s in fb.sources for field in (s.title, s.outlet, s.author) for t in terms(field)
        )
        self.actors_in: dict[int, set[str]] = defaultdict(set)
        for m in fb.mentions:
            self.actors_in[m.sentence].add(m.actor)
        self.quotes_in: dict[int, list[Quote]] = defaultdict(list)
        for q in fb.quotes:
            self.quotes_in[q.sentence].append(q)
        self.event_of = {e.sentence: e for e in fb.events}
        # Dated events: in fact base order, by sentence, and by date (the plain /timeline).
        self.dated = [e for e in fb.events if e.date]
        self.dated_in: dict[int, list[Event]] = defaultdict(list)
        for e in self.dated:
            self.dated_in[e.sentence].append(e)
        self.dated_by_date = sorted(self.dated, key=lambda e: (e.date or "", e.id))
        # The corpus's words as written (folded), for mending typos before stemming.
        self.words = frozenset(w for s in fb.sentences for w in words(s.text)) | frozenset(
            w for s in fb.sources for field in (s.title, s.author) for w in words(field)
        )
        self.words_by_initial: dict[str, list[str]] = defaultdict(list)
        for w in sorted(self.words):
            self.words_by_initial[w[0]].append(w)
        self.vocabulary = sorted(t for t in self.sentence_index.vocabulary() if t[:1] != "@")
        self.sentences_in: dict[int, list[int]] = defaultdict(list)  # paragraph -> sentences
        for sentence in fb.sentences:
            self.sentences_in[sentence.paragraph].append(sentence.id)
        self.sentences_of: dict[str, list[Sentence]] = defaultdict(list)
        for sentence in fb.sentences:
            self.sentences_of[sentence.source].append(sentence)

    def terms_from(self, prefix: str) -> list[str]:
        """Index terms starting with `prefix`, in order."""
        at = bisect_left(self.vocabulary, prefix)
        out = []
        while at < len(self.vocabulary) and self.vocabulary[at].startswith(prefix):
            out.append(self.vocabulary[at])
            at += 1
        return out


def load(path: Path) -> Knowledge:
    """Read and validate factbase.json; refuse anything but the current schema.

    The fact base lives as long as the process, and is a million objects or more at
    thousands of articles: the cyclic collector is paused while they are made (each pass
    would walk them all again, which doubled the load) and then told to leave them be.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        kb = _load(path)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return kb


def _load(path: Path) -> Knowledge:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FactBaseError(f"{path} is missing. Run `{REBUILD}` to create it.") from None
    try:
        fb = parse(raw)
    except ValidationError as exc:
        version = _schema_version(raw)
        if version is not None and version != SCHEMA_VERSION:
            raise _outdated(path, version) from None
        raise FactBaseError(
            f"{path} is corrupt ({exc.error_count()} errors). Run `{REBUILD}` to rebuild it."
        ) from None
    if fb.schema_version != SCHEMA_VERSION:
        raise _outdated(path, fb.schema_version)
    return Knowledge(fb, read_index(path, raw))


def _outdated(path: Path, version: int) -> FactBaseError:
    return FactBaseError(
        f"{path} has schema version {version}, this code needs {SCHEMA_VERSION}. "
        f"Run `{REBUILD}` to rebuild it."
    )


def _schema_version(raw: bytes) -> int | None:
    import json

    try:
        value = json.loads(raw).get("schema_version")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None
