"""The fact base plus what every query reads from it: lookups and search indexes.

Two ways in, same contents: `load` opens the SQLite store the build writes beside
factbase.json (bot.core.store: read-only, memory-mapped, records read on demand), or, when
there is no store (a fresh clone), validates the JSON and derives everything in memory.
`derive` makes the lookups from records held in memory; the build makes the same ones
article by article as it writes the store (bot.build.sink), and tests/test_store.py checks
that both agree.
"""

from __future__ import annotations

import gc
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import ValidationError

from bot.core.backref import backs
from bot.core.describe import describer, reporter
from bot.core.index import Bm25
from bot.core.resolve import Resolver
from bot.core.text import actor_key, terms, words
from bot.models import (
    SCHEMA_VERSION,
    Actor,
    ActorStats,
    BuildReport,
    Event,
    FactBase,
    Mention,
    Paragraph,
    Quote,
    Sentence,
    Source,
    SourceDigest,
)

REBUILD = "python -m bot build"
T = TypeVar("T")


class FactBaseError(Exception):
    """The fact base file is missing, corrupt or outdated: one message names file and fix."""


class Facts(Protocol):
    """What a fact base holds, whether validated JSON (FactBase) or the SQLite store."""

    @property
    def schema_version(self) -> int: ...
    @property
    def sources(self) -> Sequence[Source]: ...
    @property
    def actors(self) -> Sequence[Actor]: ...
    @property
    def paragraphs(self) -> Sequence[Paragraph]: ...
    @property
    def sentences(self) -> Sequence[Sentence]: ...
    @property
    def mentions(self) -> Sequence[Mention]: ...
    @property
    def quotes(self) -> Sequence[Quote]: ...
    @property
    def events(self) -> Sequence[Event]: ...
    @property
    def actor_stats(self) -> Sequence[ActorStats]: ...
    @property
    def digests(self) -> Sequence[SourceDigest]: ...
    @property
    def report(self) -> BuildReport: ...


@dataclass
class Parts:
    """Everything a query reads besides the records themselves, derived once."""

    indexes: tuple[Bm25, Bm25, Bm25]
    stats: Mapping[str, ActorStats]
    actors_in: Mapping[int, AbstractSet[str]]  # sentence -> actors named (in first-named order)
    quotes_in: Mapping[int, Sequence[Quote]]  # sentence -> its quotes
    events: EventLookups
    words: AbstractSet[str]  # the corpus's words as written (folded), for mending typos
    record_terms: AbstractSet[str]  # words of titles, outlets, authors
    vocabulary: Sequence[str]  # sentence-index terms, sorted, without actor keys
    paragraph_of: Sequence[int]  # sentence -> paragraph
    source_of: Sequence[int]  # sentence -> index into fb.sources
    starts: Sequence[int]  # sentence -> start offset
    ends: Sequence[int]  # sentence -> end offset
    back: Sequence[int]  # sentence -> 1 if it is read with the one before (backs)
    first_sentence: Sequence[int]  # paragraph -> its first sentence; one more entry at the end
    source_first: Sequence[int]  # source index -> its first sentence; one more at the end
    described: Mapping[str, AbstractSet[int]]  # actor -> its sentences that describe it
    reported: Mapping[str, Sequence[int]]  # actor -> its sentences that report its words
    # (sentences, phrase) -> those whose folded words hold the phrase, in the order given
    phrased: Callable[[Sequence[int], str], list[int]]
    # sentences -> of their quotes, sentence by sentence, the first of each wording, speaker
    # and speech (first_of_each): a quotation repeated in thousands of sentences comes once
    first_quotes: Callable[[Sequence[int]], list[Quote]]
    quoted: Callable[[Sequence[int]], list[int]]  # sentences -> those holding a quotation
    # actor ids, the most mentioned first, ties in fact base order (the overview's)
    most_named: Callable[[], list[str]]
    quotes_at: Callable[[Sequence[int]], list[Quote]]  # quote ids -> quotes, in one read


