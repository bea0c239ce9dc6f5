"""Dated events: the whole timeline in order, or for a 'when' question the dated passage that
answers first."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core import messages
from bot.core.answers.common import not_directly, paged, ref
from bot.core.answers.listing import LIST_PAGE
from bot.core.answers.topic import checked, cited
from bot.core.cite import age, event_date
from bot.core.evidence import states_event, window
from bot.core.knowledge import Knowledge
from bot.core.passages import passage
from bot.core.question import Question
from bot.core.rank import Scored
from bot.models import Answer, Event

WHEN_LIMIT = 12  # a "when" answer: its lead and the events around it
CANDIDATES = 80
TOPIC_SHARE = 0.6  # a topic's timeline: passages scoring at least this share of the best


def timeline_answer(kb: Knowledge, q: Question, page: int = 0) -> Answer:
    """`/timeline [X]` and 'when did ...': events in date order, the best match first for a
    question."""
    if not q.actors and not q.terms:
        return _timeline(kb, q, kb.dated_by_date, "everything", page, ordered=True)
    ordered, passed = checked(kb, q, limit=CANDIDATES)
    if q.command == "timeline":  # "/timeline SCO summit": the passages stating a summit,
        # when any does; a topic's timeline is never declined for want of one
        stating = [i for i in ordered[:passed] if states_event(kb, q, i.sentence)]
        if stating:
            ordered, passed = stating, len(stating)
    keep: list[Event] = []
    for item in _on_topic(q, ordered[:passed]):
        for sid in window(kb, item.sentence):
            keep += [e for e in kb.dated_in.get(sid, []) if e not in keep]
    if not keep:
        return not_directly(kb, q, cited(kb, ordered[:3]), ordered)
    names = ", ".join(kb.actors[a].name for a in q.actors)
    if q.command == "timeline":  # every matching event, in date order
        events = sorted(keep, key=lambda e: (e.date or "", e.id))
        return _timeline(kb, q, events, names or q.text, page, ordered=True)
    # "when did ...": the dated passage that answers, then the others in date order
    events = [keep[0], *sorted(keep[1:WHEN_LIMIT], key=lambda e: (e.date or "", e.id))]
    return _timeline(kb, q, events, names or q.text, page, ordered=False)


def _on_topic(q: Question, passing: Sequence[Scored]) -> Sequence[Scored]:
    """The passages whose events a timeline shows. On a topic ("/timeline sixth consultative
    meeting"), those within TOPIC_SHARE of the best: a passage sharing one everyday word with
    the topic would put its unrelated events first in date order. On actors alone, every one
    that passed: all of their events are theirs. Tune hit@3 0.850 to 0.925, holdout 0.816 to
    0.837 (0.5 to 0.7 alike on tune)."""
    if q.command != "timeline" or not q.terms or not passing:
        return passing
    floor = TOPIC_SHARE * max(item.score for item in passing)
    return [item for item in passing if item.score >= floor]


def _timeline(
    kb: Knowledge, q: Question, events: Sequence[Event], subject: str, page: int, *, ordered: bool
) -> Answer:
    """The events of one page as passages; the line above them counts and dates them all.
    `ordered`: the events are dated and in date order (the timelines, not 'when')."""
    at = paged(len(events), page, LIST_PAGE)
    shown = events[at.start : at.start + LIST_PAGE]
    passages = [passage(kb, e.sentence, event=e) for e in shown]
    return Answer(
        kind="timeline",
        query=q.text or "/timeline",
        heading=messages.timeline_heading(subject),
        bottom_line=_range(events, ordered),
        actor=ref(kb, q.actors[0]) if len(q.actors) == 1 else None,
        passages=passages,
        age=age(kb, [p.source for p in passages]),
        page=at,
    )


def _range(events: Sequence[Event], ordered: bool) -> str | None:
    """'45 events, 2002 to Aug 2024': how many, from the earliest date to the latest. Events
    already in date order are not read through: the first and the last are the ends."""
    if ordered:
        dated: Sequence[Event] = [events[0], events[len(events) - 1]] if events else []
    else:
        dated = sorted((e for e in events if e.date), key=lambda e: e.date or "")
    if not dated:
        return None
    first, last = event_date(dated[0]), event_date(dated[-1])
    noun = "event" if len(events) == 1 else "events"
    return f"{len(events)} {noun}, {first}" + ("" if first == last else f" to {last}")
