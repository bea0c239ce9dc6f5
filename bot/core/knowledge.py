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
import hashlib
import itertools
import json
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol, TypeVar, overload

from pydantic import ValidationError

from bot.core.backref import backs
from bot.core.describe import describer, pronoun_reports, reporter, speaker_before
from bot.core.index import Bm25
from bot.core.resolve import Found, Resolver
from bot.core.text import STOPWORDS, actor_key, stem, terms, words
from bot.lexicon import WORDS
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
# Characters between two paragraphs with nothing but a blank line between them ("\n\n").
PARAGRAPH_BREAK = 4
KEPT = 4096  # paragraphs whose actors named_in_paragraph keeps
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
    mentions_in: Mapping[int, tuple[Found, ...]]  # sentence -> where it names whom, in order
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
    # sentences -> (quote id, sentence) of their quotes that are the first of their wording,
    # speaker and speech in the whole fact base, by id: a quotation repeated in thousands of
    # sentences is looked at once (the build numbers each quote's first: `wording`)
    first_wordings: Callable[[Sequence[int]], list[tuple[int, int]]]
    # actor ids, the most mentioned first, ties in fact base order (the overview's)
    most_named: Callable[[], list[str]]
    quotes_at: Callable[[Sequence[int]], list[Quote]]  # quote ids -> quotes, in one read
    spoken: Callable[[Sequence[int]], list[int]]  # quote ids -> those of speech, in order
    # per source, in order: file, outlet, its aliases, author, date as a day number; read
    # once at open, so no Source record is made for the lookups (a library has thousands)
    bylines: Callable[[], Iterable[Byline]]


Byline = tuple[str, str, tuple[str, ...], str, int]