class Knowledge:
    """A fact base with lookups and search indexes, made once, read by every query."""

    def __init__(self, fb: Facts, parts: Parts | None = None) -> None:
        """`parts`: read from the store; without them, derived from `fb` in memory."""
        self.fb = fb
        parts = self.parts = parts or derive(fb)
        self.sources = {s.file: s for s in fb.sources}
        self.source_index = {s.file: i for i, s in enumerate(fb.sources)}
        self.actors = {a.id: a for a in fb.actors}
        self.stats = parts.stats
        self.sentence_index, self.paragraph_index, self.quote_index = parts.indexes
        self.resolver = Resolver(fb.actors, self.sentence_index.vocabulary())
        self.record_terms = parts.record_terms
        self.actors_in = parts.actors_in
        self.quotes_in = parts.quotes_in
        self.events = parts.events
        # sentence -> its event; dated events in fact base order and by sentence.
        self.event_of = parts.events.event_of
        self.dated = parts.events.dated
        self.dated_in = parts.events.dated_in
        self.words = parts.words
        self.words_by_initial: dict[str, list[str]] = defaultdict(list)
        for w in sorted(self.words):
            self.words_by_initial[w[0]].append(w)
        self.vocabulary = parts.vocabulary
        self.paragraph_of = parts.paragraph_of
        self.source_of = parts.source_of
        self.starts, self.ends, self.back = parts.starts, parts.ends, parts.back
        self.sentences_in = SentencesIn(parts.first_sentence)
        self.sentences_of = SentencesOf(fb, parts.source_first)
        self.described, self.reported = parts.described, parts.reported
        self.phrased = parts.phrased
        self.first_quotes, self.quoted = parts.first_quotes, parts.quoted
        self.quotes_at = parts.quotes_at
        # Each distinct outlet-and-aliases of the sources, folded, with the files that carry
        # it (thousands of sources share a few outlets), and, filled as questions name
        # actors, the sources each actor wrote or is the outlet of (bot.core.question).
        self.outlet_names: dict[tuple[str, ...], list[str]] = {}
        folded: dict[tuple[str, ...], tuple[str, ...]] = {}  # fold each spelling once
        for s in fb.sources:
            raw = (s.outlet, *s.aliases)
            names = folded.get(raw)
            if names is None:
                names = folded[raw] = tuple(" ".join(words(n)) for n in raw)
            self.outlet_names.setdefault(names, []).append(s.file)
        self.named_by: dict[str, frozenset[str]] = {}
        self.wrote: dict[str, list[Source]] = {}  # actor -> sources it wrote (answers.actor)

    @cached_property
    def source_day(self) -> dict[str, int]:
        """source file -> its date as a day number: answers compare thousands of these."""
        return {s.file: s.date.toordinal() for s in self.fb.sources}

    @cached_property
    def most_named(self) -> list[str]:
        """Actor ids, the most mentioned first, ties in fact base order (the overview): on
        first use, since it reads every actor's stats."""
        return self.parts.most_named()

    @cached_property
    def sources_by_date(self) -> list[Source]:
        """The sources oldest first, in fact base order on a tie (/sources)."""
        return sorted(self.fb.sources, key=lambda s: s.date)

    @cached_property
    def dated_by_date(self) -> Sequence[Event]:
        """Dated events by date (the plain /timeline): on first use, not at start."""
        return self.events.by_date()

    def terms_from(self, prefix: str) -> list[str]:
        """Index terms starting with `prefix`, in order."""
        at = bisect_left(self.vocabulary, prefix)
        out = []
        while at < len(self.vocabulary) and self.vocabulary[at].startswith(prefix):
            out.append(self.vocabulary[at])
            at += 1
        return out


