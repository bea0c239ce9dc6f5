"""What every answer kind shares: actor references, graded 'not found' answers, ordering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TypeVar

from bot.core import messages
from bot.core.knowledge import Knowledge
from bot.core.question import Question
from bot.core.rank import Scored
from bot.models import ActorRef, Answer, Cited, Page

T = TypeVar("T")


def ref(kb: Knowledge, actor_id: str) -> ActorRef:
    a = kb.actors[actor_id]
    return ActorRef(
        id=a.id, name=a.name, kind=a.kind, aliases=[x for x in a.aliases if x != a.name]
    )


def related(kb: Knowledge, sentences: Iterable[int], exclude: Sequence[str]) -> list[ActorRef]:
    counts = Counter(a for s in sentences for a in kb.actors_in[s] if a not in exclude)
    return [ref(kb, a) for a in most_common(counts, 5)]


def key_sentences(kb: Knowledge, source: str) -> list[int]:
    """An article's key sentences (the build's digest), the most telling first."""
    digests = kb.fb.digests
    at = kb.source_index.get(source)
    digest = digests[at] if at is not None and at < len(digests) else None
    if digest is None or digest.source != source:  # not in source order: look for it
        digest = next((d for d in digests if d.source == source), None)
    return list(digest.summary) if digest else []


def most_common(counts: Counter[str], n: int) -> list[str]:
    """Most frequent first, ties by id: the same answer in every process."""
    return sorted(counts, key=lambda key: (-counts[key], key))[:n]


def unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


def paged(total: int, page: int, size: int) -> Page:
    """Page `page` (0 first) of `total` items, `size` to a page; the last page when asked for
    one beyond it."""
    last = max(0, (total - 1) // size)
    number = max(0, min(page, last))
    return Page(
        number=number,
        start=number * size,
        total=total,
        next=number + 1 if number < last else None,
    )


def dedupe(passages: Iterable[Cited]) -> list[Cited]:
    """Each passage once: none that overlaps one already shown (contexts can share a
    sentence)."""
    out: list[Cited] = []
    kept = Overlaps()
    for p in passages:
        if kept.add(p.source, p.start, p.end):
            out.append(p)
    return out


def distinct(kb: Knowledge, sentences: Iterable[int]) -> list[int]:
    """The sentences whose passages overlap none before them: what `dedupe` would keep of
    their passages, worked out from offsets alone."""
    from bot.core.passages import extent

    kept = Overlaps()
    return [sid for sid in sentences if kept.add(*extent(kb, sid))]


class Overlaps:
    """Spans kept so far, by source: whether a new one overlaps any of its source's (an
    answer at scale keeps thousands, a few per source)."""

    def __init__(self) -> None:
        self.by_source: dict[str | int, list[tuple[int, int]]] = {}

    def add(self, source: str | int, start: int, end: int) -> bool:
        """Keep the span unless it overlaps one kept; whether it was kept."""
        spans = self.by_source.setdefault(source, [])
        if any(start < e and s < end for s, e in spans):
            return False
        spans.append((start, end))
        return True


def suggestions(
    kb: Knowledge, q: Question, near: Sequence[Scored], extra: Sequence[str]
) -> list[str]:
    """Commands worth trying instead: names like the words typed, actors near the question."""
    out = list(extra)
    out += [f"/actor {kb.actors[a].name}" for a in kb.resolver.suggest(q.text)]
    counts = Counter(a for item in near[:5] for a in kb.actors_in[item.sentence])
    out += [f"/actor {kb.actors[a].name}" for a in most_common(counts, 3)]
    return unique(out)[:5] or ["/sources", "help"]


def declined(kb: Knowledge, q: Question, reason: str, extra: Sequence[str] = ()) -> Answer:
    """Positive evidence that the articles can't answer (a name none uses): nothing shown."""
    return Answer(
        kind="not_found",
        grade="declined",
        query=q.text,
        heading=messages.NOT_FOUND_HEADING,
        suggestions=suggestions(kb, q, [], extra),
        notes=[reason],
    )


def not_directly(
    kb: Knowledge,
    q: Question,
    nearest: Sequence[Cited],
    near: Sequence[Scored] = (),
    *,
    reason: str | None = None,
    extra: Sequence[str] = (),
) -> Answer:
    """The articles speak of the subject but don't answer: say so, then show the nearest."""
    from bot.core.cite import age

    return Answer(
        kind="not_found",
        grade="not_directly",
        query=q.text,
        heading=messages.NOT_DIRECTLY_HEADING,
        passages=dedupe(nearest),
        suggestions=suggestions(kb, q, near, extra),
        notes=[reason or messages.not_directly(q.text, _lacking(q), q.counted_as)],
        age=age(kb, [p.source for p in nearest]),
    )


def _lacking(q: Question) -> str:
    """What the passages lack, by what was expected: "on what date" asks a day."""
    return "day" if q.expects == "date" and q.day else q.expects