class Knowledge:
    """A fact base with lookups and search indexes, made once, read by every query."""

    def __init__(self, fb: Facts, parts: Parts | None = None) -> None:
        """`parts`: read from the store; without them, derived from `fb` in memory."""
        self.fb = fb
        parts = self.parts = parts or derive(fb)
        self.source_index: dict[str, int] = {}
        self.source_day: dict[str, int] = {}  # answers compare thousands of these
        self.sources: Mapping[str, Source] = SourcesByFile(fb.sources, self.source_index)
        self.actors = {a.id: a for a in fb.actors}
        self.stats = parts.stats
        self.sentence_index, self.paragraph_index, self.quote_index = parts.indexes
        self.resolver = Resolver(fb.actors, self.sentence_index.vocabulary())
        self.record_terms = parts.record_terms
        self.actors_in = parts.actors_in
        self.quotes_in = parts.quotes_in
        self.mentions_in = parts.mentions_in
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
        self.first_wordings = parts.first_wordings
        self.quotes_at, self.spoken = parts.quotes_at, parts.spoken
        # Each distinct outlet-and-aliases of the sources, folded, with the files that carry
        # it (thousands of sources share a few outlets), and, filled as questions name
        # actors, the sources each actor wrote or is the outlet of (bot.core.question).
        self.outlet_names: dict[tuple[str, ...], list[str]] = {}
        # The same grouped as written, and the files of each byline: what an actor wrote
        # or is the outlet of is found among a few distinct names, not every source.
        self.by_outlet: dict[tuple[str, ...], list[str]] = {}
        self.by_author: dict[str, list[str]] = {}
        folded: dict[tuple[str, ...], tuple[str, ...]] = {}  # fold each spelling once
        for i, (file, outlet, aliases, author, day) in enumerate(parts.bylines()):
            self.source_index[file] = i
            self.source_day[file] = day
            raw = (outlet, *aliases)
            names = folded.get(raw)
            if names is None:
                names = folded[raw] = tuple(" ".join(words(n)) for n in raw)
            self.outlet_names.setdefault(names, []).append(file)
            self.by_outlet.setdefault(raw, []).append(file)
            self.by_author.setdefault(author, []).append(file)
        self.outlet_words = frozenset(
            w for names in self.outlet_names for n in names for w in n.split()
        )
        self.named_by: dict[str, frozenset[str]] = {}
        self.wrote: dict[str, list[Source]] = {}  # actor -> sources it wrote (answers.actor)
        self._paragraph_actors: dict[int, frozenset[str]] = {}  # named_in_paragraph's

    def named_in_paragraph(self, pid: int) -> frozenset[str]:
        """The actors a paragraph names: asked of the same paragraph for every candidate
        sentence in it, so the last few thousand are kept."""
        return _kept(
            self._paragraph_actors,
            pid,
            lambda: frozenset(a for i in self.sentences_in[pid] for a in self.actors_in[i]),
        )

    def speaker_at(self, sid: int) -> str | None:
        """Whose words a sentence is: the speaker of a quotation opening in it, or of one
        opened earlier in its paragraph that runs on into it (a quotation of two sentences
        is the speaker's in both, though its attribution follows the second)."""
        first = self.sentences_in.first[self.paragraph_of[sid]]
        for i in range(sid, first - 1, -1):
            for x in self.quotes_in.get(i, ()):
                if x.speech and x.speaker and (i == sid or x.end > self.starts[sid]):
                    return x.speaker
        return None

    def names_at(self, sid: int) -> tuple[Found, ...]:
        """Where a sentence names each actor, in order, offsets within the sentence: the
        build's mentions, not read again at answer time."""
        return self.mentions_in[sid]

    def written_by(self, name: str) -> list[Source]:
        """The sources whose byline holds `name`, in fact base order."""
        files = [f for author, fs in self.by_author.items() if name in author for f in fs]
        return [self.sources[f] for f in sorted(files, key=self.source_index.__getitem__)]

    @cached_property
    def title_names(self) -> dict[str, str]:
        """Folded title -> file: each title, and its words before a colon or question mark
        ("Shifting Sands") when no article's text runs through them, so that the question
        naming them names the article, not an everyday phrase ("a Central Asian defense
        alliance")."""
        out: dict[str, str] = {}
        for file, source in self.sources.items():
            title = " ".join(words(source.title))
            out.setdefault(title, file)
            lead = " ".join(words(_TITLE_LEAD.split(source.title)[0]))
            if len(lead.split()) >= TITLE_LEAD_FROM and not self._runs_through(lead):
                out.setdefault(lead, file)
        return out

    @cached_property
    def title_cores(self) -> dict[str, str]:
        """A title's words (or its lead's) without function words -> file: a question
        naming a title often drops its articles and prepositions ("Central Asian Defense
        Alliance: Path to Stability or Risk" for "The ... : A Path ..."). Only those of
        TITLE_CORE_FROM words or more: fewer name no article."""
        out: dict[str, str] = {}
        for title, file in self.title_names.items():
            core = _content(title)
            if core != title and len(core.split()) >= TITLE_CORE_FROM:
                out.setdefault(core, file)
        return out

    def titles_in(self, text: str) -> dict[str, tuple[int, int]]:
        """file -> where its title stands in the text's folded words, first and past-the-end
        characters ("who wrote Shifting Sands"), as written or without function words;
        nothing when no title is named."""
        folded = " ".join(words(text))
        at: dict[str, tuple[int, int]] = {}
        for title, file in self.title_names.items():
            m = re.search(rf"\b{re.escape(title)}\b", folded) if title in folded else None
            if m:
                at[file] = min(at.get(file, m.span()), m.span())
        said = folded.split()
        kept = [n for n, w in enumerate(said) if w not in STOPWORDS]
        core = " ".join(said[n] for n in kept)
        starts = list(itertools.accumulate((len(w) + 1 for w in said), initial=0))
        for title, file in self.title_cores.items():
            m = re.search(rf"\b{re.escape(title)}\b", core) if title in core else None
            if m:
                first = kept[core[: m.start()].count(" ")]
                last = kept[core[: m.end()].count(" ")]
                span = (starts[first], starts[last] + len(said[last]))
                at[file] = min(at.get(file, span), span)
        return at

    def _runs_through(self, phrase: str) -> bool:
        """Whether some sentence of the articles holds the words of `phrase` in a row."""
        return any(
            phrase in " ".join(words(self.fb.sentences[sid].text))
            for sid in self.sentence_index.having_all(terms(phrase))
        )

    @cached_property
    def lower_words(self) -> frozenset[str]:
        """The words the articles write in lower case somewhere ("remittances", not
        "Russia"): one typed capitalised is no name for that. On first use."""
        return frozenset(w for s in self.fb.sentences for w in _LOWER_WORD.findall(s.text))

    @cached_property
    def names_of_words(self) -> frozenset[str]:
        """The names of two or more capitalised words the articles write ("central asia",
        "middle corridor"), folded: typed in lower case, they are still names. On first use."""
        runs = (
            " ".join(words(m.group()))
            for s in self.fb.sentences
            for m in _CAPITALISED_RUN.finditer(s.text)
        )
        return frozenset(r for r in runs if " " in r)

    @cached_property
    def standfirst(self) -> frozenset[int]:
        """The sentences of an article's first paragraph when more than a paragraph break
        (a byline, a photo credit) parts it from the next: the summary an editor sets above
        the byline, which the body says again in full and in context."""
        first, of = self.sentences_of.first, self.paragraph_of
        out: set[int] = set()
        for source, (lo, hi) in zip(self.fb.sources, itertools.pairwise(first), strict=True):
            if lo < hi and words(self.fb.sentences[lo].text) == words(source.title):
                lo += 1  # the headline, kept as a line of the body: the paragraph after it
            after = next((sid for sid in range(lo, hi) if of[sid] != of[lo]), None)
            if after is not None and self.starts[after] - self.ends[after - 1] > PARAGRAPH_BREAK:
                out.update(range(lo, after))
        return frozenset(out)

    @cached_property
    def most_named(self) -> list[str]:
        """Actor ids, the most mentioned first, ties in fact base order (the overview): on
        first use, since it reads every actor's stats."""
        return self.parts.most_named()

    @cached_property
    def leaders(self) -> dict[str, tuple[str, ...]]:
        """Actor id -> the actors holding an office over it now ("president of"): a sentence
        naming the president speaks of his state, though it seldom names it too."""
        led: defaultdict[str, list[str]] = defaultdict(list)
        for actor in self.fb.actors:
            for m in actor.memberships:
                if leads(m.relation):
                    led[m.of].append(actor.id)
        return {state: tuple(ids) for state, ids in led.items()}

    @cached_property
    def stands_for(self) -> dict[str, frozenset[str]]:
        """Actor id -> the actors it is a part of (an organ, ministry, government, agency or
        base: the relation's noun in the lexicon's part_nouns): "at the U.N. General
        Assembly" is at the United Nations. On first use."""
        wholes: defaultdict[str, set[str]] = defaultdict(set)
        for actor in self.fb.actors:
            for m in actor.memberships:
                said = m.relation.split()
                if len(said) > 1 and said[-1] == "of" and said[-2] in WORDS.part_nouns:
                    wholes[actor.id].add(m.of)
        return {part: frozenset(of) for part, of in wholes.items()}

    @cached_property
    def leads(self) -> frozenset[str]:
        """The actors holding an office over another now (leaders)."""
        return frozenset(p for people in self.leaders.values() for p in people)

    def spoken_of(self, actor: str) -> tuple[str, ...]:
        """The actor and those who speak for it (its leaders)."""
        return (actor, *self.leaders.get(actor, ()))

    @cached_property
    def outlet_terms(self) -> frozenset[str]:
        """The index terms of the words of outlets' names ("diplomat"): they name a source,
        not a topic."""
        return frozenset(t for w in self.outlet_words for t in terms(w))

    @cached_property
    def linked(self) -> dict[str, str]:
        """A source's link, bare (bare_link), -> the name readers give its outlet: on the
        first question that pastes a link, since it reads every source."""
        return {bare_link(s.url): (s.aliases or (s.outlet,))[0] for s in self.fb.sources}

    @cached_property
    def sources_by_date(self) -> Sequence[Source]:
        """The sources oldest first, in fact base order on a tie (/sources): each read
        when its page is shown."""
        files = list(self.source_index)
        day = self.source_day
        return Picked(self.fb.sources, sorted(range(len(files)), key=lambda i: day[files[i]]))

    @cached_property
    def role_words(self) -> dict[str, frozenset[str]]:
        """Person id -> the stems of the words of its curated role ("Lecturer at the
        University of Glasgow"): what "the university lecturer" names. On first use."""
        return {  # not the titles of works in it ("Author of “...”")
            a.id: frozenset(terms(_TITLED.sub(" ", a.role)))
            for a in self.fb.actors
            if a.kind == "person" and a.role
        }

    @cached_property
    def role_heads(self) -> dict[str, frozenset[str]]:
        """Person id -> the stems of the nouns its role is ("Writer for the Baku media
        outlet": writer; "foreign minister and presidential adviser": minister, adviser):
        before the first "of", "at", "for", "in", "with" or "on", the last word of each part
        joined by "and"."""
        out = {}
        for a in self.fb.actors:
            if a.kind == "person" and a.role:
                said = _ROLE_ENDS.split(_TITLED.sub(" ", a.role).lower())[0].split(" and ")
                out[a.id] = frozenset(stem(ws[-1]) for part in said if (ws := words(part)))
        return out

    @cached_property
    def singular_by_initial(self) -> dict[str, list[str]]:
        """Plurals' singular forms by first letter, which a long typo may be nearer than any
        word ("mecanism": "mechanisms"): on the first such typo, not at start."""
        out: dict[str, list[str]] = defaultdict(list)
        for initial, said in self.words_by_initial.items():
            out[initial] = [w[:-1] for w in said if w.endswith("s") and not w.endswith("ss")]
        return out

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
    spans: dict[int, list[int]] = defaultdict(list)
    names = {a.id: i for i, a in enumerate(fb.actors)}
    for m in sorted(fb.mentions, key=lambda m: (m.sentence, m.start)):
        in_sentence[m.sentence].add(m.actor)
        at = fb.sentences[m.sentence].start
        spans[m.sentence] += (names[m.actor], m.start - at, m.end - at)
    ids = [a.id for a in fb.actors]
    quotes_in: dict[int, list[Quote]] = defaultdict(list)
    for q in fb.quotes:
        quotes_in[q.sentence].append(q)
    first = first_of_wording(fb.quotes)
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
        mentions_in=defaultdict(tuple, {sid: spans_found(ids, f) for sid, f in spans.items()}),
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
        reported=ReportedPerActor(fb, reporter, list, in_sentence, quotes_in),
        phrased=lambda sids, phrase: [sid for sid in sids if phrase in folded(sentences[sid].text)],
        first_wordings=lambda sids: sorted(
            (x.id, sid) for sid in sids for x in quotes_in.get(sid, ()) if first[x.id] == x.id
        ),
        most_named=lambda: most_named(fb.actor_stats),
        quotes_at=lambda ids: [fb.quotes[i] for i in ids],
        spoken=lambda ids: [i for i in ids if fb.quotes[i].speech],
        bylines=lambda: (
            (s.file, s.outlet, tuple(s.aliases), s.author, s.date.toordinal()) for s in fb.sources
        ),
    )


