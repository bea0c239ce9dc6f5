"""How the articles differ on a topic: one block of passages per source that speaks to it,
the source that speaks most to it first (each block carries its date); the sources that don't
are named as silent; where two lean opposite ways, that pair side by side."""

from __future__ import annotations

from dataclasses import replace
from itertools import islice, zip_longest

from bot.core import messages
from bot.core.answers.common import key_sentences, not_directly
from bot.core.answers.gist import compares_gists
from bot.core.answers.topic import checked, cited
from bot.core.cite import age, bottom_line
from bot.core.evidence import listed, measures_asked, sum_on_topic
from bot.core.knowledge import Knowledge
from bot.core.question import Question
from bot.core.rank import Scored
from bot.core.stance import leaning
from bot.core.text import stem, words
from bot.models import Answer, Cited

# Passages shown per source. Each is gathered from all of the source's candidates that pass,
# as a brief's are, so it holds the other matched sentences of its paragraph that fit (an
# author's verdict often follows the sentence naming the topic): picking two sentences before
# gathering left a passage with its best sentence alone. Tune compare 0.486/0.657/0.581 to
# 0.543/0.714/0.633; holdout MRR 0.7958 to 0.7964 (compare 0.678 to 0.686), hit@k unchanged.
PER_SOURCE = 2
SIDE_LIMIT = 40  # candidates checked in each named source


def compare_answer(kb: Knowledge, q: Question) -> Answer:
    by_source: dict[str, list[Scored]] = {}
    if compares_gists(kb, q):  # "Hansen vs Khamidov": what each article argues
        quoted = [x.source for a in q.about for x in kb.quotes_at(kb.stats[a].quotes)]
        for f in dict.fromkeys([*q.sources, *quoted]):  # articles named, then those quoting
            sids = _words_in(kb, q.about, f) or key_sentences(kb, f)
            by_source[f] = [Scored(sid, 0.0) for sid in sids[:PER_SOURCE]]
        return _sides(kb, q, by_source)
    ordered, passed = named_sides(kb, q) if len(q.sources) > 1 else checked(kb, q, limit=120)
    for item in ordered[:passed] if passed else ordered:
        by_source.setdefault(kb.fb.sentences[item.sentence].source, []).append(item)
    if q.of_lists:  # as a list question's answer: the fuller list first ("consists of ...")
        for items in by_source.values():
            items.sort(key=lambda item: -listed(kb, q, [item.sentence]))
    if not by_source:
        return not_directly(kb, q, cited(kb, ordered[:3]), ordered)
    measures = measures_asked(q)
    if measures and not any(sum_on_topic(kb, q, item.sentence) for item in ordered[:passed]):
        # "Kazakh vs Uzbek military spending": the articles speak of both, but give no figure
        reason = messages.no_figure(measures[0])
        return not_directly(kb, q, cited(kb, ordered[:3]), ordered, reason=reason)
    return _sides(kb, q, by_source)


def _words_in(kb: Knowledge, people: tuple[str, ...], file: str) -> list[int]:
    """The sentences of a source quoting the people asked about, taking turns ("Mardan vs
    Novruzova": each one's first words, then their next), each person's in article order."""
    each = [
        sorted(
            {x.sentence for x in kb.quotes_at(kb.stats[a].quotes) if x.speech and x.source == file}
        )
        for a in people
    ]
    return list(
        dict.fromkeys(sid for turn in zip_longest(*each) for sid in turn if sid is not None)
    )


def _sides(kb: Knowledge, q: Question, by_source: dict[str, list[Scored]]) -> Answer:
    """One block of passages per source, named sources first, then the silent ones named."""
    # Sources the question names in the order named ("A vs B": A first), then the source
    # that speaks most to the topic.
    named = {f: i for i, f in enumerate(q.sources)}
    speaking = sorted(by_source, key=lambda f: named.get(f, len(named)))  # one block each
    passages = [p for f in speaking for p in cited(kb, by_source[f], most=PER_SOURCE)]
    quiet = (f for f in kb.source_index if f not in by_source)  # files in fact base order
    silent = [kb.sources[f].title for f in islice(quiet, messages.SILENT_SHOWN)]
    notes = [messages.silent(silent)] if silent else []
    return Answer(
        kind="compare",
        query=q.text,
        heading=messages.compare_heading(q.text),
        bottom_line=bottom_line(kb, speaking),
        passages=passages,
        contrast=opposed(passages, topic(kb, q)),
        notes=notes,
        age=age(kb, [p.source for p in passages]),
    )


def named_sides(kb: Knowledge, q: Question) -> tuple[list[Scored], int]:
    """Candidates of each source the question names ("Aluwaisheg vs Anceschi"), each checked
    for the actors that source names: one side's article need not name the other side."""
    passing: list[Scored] = []
    rest: list[Scored] = []
    for f in q.sources:
        about = tuple(a for a in q.about if (s := kb.stats.get(a)) and f in s.mentions)
        ordered, passed = checked(kb, replace(q, sources=(f,), about=about), limit=SIDE_LIMIT)
        passing += ordered[:passed]
        rest += ordered[passed:]
    passing.sort(key=lambda item: -item.score)
    return [*passing, *rest], len(passing)


def topic(kb: Knowledge, q: Question) -> frozenset[str]:
    """The stems of what is asked about: its terms and the one-word names of the actors it
    names ("Central Asian states" for the C5 would make any "Central Asian" its name)."""
    names = [n for a in q.actors for n in (kb.actors[a].name, *kb.actors[a].aliases)]
    return frozenset([*q.terms, *(stem(w) for n in names if len(ws := words(n)) == 1 for w in ws)])


def opposed(passages: list[Cited], topic: frozenset[str] = frozenset()) -> list[Cited]:
    """The passage leaning most against and the one leaning most for (the better match of the
    topic first among equals), from two different sources, in the answer's order; none unless
    both lean, so no disagreement is claimed without words that state it."""
    leans = [(leaning(p.focus(), topic), p.score, p) for p in passages]
    against = [x for x in leans if x[0] < 0]
    if not against:
        return []
    worst = min(against, key=lambda x: (x[0], -x[1]))
    other = [x for x in leans if x[0] > 0 and x[2].source != worst[2].source]
    if not other:
        return []
    best = max(other, key=lambda x: (x[0], x[1]))
    return sorted([worst[2], best[2]], key=passages.index)
