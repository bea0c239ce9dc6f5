"""build -> serialise -> write: seeds/ and knowledge/*.toml become knowledge/factbase.json.

Deterministic (same inputs, same bytes) and atomic (a temporary file renamed into place), so
`build --check` can compare bytes and a reader never sees half a file.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from bot.build import curation, dates, digest, report, segment
from bot.build.quotes import quotations
from bot.core.aliases import AliasMatcher
from bot.core.store import write_atomic, write_store
from bot.models import (
    SCHEMA_VERSION,
    Actor,
    ActorStats,
    Event,
    FactBase,
    Mention,
    Occasion,
    Paragraph,
    Quote,
    Sentence,
    Source,
)

Progress = Callable[[int, int], None]


# Below this many articles the pool costs more than it saves (the shipped corpus has five).
PARALLEL_FROM = 40


def build(root: Path, progress: Progress | None = None, *, workers: int | None = None) -> FactBase:
    """Read, segment, find mentions, quotations and dates, count; raise CurationError if wrong.

    Articles are independent until they are numbered, so each is read by one of `workers`
    processes (default: every core) and numbered here, in file order: the output is the
    same bytes whatever the number of workers.
    """
    cur = curation.load(root / "knowledge", root / "seeds")
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    quotes: list[Quote] = []
    events: list[Event] = []
    sources = sorted(cur.sources, key=lambda s: s.file)
    jobs = [(root / "seeds" / s.file, s) for s in sources]
    workers = workers or os.cpu_count() or 1
    _start_worker(cur.actors, cur.occasions)  # here too: the report matches names again
    made: Iterable[Tables]
    if workers > 1 and len(jobs) >= PARALLEL_FROM:
        with multiprocessing.Pool(workers, _start_worker, (cur.actors, cur.occasions)) as pool:
            chunk = max(4, len(jobs) // (workers * 16))  # few round trips, progress still moves
            made = pool.imap(_read_article, jobs, chunksize=chunk)
            _number(made, len(jobs), progress, paragraphs, sentences, mentions, quotes, events)
    else:
        made = map(_read_article, jobs)
        _number(made, len(jobs), progress, paragraphs, sentences, mentions, quotes, events)
    return FactBase(
        schema_version=SCHEMA_VERSION,
        sources=sources,
        actors=cur.actors,
        paragraphs=paragraphs,
        sentences=sentences,
        mentions=mentions,
        quotes=quotes,
        events=events,
        actor_stats=_stats(cur.actors, sentences, mentions, quotes),
        digests=digest.digests(sources, sentences),
        report=report.report(cur, paragraphs, sentences, mentions, quotes, events, _matcher()),
    )


Tables = tuple[list[Paragraph], list[Sentence], list[Mention], list[Quote], list[Event]]
_WORKER: dict[str, object] = {}


def _start_worker(actors: list[Actor], occasions: list[Occasion]) -> None:
    """Per process, once: the alias matcher (one compiled pattern for every alias), the
    actors' kinds and the curated occasions."""
    _WORKER["matcher"] = AliasMatcher(actors)
    _WORKER["kinds"] = {a.id: a.kind for a in actors}
    _WORKER["occasions"] = occasions


def _matcher() -> AliasMatcher:
    matcher = _WORKER["matcher"]
    assert isinstance(matcher, AliasMatcher)
    return matcher


def _read_article(job: tuple[Path, Source]) -> Tables:
    """One article's records, numbered from 0 (the caller numbers them on)."""
    path, source = job
    tables: Tables = ([], [], [], [], [])
    kinds, occasions = _WORKER["kinds"], _WORKER["occasions"]
    assert isinstance(kinds, dict) and isinstance(occasions, list)
    text = path.read_text(encoding="utf-8")
    _article(source, text, _matcher(), kinds, occasions, *tables)
    return tables


