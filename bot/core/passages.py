"""Passages in context: the matched sentence with the neighbours it needs to be understood.

A passage is still one verbatim slice of a seed (offsets checked), at most MAX_PASSAGE
characters; `focus_start`/`focus_end` mark the sentence that matched.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.backref import MAX_PASSAGE
from bot.core.cite import cite
from bot.core.knowledge import Knowledge
from bot.models import Cited, Event, Span


def context(kb: Knowledge, sid: int) -> tuple[int, int]:
    """First and last sentence ids of the passage shown for sentence `sid`."""
    paragraph_of, back, starts, ends = kb.paragraph_of, kb.back, kb.starts, kb.ends
    here = paragraph_of[sid]
    first = last = sid
    if sid > 0 and paragraph_of[sid - 1] == here and back[sid]:
        first = sid - 1
    nxt = sid + 1
    if (
        nxt < len(paragraph_of)
        and paragraph_of[nxt] == here
        and (back[nxt] or kb.fb.sentences[sid].text.rstrip().endswith(":"))
    ):
        last = nxt  # a sentence that introduces the next, or that the next goes on from
    while ends[last] - starts[first] > MAX_PASSAGE and last > sid:
        last -= 1
    if ends[last] - starts[first] > MAX_PASSAGE:
        first = sid
    return first, last


def extent(kb: Knowledge, sid: int) -> tuple[int, int, int]:
    """Where the passage for sentence `sid` lies (source index, start, end), without making it:
    what long answers compare to show each passage once, before citing only one page."""
    first, last = context(kb, sid)
    return kb.source_of[sid], kb.starts[first], kb.ends[last]


def gathered(
    kb: Knowledge, ranked: Sequence[int], most: int | None = None
) -> list[tuple[int, int, int]]:
    """Ranked sentences gathered into passages, best first, as (matched sentence, first, last):
    a sentence joins the passage of a better one from its paragraph when the two fit in
    MAX_PASSAGE and it adds no quotation (whose words would then seem the matched one's).
    With `most`, only that many passages: a sentence that would start another is left out."""
    out: list[list[int]] = []  # [matched sentence, first, last]
    for sid in ranked:
        first, last = context(kb, sid)
        for group in out:
            if kb.paragraph_of[group[0]] != kb.paragraph_of[sid]:
                continue
            a, b = min(group[1], first), max(group[2], last)
            added = [i for i in range(a, b + 1) if not group[1] <= i <= group[2]]
            if kb.ends[b] - kb.starts[a] <= MAX_PASSAGE and not any(kb.quotes_in[i] for i in added):
                group[1], group[2] = a, b
                break
        else:
            if most is None or len(out) < most:
                out.append([sid, first, last])
    return [(sid, first, last) for sid, first, last in out]


def passage(
    kb: Knowledge,
    sid: int,
    *,
    speaker: str | None = None,
    event: Event | None = None,
    said: Event | None = None,
    reported: bool = False,
    score: float = 0.0,
    reach: tuple[int, int] | None = None,
) -> Cited:
    """The cited passage for a matched sentence, its context included (or the sentences
    `reach` gives, first and last, when it was gathered with others of its paragraph)."""
    first, last = reach or context(kb, sid)
    s = kb.fb.sentences[sid]
    if first == last:
        return cite(kb, s, speaker=speaker, event=event, said=said, reported=reported, score=score)
    a, b = kb.fb.sentences[first], kb.fb.sentences[last]
    paragraph = kb.fb.paragraphs[s.paragraph]
    text = paragraph.text[a.start - paragraph.start : b.end - paragraph.start]
    span = Span(source=s.source, start=a.start, end=b.end, text=text)
    cited = cite(kb, span, speaker=speaker, event=event, said=said, reported=reported, score=score)
    return cited.model_copy(update={"focus_start": s.start, "focus_end": s.end})
