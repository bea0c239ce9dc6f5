"""Everything needed to cite a passage: source, date as a reader sees it, and a deep link."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

from bot.core.knowledge import Knowledge
from bot.lexicon import WORDS
from bot.models import Cited, Event, Quote, Source, Span, Voice

FRAGMENT_WORDS = 4


def date_label(source: Source) -> str:
    """'19 Aug 2024', 'Aug 2024' or '2024', as precise as the source's date is known."""
    return _label(source.date, source.date_precision)


def _label(when: date, precision: str | None) -> str:
    if precision == "day":
        return f"{when.day} {when:%b %Y}"
    if precision == "month":
        return f"{when:%b %Y}"
    return f"{when:%Y}"


def event_label(iso: str | None, precision: str | None) -> str | None:
    return _label(date.fromisoformat(iso), precision) if iso else None


def event_date(event: Event) -> str | None:
    """'early 1990s' reads better than '1990'; otherwise the normalised date."""
    if event.expression.rstrip().endswith("0s"):
        return event.expression.removeprefix("the ").strip()
    return event_label(event.date, event.precision)


def age(kb: Knowledge, files: list[str]) -> str | None:
    """How old the answer's sources are, e.g. 'sources: May 2022 to Aug 2024'."""
    ends = _oldest_newest(kb, files)
    if ends is None:
        return None
    first, last = date_label(ends[0]), date_label(ends[1])
    return f"source: {first}" if first == last else f"sources: {first} to {last}"


def link(source: Source, text: str) -> str:
    """The source page; for verified pages, a text fragment that scrolls to the passage."""
    if not source.url_verified:
        return source.url
    words = text.split()
    if len(words) <= FRAGMENT_WORDS * 2:
        directive = _encode(text)
    else:
        start = " ".join(words[:FRAGMENT_WORDS])
        end = " ".join(words[-FRAGMENT_WORDS:])
        directive = f"{_encode(start)},{_encode(end)}"
    return f"{source.url}#:~:text={directive}"


def _encode(text: str) -> str:
    """Percent-encode per the URL Fragment Text Directives spec ('-', '&', ',' included)."""
    return quote(re.sub(r"\s+", " ", text), safe="").replace("-", "%2D")


def cite(
    kb: Knowledge,
    span: Span,
    *,
    speaker: str | None = None,
    event: Event | None = None,
    said: Event | None = None,
    reported: bool = False,
    score: float = 0.0,
) -> Cited:
    """A Cited passage carrying the span's own verbatim text and everything to check it."""
    source = kb.sources[span.source]
    return Cited(
        source=span.source,
        start=span.start,
        end=span.end,
        text=span.text,
        url=link(source, span.text),
        speaker=kb.actors[speaker].name if speaker else None,
        speaker_id=speaker,
        voice=_voice(span, speaker, reported),
        title=source.title,
        outlet=source.outlet,
        date=date_label(source),
        url_verified=source.url_verified,
        event_date=event_date(event) if event else None,
        said_date=event_date(said) if said else None,
        author=source.author,
        score=round(score, 4),
    )


def span(kb: Knowledge, files: list[str]) -> str | None:
    """'Apr 2023 – Aug 2024': the dates of the sources, oldest to newest."""
    ends = _oldest_newest(kb, files)
    if ends is None:
        return None
    first, last = date_label(ends[0]), date_label(ends[1])
    return first if first == last else f"{first} – {last}"


def _oldest_newest(kb: Knowledge, files: list[str]) -> tuple[Source, Source] | None:
    """The oldest and newest of the files' sources, each file once. Not a set of Source
    models: hashing a model hashes every field, which at thousands of sources cost more than
    the rest of the answer (and a set's order, which broke ties, changed with string hashing
    from process to process)."""
    distinct = list(dict.fromkeys(files))
    if not distinct:
        return None
    days = list(map(kb.source_day.__getitem__, distinct))
    # As a stable sort by date would give: the first of the oldest, the last of the newest.
    first = distinct[days.index(min(days))]
    last = distinct[len(days) - 1 - days[::-1].index(max(days))]
    return kb.sources[first], kb.sources[last]


def _voice(span: Span, speaker: str | None, reported: bool) -> Voice | None:
    """Whether a passage is the speaker's own words, a sentence quoting them, or a report."""
    if speaker is None:
        return None
    if reported:
        return "reported"
    return "own" if isinstance(span, Quote) else "quoted"


def statement(kb: Knowledge, sentence: int) -> Event | None:
    """When words in this sentence were said: the date the sentence gives for its saying ("In
    February, Putin ...", "In an August 14 article, X wrote"), else the one the sentence before
    it in the paragraph gives; never a date inside what was said ("X claimed that the CSTO had
    saved him in January 2022": January 2022 is what he spoke of, not when)."""
    event = kb.event_of.get(sentence)
    if event is not None and inside_reported_words(
        kb.fb.sentences[sentence].text, event.expression
    ):
        return None
    if event is None and sentence > 0:
        before = kb.fb.sentences[sentence - 1]
        if before.paragraph == kb.fb.sentences[sentence].paragraph:
            event = kb.event_of.get(before.id)
    return event if event is not None and event.date else None


# A verb of speech and what opens the words it reports: "claimed that", "said:", "wrote “".
_REPORTED = re.compile(
    r"\b(?:" + "|".join(sorted(WORDS.speech_verbs, key=len, reverse=True)) + r")\b"
    r"(?:\s+\w+){0,3}?\s*(?:\bthat\b|:|[“\"])"
)


def inside_reported_words(text: str, expression: str) -> bool:
    """Whether the date expression stands after a verb of speech has opened what was said."""
    at = text.find(expression)
    opened = _REPORTED.search(text)
    return at >= 0 and opened is not None and at >= opened.end()


def bottom_line(kb: Knowledge, files: list[str], what: str = "speak to this") -> str | None:
    """'3 of 5 sources speak to this, Apr 2023 – Aug 2024': the line an answer opens with."""
    distinct = sorted(set(files))
    if not distinct:
        return None
    total = len(kb.fb.sources)
    noun = "source" if total == 1 else "sources"
    return f"{len(distinct)} of {total} {noun} {what}, {span(kb, distinct)}"