def _number(
    made: Iterable[Tables],
    total: int,
    progress: Progress | None,
    paragraphs: list[Paragraph],
    sentences: list[Sentence],
    mentions: list[Mention],
    quotes: list[Quote],
    events: list[Event],
) -> None:
    """Append each article's records in order, their ids shifted past what is there."""
    for done, (ps, ss, ms, qs, es) in enumerate(made, start=1):
        p0, s0, q0, e0 = len(paragraphs), len(sentences), len(quotes), len(events)
        paragraphs += [Paragraph(p.source, p.start, p.end, p.text, p.id + p0) for p in ps]
        sentences += [
            Sentence(s.source, s.start, s.end, s.text, s.id + s0, s.paragraph + p0) for s in ss
        ]
        mentions += [Mention(m.actor, m.source, m.start, m.end, m.sentence + s0) for m in ms]
        quotes += [
            Quote(q.source, q.start, q.end, q.text, q.id + q0, q.sentence + s0, q.speaker, q.speech)
            for q in qs
        ]
        events += [
            Event(
                e.id + e0, e.sentence + s0, e.expression, e.date, e.precision, e.relative, e.actors
            )
            for e in es
        ]
        if progress is not None:
            progress(done, total)


def _article(
    source: Source,
    text: str,
    matcher: AliasMatcher,
    kinds: Mapping[str, str],
    occasions: list[Occasion],
    paragraphs: list[Paragraph],
    sentences: list[Sentence],
    mentions: list[Mention],
    quotes: list[Quote],
    events: list[Event],
) -> None:
    """Append one article's records to the tables, numbering on from what is there."""
    file = source.file
    blocks = segment.paragraphs(text)
    parts: list[segment.Block] = []
    own_mentions: list[Mention] = []
    first_sentence = len(sentences)
    for block in blocks:
        number = len(paragraphs)
        paragraphs.append(
            Paragraph(
                source=file,
                start=block.start,
                end=block.end,
                text=text[block.start : block.end],
                id=number,
            )
        )
        for part in segment.sentences(text, block):
            sid = len(sentences)
            said = text[part.start : part.end]
            sentences.append(
                Sentence(
                    source=file, start=part.start, end=part.end, text=said, id=sid, paragraph=number
                )
            )
            parts.append(part)
            hits = [
                Mention(
                    actor=h.actor,
                    source=file,
                    start=part.start + h.start,
                    end=part.start + h.end,
                    sentence=sid,
                )
                for h in matcher.find(said)
            ]
            own_mentions += hits
            dated = dates.when(said, source.date, occasions)
            if dated is not None:
                events.append(
                    Event(
                        id=len(events),
                        sentence=sid,
                        expression=dated.expression,
                        date=dated.date.isoformat(),
                        precision=dated.precision,
                        relative=dated.relative,
                        actors=sorted({h.actor for h in hits}),
                    )
                )
    mentions += own_mentions
    for found in quotations(text, blocks, parts, own_mentions, kinds):
        sentence = first_sentence + next(
            i for i, p in enumerate(parts) if p.start <= found.start < p.end
        )
        quotes.append(
            Quote(
                source=file,
                start=found.start,
                end=found.end,
                text=text[found.start : found.end],
                id=len(quotes),
                sentence=sentence,
                speaker=found.speaker,
                speech=found.speech,
            )
        )


def _stats(
    actors: list[Actor],
    sentences: list[Sentence],
    mentions: list[Mention],
    quotes: list[Quote],
) -> list[ActorStats]:
    """Per actor: mentions by source, who shares their sentences, their quotes, their sentences."""
    in_sentence: dict[int, set[str]] = defaultdict(set)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        in_sentence[m.sentence].add(m.actor)
        counts[m.actor][m.source] += 1
    own: dict[str, list[int]] = defaultdict(list)
    co: dict[str, Counter[str]] = defaultdict(Counter)
    for sid in sorted(in_sentence):
        present = in_sentence[sid]
        for actor in present:
            own[actor].append(sid)
            co[actor].update(present - {actor})
    spoken: dict[str, list[int]] = defaultdict(list)
    for q in quotes:
        if q.speaker:
            spoken[q.speaker].append(q.id)
    return [
        ActorStats(
            actor=a.id,
            mentions=dict(sorted(counts[a.id].items())),
            co_mentions=dict(sorted(co[a.id].items(), key=lambda kv: (-kv[1], kv[0]))),
            quotes=spoken[a.id],
            sentences=own[a.id],
        )
        for a in actors
    ]


def serialise(fb: FactBase) -> bytes:
    """The committed form: indented, UTF-8, stable key order, one trailing newline."""
    return (json.dumps(fb.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n").encode()


def write(fb: FactBase, target: Path) -> bytes:
    """Write the fact base atomically, then the store (factbase.db) stamped with its digest."""
    data = serialise(fb)
    write_atomic(target, data)
    write_store(fb, target)
    return data
