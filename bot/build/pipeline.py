"""build -> serialise -> write: seeds/ and knowledge/*.toml become knowledge/factbase.json.

Deterministic (same inputs, same bytes) and atomic (a temporary file renamed into place), so
`build --check` can compare bytes and a reader never sees half a file.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
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
    Paragraph,
    Quote,
    Sentence,
    Source,
)

Progress = Callable[[int, int], None]


def build(root: Path, progress: Progress | None = None) -> FactBase:
    """Read, segment, find mentions, quotations and dates, count; raise CurationError if wrong."""
    cur = curation.load(root / "knowledge", root / "seeds")
    matcher = AliasMatcher(cur.actors)
    kinds = {a.id: a.kind for a in cur.actors}
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    quotes: list[Quote] = []
    events: list[Event] = []
    sources = sorted(cur.sources, key=lambda s: s.file)
    for done, source in enumerate(sources, start=1):
        text = (root / "seeds" / source.file).read_text(encoding="utf-8")
        _article(source, text, matcher, kinds, paragraphs, sentences, mentions, quotes, events)
        if progress is not None:
            progress(done, len(sources))
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
        report=report.report(cur, paragraphs, sentences, mentions, quotes, events, matcher),
    )


def _article(
    source: Source,
    text: str,
    matcher: AliasMatcher,
    kinds: Mapping[str, str],
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
            dated = dates.find(said, source.date)
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