def most_named(stats: Iterable[ActorStats]) -> list[str]:
    """Actor ids by mentions, most first, ties in the order given."""
    return [s.actor for s in sorted(stats, key=lambda s: -sum(s.mentions.values()))]


def wording(x: Quote) -> bytes:
    """What makes quotes the same quotation: wording, speaker and speech, as 8 bytes (the
    build keeps one per distinct quotation; a clash is 1 in 2**64 per pair)."""
    key = json.dumps([x.text, x.speaker, x.speech], ensure_ascii=False).encode()
    return hashlib.blake2b(key, digest_size=8).digest()


def first_of_wording(quotes: Iterable[Quote]) -> list[int]:
    """Per quote, in order, the id of the first quote of its wording (`wording`)."""
    first: dict[bytes, int] = {}
    return [first.setdefault(wording(x), x.id) for x in quotes]


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


def bare_link(url: str) -> str:
    """A link as two pastes of one page share it: no scheme, "www.", query, fragment or
    closing slash, lower case."""
    bare = re.sub(r"^[a-z]+://(www\.)?", "", url.strip().lower())
    return re.split(r"[?#]", bare, maxsplit=1)[0].rstrip("/.,;:!)>")


class SourcesByFile(Mapping[str, Source]):
    """source file -> its record, read from the fact base when asked."""

    def __init__(self, table: Sequence[Source], index: Mapping[str, int]) -> None:
        self.table, self.index = table, index

    def __getitem__(self, file: str) -> Source:
        return self.table[self.index[file]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, file: object) -> bool:
        return file in self.index


