"""How the articles differ on a topic: one block of passages per source that speaks to it,
oldest first; the sources that don't are named as silent."""

from __future__ import annotations

from bot.core import messages
from bot.core.answers.common import not_directly
from bot.core.answers.topic import checked, cited
from bot.core.cite import age, bottom_line
from bot.core.evidence import supports
from bot.core.knowledge import Knowledge
from bot.core.question import Question
from bot.models import Answer

PER_SOURCE = 2


def compare_answer(kb: Knowledge, q: Question) -> Answer:
    ordered, answered = checked(kb, q, limit=120)
    by_source: dict[str, list[int]] = {}
    for item in ordered:
        if not supports(kb, q, item.sentence) and answered:
            continue
        source = kb.fb.sentences[item.sentence].source
        picked = by_source.setdefault(source, [])
        if len(picked) < PER_SOURCE:
            picked.append(item.sentence)
    if not by_source:
        return not_directly(kb, q, cited(kb, ordered[:3]), ordered)
    speaking = sorted(by_source, key=lambda f: kb.sources[f].date)
    order = [sid for f in speaking for sid in by_source[f]]  # one block per source, by date
    scores = {item.sentence: item for item in ordered}
    passages = cited(kb, [scores[sid] for sid in order])
    silent = [s.title for s in kb.fb.sources if s.file not in by_source]
    notes = [messages.silent(silent)] if silent else []
    return Answer(
        kind="compare",
        query=q.text,
        heading=messages.compare_heading(q.text),
        bottom_line=bottom_line(kb, speaking),
        passages=passages,
        notes=notes,
        age=age(kb, [p.source for p in passages]),
    )
