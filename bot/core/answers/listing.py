"""Answers about C5 Brief itself: the overview, the sources, help."""

from __future__ import annotations

from bot.core import messages
from bot.core.answers.common import ref
from bot.core.cite import age, cite, date_label
from bot.core.knowledge import Knowledge
from bot.models import Answer, SourceInfo


def overview_answer(kb: Knowledge, text: str) -> Answer:
    """'Brief me': the sources' own summaries and the actors they name most."""
    passages = [cite(kb, kb.fb.sentences[d.summary[0]]) for d in kb.fb.digests if d.summary]
    top = sorted(kb.fb.actor_stats, key=lambda s: -sum(s.mentions.values()))[:8]
    return Answer(
        kind="brief",
        query=text,
        heading=messages.OVERVIEW_HEADING,
        passages=passages,
        related=[ref(kb, s.actor) for s in top],
        suggestions=["/sources", *(f"/actor {kb.actors[s.actor].name}" for s in top[:3])],
        notes=[messages.overview_note(len(kb.fb.sources), len(kb.fb.actors))],
        age=age(kb, [p.source for p in passages]),
    )


def sources_answer(kb: Knowledge, text: str) -> Answer:
    infos = [
        SourceInfo(
            file=s.file,
            title=s.title,
            outlet=s.outlet,
            original_outlet=s.original_outlet,
            author=s.author,
            date=date_label(s),
            date_note=s.date_note,
            url=s.url,
            url_verified=s.url_verified,
            url_note=s.url_note,
        )
        for s in sorted(kb.fb.sources, key=lambda s: s.date)
    ]
    return Answer(
        kind="sources",
        query=text,
        heading=messages.SOURCES_HEADING,
        sources=infos,
        age=age(kb, [s.file for s in kb.fb.sources]),
    )


def help_answer(text: str, note: str | None = None) -> Answer:
    return Answer(
        kind="help",
        query=text,
        heading=messages.HELP_HEADING,
        help=messages.HELP,
        notes=[note] if note else [],
    )
