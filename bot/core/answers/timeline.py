"""Dated events: the whole timeline in order, or for a 'when' question the dated passage that
answers first."""

from __future__ import annotations

from bot.core import messages
from bot.core.answers.common import not_directly, ref
from bot.core.answers.topic import checked, cited
from bot.core.cite import age
from bot.core.evidence import supports, window
from bot.core.knowledge import Knowledge
from bot.core.passages import passage
from bot.core.question import Question
from bot.models import Answer, Event

TIMELINE_LIMIT = 12
CANDIDATES = 80


def timeline_answer(kb: Knowledge, q: Question) -> Answer:
    """`/timeline [X]` and 'when did ...': events in date order, the best match first for a
    question."""
    if not q.actors and not q.terms:
        events = kb.dated_by_date
        return _timeline(kb, q, events, "everything")
    ordered, _ = checked(kb, q, limit=CANDIDATES)
    keep: list[Event] = []
    for item in ordered:
        if not supports(kb, q, item.sentence):
            continue
        for sid in window(kb, item.sentence):
            keep += [e for e in kb.dated_in.get(sid, []) if e not in keep]
    if not keep:
        return not_directly(kb, q, cited(kb, ordered[:3]), ordered)
    lead = keep[0]
    rest = sorted(keep[1:TIMELINE_LIMIT], key=lambda e: (e.date or "", e.id))
    events = (
        [lead, *rest]
        if q.command != "timeline"
        else sorted(keep[:TIMELINE_LIMIT], key=lambda e: (e.date or "", e.id))
    )
    names = ", ".join(kb.actors[a].name for a in q.actors)
    return _timeline(kb, q, events, names or q.text)


def _timeline(kb: Knowledge, q: Question, events: list[Event], subject: str) -> Answer:
    shown = events[:TIMELINE_LIMIT]
    passages = [passage(kb, e.sentence, event=e) for e in shown]
    return Answer(
        kind="timeline",
        query=q.text or "/timeline",
        heading=messages.timeline_heading(subject),
        actor=ref(kb, q.actors[0]) if len(q.actors) == 1 else None,
        passages=passages,
        age=age(kb, [p.source for p in passages]),
    )
