"""Answers about C5 Brief itself: the overview, the sources, help."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core import messages
from bot.core.answers.common import paged, ref
from bot.core.cite import age, cite, date_label
from bot.core.knowledge import Knowledge
from bot.models import Answer, SourceInfo

LIST_PAGE = 50  # sources, summaries or events to a page


def overview_answer(kb: Knowledge, text: str, page: int = 0) -> Answer:
    """'Brief me': the sources' own summaries and the actors they name most."""
    summaries = [d.summary[0] for d in kb.fb.digests if d.summary]
    at = paged(len(summaries), page, LIST_PAGE)
    shown = summaries[at.start : at.start + LIST_PAGE]
    passages = [cite(kb, kb.fb.sentences[sid]) for sid in shown]
    top = kb.most_named[:8]
    return Answer(
        kind="brief",
        query=text,
        heading=messages.OVERVIEW_HEADING,
        passages=passages,
        related=[ref(kb, a) for a in top],
        suggestions=["/sources", *(f"/actor {kb.actors[a].name}" for a in top[:3])],
        notes=[messages.overview_note(len(kb.fb.sources), len(kb.fb.actors))],
        age=age(kb, [p.source for p in passages]),
        page=at,
    )


def sources_answer(kb: Knowledge, text: str, page: int = 0, files: Sequence[str] = ()) -> Answer:
    """Every source, oldest first, a page at a time; or the records of the sources a question
    names ("when was the Hansen article published"), in the order named."""
    ordered = [kb.sources[f] for f in files] if files else kb.sources_by_date
    at = paged(len(ordered), page, LIST_PAGE)
    shown = ordered[at.start : at.start + LIST_PAGE]
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
        for s in shown
    ]
    return Answer(
        kind="sources",
        query=text,
        heading=messages.record_heading(len(files)) if files else messages.SOURCES_HEADING,
        sources=infos,
        age=age(kb, [s.file for s in shown]),
        page=at,
    )


def help_answer(text: str, note: str | None = None) -> Answer:
    return Answer(
        kind="help",
        query=text,
        heading=messages.HELP_HEADING,
        help=messages.HELP,
        notes=[note] if note else [],
    )
