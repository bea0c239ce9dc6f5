"""Passages in context: the matched sentence with the neighbours it needs to be understood.

A passage is still one verbatim slice of a seed (offsets checked), at most MAX_PASSAGE
characters; `focus_start`/`focus_end` mark the sentence that matched.
"""

from __future__ import annotations

from bot.core.cite import cite
from bot.core.knowledge import Knowledge
from bot.core.text import words
from bot.lexicon import WORDS
from bot.models import Cited, Event, Span

MAX_PASSAGE = 600
_LONGEST_OPENER = max(len(p.split()) for p in WORDS.back_references)


def refers_back(text: str) -> bool:
    """Whether a sentence opens by pointing at the one before ("So is Russia, but ...")."""
    opening = words(text[:60])
    return any(
        " ".join(opening[:n]) in WORDS.back_references for n in range(1, _LONGEST_OPENER + 1)
    )


def context(kb: Knowledge, sid: int) -> tuple[int, int]:
    """First and last sentence ids of the passage shown for sentence `sid`."""
    sentences = kb.fb.sentences
    s = sentences[sid]
    first = last = sid
    if sid > 0 and sentences[sid - 1].paragraph == s.paragraph and refers_back(s.text):
        first = sid - 1
    nxt = sid + 1
    if (
        nxt < len(sentences)
        and sentences[nxt].paragraph == s.paragraph
        and (s.text.rstrip().endswith(":") or refers_back(sentences[nxt].text))
    ):
        last = nxt  # a sentence that introduces the next, or that the next goes on from
    while sentences[last].end - sentences[first].start > MAX_PASSAGE and last > sid:
        last -= 1
    if sentences[last].end - sentences[first].start > MAX_PASSAGE:
        first = sid
    return first, last


def passage(
    kb: Knowledge,
    sid: int,
    *,
    speaker: str | None = None,
    event: Event | None = None,
    said: Event | None = None,
    reported: bool = False,
    score: float = 0.0,
) -> Cited:
    """The cited passage for a matched sentence, its context included."""
    first, last = context(kb, sid)
    s = kb.fb.sentences[sid]
    if first == last:
        return cite(kb, s, speaker=speaker, event=event, said=said, reported=reported, score=score)
    a, b = kb.fb.sentences[first], kb.fb.sentences[last]
    paragraph = kb.fb.paragraphs[s.paragraph]
    text = paragraph.text[a.start - paragraph.start : b.end - paragraph.start]
    span = Span(source=s.source, start=a.start, end=b.end, text=text)
    cited = cite(kb, span, speaker=speaker, event=event, said=said, reported=reported, score=score)
    return cited.model_copy(update={"focus_start": s.start, "focus_end": s.end})