@dataclass
class EventLookups:
    """The events and the lookups queries make on them. Derived from a list here (a JSON
    load, the build); the store gives the same from columns, read only when asked
    (bot.core.store.StoredEvents), since a large library has tens of thousands of events."""

    event_of: Mapping[int, Event]  # sentence -> its event (the last, when it has several)
    dated: Sequence[Event]  # events with a date, in fact base order
    dated_in: Mapping[int, Sequence[Event]]  # sentence -> its dated events

    @classmethod
    def of(cls, events: Sequence[Event]) -> EventLookups:
        dated = [e for e in events if e.date]
        dated_in: dict[int, list[Event]] = defaultdict(list)
        for e in dated:
            dated_in[e.sentence].append(e)
        return cls({e.sentence: e for e in events}, dated, dated_in)

    def by_date(self) -> Sequence[Event]:
        """Dated events by date, then id (the plain /timeline)."""
        return sorted(self.dated, key=date_order)


def date_order(e: Event) -> tuple[str, int]:
    return (e.date or "", e.id)


class SentencesIn:
    """paragraph -> its sentence ids: a paragraph's sentences are consecutive."""

    def __init__(self, first: Sequence[int]) -> None:
        self.first = first

    def __getitem__(self, paragraph: int) -> list[int]:
        return list(range(self.first[paragraph], self.first[paragraph + 1]))


class SentencesOf:
    """source file -> its sentences, read when asked: a source's sentences are consecutive."""

    def __init__(self, fb: Facts, first: Sequence[int]) -> None:
        self.fb = fb
        self.index = {s.file: i for i, s in enumerate(fb.sources)}
        self.first = first

    def get(self, source: str, default: Sequence[Sentence] = ()) -> Sequence[Sentence]:
        i = self.index.get(source)
        if i is None or self.first[i] == self.first[i + 1]:
            return default
        return self.fb.sentences[self.first[i] : self.first[i + 1]]


def derive(fb: Facts) -> Parts:
    """The lookups and indexes, from the records: at build (then saved) or at a JSON load."""
    in_sentence: dict[int, set[str]] = defaultdict(set)
    for m in fb.mentions:
        in_sentence[m.sentence].add(m.actor)
    quotes_in: dict[int, list[Quote]] = defaultdict(list)
    for q in fb.quotes:
        quotes_in[q.sentence].append(q)
    sentences = fb.sentences
    index_of = {s.file: i for i, s in enumerate(fb.sources)}
    first_sentence = _starts([s.paragraph for s in sentences], len(fb.paragraphs))
    source_first = _starts([index_of[s.source] for s in sentences], len(fb.sources))
    indexes = build_indexes(fb, in_sentence)
    return Parts(
        indexes=indexes,
        stats={s.actor: s for s in fb.actor_stats},
        actors_in=defaultdict(set, in_sentence),
        quotes_in=quotes_in,
        events=EventLookups.of(fb.events),
        words=frozenset(w for s in sentences for w in words(s.text))
        | frozenset(w for s in fb.sources for field in (s.title, s.author) for w in words(field)),
        record_terms=frozenset(
            t for s in fb.sources for field in (s.title, s.outlet, s.author) for t in terms(field)
        ),
        vocabulary=sorted(t for t in indexes[0].vocabulary() if t[:1] != "@"),
        paragraph_of=[s.paragraph for s in sentences],
        source_of=[index_of[s.source] for s in sentences],
        starts=[s.start for s in sentences],
        ends=[s.end for s in sentences],
        back=backs(sentences),
        first_sentence=first_sentence,
        source_first=source_first,
        described=PerActor(fb, describer, frozenset),
        reported=PerActor(fb, reporter, list),
        phrased=lambda sids, phrase: [sid for sid in sids if phrase in folded(sentences[sid].text)],
        first_quotes=lambda sids: first_of_each(x for sid in sids for x in quotes_in.get(sid, ())),
        quoted=lambda sids: [sid for sid in sids if quotes_in.get(sid)],
        most_named=lambda: most_named(fb.actor_stats),
        quotes_at=lambda ids: [fb.quotes[i] for i in ids],
    )


def most_named(stats: Iterable[ActorStats]) -> list[str]:
    """Actor ids by mentions, most first, ties in the order given."""
    return [s.actor for s in sorted(stats, key=lambda s: -sum(s.mentions.values()))]