class Picked(Sequence[T]):
    """The records at some positions of a table, read when indexed."""

    def __init__(self, table: Sequence[T], positions: Sequence[int]) -> None:
        self.table, self.positions = table, positions

    def __len__(self) -> int:
        return len(self.positions)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            return self._read(self.positions[i])
        return self.table[self.positions[i]]

    def __iter__(self) -> Iterator[T]:
        return iter(self._read(self.positions))

    def _read(self, positions: Sequence[int]) -> list[T]:
        """Many positions: the table read through once, in order, rather than row by row."""
        if len(positions) * 4 < len(self.table):
            return [self.table[p] for p in positions]
        rows = list(self.table)
        return [rows[p] for p in positions]


_ROLE_ENDS = re.compile(r"\b(?:of|at|for|in|with|on)\b")  # what follows a role's nouns
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’']*(?:\s+[A-Z][\w’']*)+")
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][a-z]+\b")
_TITLE_LEAD = re.compile(r"[:?]")  # "Shifting Sands? Military Cooperation in Central Asia"
TITLE_LEAD_FROM = 2  # words of a title's lead that name its article
TITLE_CORE_FROM = 3  # words of a title without its function words that name its article
_TITLED = re.compile(r"“[^”]*”|\"[^\"]*\"|\([^)]*\)")  # a work's title, a note in brackets


