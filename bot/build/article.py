"""read: one article's records, numbered from 0, and everything the store derives from them.

What is derived from an article alone is derived here, in the worker process that read it
(its search tokens, folded words, back-references, the sentences describing or reporting an
actor, its digest, the names no actor covers), so the process that numbers and writes the
articles (bot.build.sink) only shifts ids and appends.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from bot.build import dates, digest, report, segment
from bot.build.quotes import quotations
from bot.core.aliases import AliasMatcher
from bot.core.backref import backs
from bot.core.describe import describer, pronoun_reports, reporter, speaker_before
from bot.core.knowledge import tokens
from bot.core.text import words
from bot.models import Actor, Event, Mention, Occasion, Paragraph, Quote, Sentence, Source


@dataclass
class Docs:
    """An article's documents for one search index, as compact postings: `vocabulary` in
    order of first use; per document its number of distinct terms (`counts`) and length;
    per posting the term (an index into `vocabulary`) and its frequency."""

    vocabulary: list[str] = field(default_factory=list)
    counts: array[int] = field(default_factory=lambda: array("i"))
    lengths: array[int] = field(default_factory=lambda: array("i"))
    terms: array[int] = field(default_factory=lambda: array("i"))
    tfs: array[int] = field(default_factory=lambda: array("i"))

    @classmethod
    def of(cls, docs: Iterable[list[str]]) -> Docs:
        """The same postings, in the same order, as bot.core.index.Bm25 makes of `docs`."""
        made = cls()
        known: dict[str, int] = {}
        for toks in docs:
            bag = Counter(toks)
            made.counts.append(len(bag))
            made.lengths.append(len(toks))
            for term, tf in bag.items():
                at = known.get(term)
                if at is None:
                    at = known[term] = len(known)
                made.terms.append(at)
                made.tfs.append(tf)
        made.vocabulary = list(known)
        return made


@dataclass
class Article:
    """One article: its records (ids from 0) and what is derived from them alone."""

    source: Source
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    digest: list[int] = field(default_factory=list)  # its central sentences
    names: Counter[str] = field(default_factory=Counter)  # capitalised names no actor covers
    unattributed: list[str] = field(default_factory=list)  # speech with no speaker, as reported
    folded: list[str] = field(default_factory=list)  # per sentence, its folded words
    back: bytes = b""  # per sentence, 1 if it opens by referring back
    described: list[tuple[int, str]] = field(default_factory=list)  # (sentence, actor)
    reported: list[tuple[int, str]] = field(default_factory=list)
    words: set[str] = field(default_factory=set)
    docs: tuple[Docs, Docs, Docs] = field(default_factory=lambda: (Docs(), Docs(), Docs()))


class Patterns:
    """Per actor, the describing and reporting patterns, compiled on first use."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        self.actors = {a.id: a for a in actors}
        self.made: dict[str, tuple[Callable[[str], bool], Callable[[str], bool]]] = {}

    def __getitem__(self, actor: str) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
        made = self.made.get(actor)
        if made is None:
            a = self.actors[actor]
            made = self.made[actor] = (describer(a), reporter(a))
        return made


def read(
    source: Source,
    text: str,
    matcher: AliasMatcher,
    kinds: Mapping[str, str],
    occasions: list[Occasion],
) -> Article:
    """Segment, find mentions, quotations and dates: the article's records, ids from 0."""
    out = Article(source)
    file = source.file
    blocks = segment.paragraphs(text)
    parts: list[segment.Block] = []
    for block in blocks:
        number = len(out.paragraphs)
        out.paragraphs.append(
            Paragraph(file, block.start, block.end, text[block.start : block.end], number)
        )
        for part in segment.sentences(text, block):
            sid = len(out.sentences)
            said = text[part.start : part.end]
            out.sentences.append(Sentence(file, part.start, part.end, said, sid, number))
            parts.append(part)
            hits = [
                Mention(h.actor, file, part.start + h.start, part.start + h.end, sid)
                for h in matcher.find(said)
            ]
            out.mentions += hits
            dated = dates.when(said, source.date, occasions)
            if dated is not None:
                out.events.append(
                    Event(
                        id=len(out.events),
                        sentence=sid,
                        expression=dated.expression,
                        date=dated.date.isoformat(),
                        precision=dated.precision,
                        relative=dated.relative,
                        actors=sorted({h.actor for h in hits}),
                    )
                )
    for found in quotations(text, blocks, parts, out.mentions, kinds):
        sentence = next(i for i, p in enumerate(parts) if p.start <= found.start < p.end)
        out.quotes.append(
            Quote(
                source=file,
                start=found.start,
                end=found.end,
                text=text[found.start : found.end],
                id=len(out.quotes),
                sentence=sentence,
                speaker=found.speaker,
                speech=found.speech,
            )
        )
    return out


def _pronoun_reports(article: Article, patterns: Patterns) -> None:
    """ "He said that ...": the words of the person the sentence before (in its paragraph)
    speaks of (describe.speaker_before)."""
    persons: dict[int, set[str]] = defaultdict(set)
    for m in article.mentions:
        if patterns.actors[m.actor].kind == "person":
            persons[m.sentence].add(m.actor)
    reporting: dict[int, set[str]] = defaultdict(set)
    for sid, actor in article.reported:
        if actor in persons[sid]:
            reporting[sid].add(actor)
    quoting: dict[int, set[str]] = defaultdict(set)
    for q in article.quotes:
        if q.speech and q.speaker and patterns.actors[q.speaker].kind == "person":
            quoting[q.sentence].add(q.speaker)
    for before, s in itertools.pairwise(article.sentences):
        if before.paragraph == s.paragraph and pronoun_reports(s.text):
            i = before.id
            speaker = speaker_before(persons[i], reporting[i], quoting[i])
            if speaker is not None:
                article.reported.append((s.id, speaker))
    article.reported.sort()


def annotate(article: Article, matcher: AliasMatcher, patterns: Patterns) -> Article:
    """Add what the store derives from this article alone (see Article)."""
    in_sentence: dict[int, set[str]] = defaultdict(set)
    for m in article.mentions:
        in_sentence[m.sentence].add(m.actor)
    in_paragraph: dict[int, set[str]] = defaultdict(set)
    for s in article.sentences:
        present = in_sentence.get(s.id, set())
        in_paragraph[s.paragraph] |= present
        said = words(s.text)
        article.folded.append(" ".join(said))
        article.words.update(said)
        for actor in present:
            describes, reports = patterns[actor]
            if describes(s.text):
                article.described.append((s.id, actor))
            if reports(s.text):
                article.reported.append((s.id, actor))
    _pronoun_reports(article, patterns)
    article.back = bytes(backs(article.sentences))
    article.docs = (
        Docs.of(tokens(s.text, in_sentence.get(s.id, ())) for s in article.sentences),
        Docs.of(tokens(p.text, in_paragraph.get(p.id, ())) for p in article.paragraphs),
        Docs.of(tokens(q.text, in_sentence.get(q.sentence, ())) for q in article.quotes),
    )
    article.digest = digest.central(article.sentences, article.source.title, article.quotes)
    article.names = report.names((s.text for s in article.sentences), matcher)
    article.unattributed = [
        f"{q.source}:{q.start}: {q.text[:80]}"
        for q in article.quotes
        if q.speech and q.speaker is None
    ]
    return article