def first_of_each(quotes: Iterable[Quote]) -> list[Quote]:
    """The first quote of each wording, speaker and speech, in order."""
    out: dict[tuple[str, str | None, bool], Quote] = {}
    for x in quotes:
        out.setdefault((x.text, x.speaker, x.speech), x)
    return list(out.values())


def folded(text: str) -> str:
    """A text's folded words joined by spaces: what remembered words are looked for in."""
    return " ".join(words(text))


class PerActor(Mapping[str, T]):
    """actor -> its sentences a pattern matches, worked out on first use (a JSON load) or
    for every actor at build (the store saves them)."""

    def __init__(
        self,
        fb: Facts,
        pattern: Callable[[Actor], Callable[[str], bool]],
        make: Callable[[list[int]], T],
    ) -> None:
        self.fb, self.pattern, self.make = fb, pattern, make
        self.actors = {a.id: a for a in fb.actors}
        self.stats = {s.actor: s for s in fb.actor_stats}
        self.kept: dict[str, T] = {}

    def __getitem__(self, actor: str) -> T:
        kept = self.kept.get(actor)
        if kept is None:
            matches = self.pattern(self.actors[actor])
            stats = self.stats[actor]
            sentences = self.fb.sentences
            kept = self.kept[actor] = self.make(
                [sid for sid in stats.sentences if matches(sentences[sid].text)]
            )
        return kept

    def __iter__(self) -> Iterator[str]:
        return iter(self.stats)

    def __len__(self) -> int:
        return len(self.stats)


def _starts(owners: Sequence[int], count: int) -> list[int]:
    """Where each owner's run of sentences starts (sentences come grouped by paragraph and by
    source, in order), plus the total at the end: owner i has first[i]:first[i + 1]."""
    sizes = [0] * count
    for owner in owners:
        sizes[owner] += 1
    first = [0]
    for size in sizes:
        first.append(first[-1] + size)
    return first


def build_indexes(
    fb: Facts, in_sentence: Mapping[int, AbstractSet[str]]
) -> tuple[Bm25, Bm25, Bm25]:
    """The sentence, paragraph and quote search indexes, from the text."""
    in_paragraph: dict[int, set[str]] = defaultdict(set)
    for s in fb.sentences:
        in_paragraph[s.paragraph] |= in_sentence.get(s.id, set())
    return (
        Bm25(tokens(s.text, in_sentence.get(s.id, ())) for s in fb.sentences),
        Bm25(tokens(p.text, in_paragraph.get(p.id, ())) for p in fb.paragraphs),
        Bm25(tokens(q.text, in_sentence.get(q.sentence, ())) for q in fb.quotes),
    )


def tokens(text: str, actors: Iterable[str]) -> list[str]:
    """A passage's terms plus one key per actor it names, however spelt (Toqaev = Tokayev)."""
    return [*terms(text), *sorted(actor_key(a) for a in actors)]


def load(path: Path) -> Knowledge:
    """Open the fact base at `path` (factbase.json): its SQLite store when the build wrote one
    beside it, else the JSON itself; refuse anything but the current schema.

    Either way tens of thousands of objects (a JSON load: a million or more) are made at
    once: the cyclic collector is paused while they are made and then told to leave them be.
    """
    from bot.core import store

    enabled = gc.isenabled()
    gc.disable()
    try:
        if store.store_path(path).exists():
            kb = store.open_store(path)
        else:
            kb = Knowledge(_load_json(path))
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return kb


def _load_json(path: Path) -> FactBase:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FactBaseError(f"{path} is missing. Run `{REBUILD}` to create it.") from None
    try:
        fb = FactBase.model_validate_json(raw)
    except ValidationError as exc:
        version = _schema_version(raw)
        if version is not None and version != SCHEMA_VERSION:
            raise outdated(path, version) from None
        raise FactBaseError(
            f"{path} is corrupt ({exc.error_count()} errors). Run `{REBUILD}` to rebuild it."
        ) from None
    if fb.schema_version != SCHEMA_VERSION:
        raise outdated(path, fb.schema_version)
    return fb


def outdated(path: Path, version: int) -> FactBaseError:
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