def _content(folded: str) -> str:
    """Folded words without function words."""
    return " ".join(w for w in folded.split() if w not in STOPWORDS)


def spans_found(actors: Sequence[str], flat: Sequence[int]) -> tuple[Found, ...]:
    """Mentions packed as (actor index, start, end) triples, as Found records."""
    return tuple(
        Found(actors[flat[i]], flat[i + 1], flat[i + 2], True) for i in range(0, len(flat), 3)
    )


def leads(relation: str) -> bool:
    """Whether a membership is holding an office over it ("president of"), not a past one."""
    said = relation.split()
    return (
        len(said) > 1
        and said[-1] == "of"
        and said[-2] in WORDS.office_titles
        and "former" not in said
    )


def _kept(store: dict[int, T], key: int, make: Callable[[], T]) -> T:
    """`store[key]`, made on first use; the oldest dropped beyond KEPT, so that memory stays
    bounded over any number of questions."""
    kept = store.get(key)
    if kept is None:
        kept = make()
        if len(store) >= KEPT:
            store.pop(next(iter(store)))
        store[key] = kept
    return kept


class ReportedPerActor(PerActor[list[int]]):
    """actor -> its sentences reporting its words: those naming it as the subject of a
    reporting verb, and the "He said ..." after a sentence that speaks of it
    (describe.speaker_before), as the build finds them."""

    def __init__(
        self,
        fb: Facts,
        pattern: Callable[[Actor], Callable[[str], bool]],
        make: Callable[[list[int]], list[int]],
        actors_in: Mapping[int, AbstractSet[str]],
        quotes_in: Mapping[int, Sequence[Quote]],
    ) -> None:
        super().__init__(fb, pattern, make)
        self.actors_in, self.quotes_in = actors_in, quotes_in
        self.reports: dict[str, Callable[[str], bool]] = {}  # compiled once per actor

    def __getitem__(self, actor: str) -> list[int]:
        kept = self.kept.get(actor)
        if kept is None:
            named = super().__getitem__(actor)
            kept = self.kept[actor] = sorted({*named, *self._after(actor)})
        return kept

    def _after(self, actor: str) -> list[int]:
        sentences = self.fb.sentences
        stats = self.stats[actor]
        before = {*stats.sentences, *(self.fb.quotes[i].sentence for i in stats.quotes)}
        out = []
        for sid in sorted(before):
            nxt = sid + 1
            if nxt >= len(sentences) or sentences[nxt].paragraph != sentences[sid].paragraph:
                continue
            if pronoun_reports(sentences[nxt].text) and self._speaker(sid) == actor:
                out.append(nxt)
        return out

    def _speaker(self, sid: int) -> str | None:
        text = self.fb.sentences[sid].text
        persons = {a for a in self.actors_in.get(sid, ()) if self.actors[a].kind == "person"}
        reporting = {a for a in persons if self._reports(a)(text)}
        quoting = {
            x.speaker
            for x in self.quotes_in.get(sid, ())
            if x.speech and x.speaker and self.actors[x.speaker].kind == "person"
        }
        return speaker_before(persons, reporting, quoting)

    def _reports(self, actor: str) -> Callable[[str], bool]:
        made = self.reports.get(actor)
        if made is None:
            made = self.reports[actor] = self.pattern(self.actors[actor])
        return made
