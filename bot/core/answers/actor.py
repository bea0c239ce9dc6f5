"""Who an actor is: role with its evidence, key sentences, their words; authors by their work."""

from __future__ import annotations

import heapq
from operator import itemgetter

from bot.core import messages
from bot.core.answers.common import dedupe, key_sentences, ref
from bot.core.cite import age, bottom_line, cite, statement
from bot.core.describe import describer
from bot.core.index import CAP
from bot.core.knowledge import Knowledge
from bot.core.passages import passage
from bot.core.question import Question, sources_named_by
from bot.core.text import actor_key, terms
from bot.models import Actor, Answer, Cited, Profile, Source, SourceCount, Span

ACTOR_SENTENCES = 4
ACTOR_QUOTES = 3
AUTHOR_CLAIMS = 4
PROFILE_SOURCES = 8  # a profile lists the sources naming the actor most; a count covers the rest


def actor_answer(kb: Knowledge, q: Question, actor_id: str | None = None) -> Answer:
    actor = kb.actors[actor_id or q.actors[0]]
    stats = kb.stats[actor.id]
    role_passages = evidence_sentences(kb, actor.id)
    about = _about(kb, actor.id, q, exclude={(p.source, p.start) for p in role_passages[:1]})
    spoken = kb.spoken(stats.quotes)
    quotes = [
        cite(kb, kb.fb.quotes[i], speaker=actor.id, said=statement(kb, kb.fb.quotes[i].sentence))
        for i in spoken[:ACTOR_QUOTES]
    ]
    written = kb.wrote.get(actor.id)
    if written is None:  # once per actor: the articles they wrote, or as an outlet published
        files = sources_named_by(kb, actor.id)
        ordered = sorted(files, key=kb.source_index.__getitem__)
        written = kb.wrote[actor.id] = [kb.sources[f] for f in ordered]
    claims = [c for s in written for c in _claims(kb, s.file)]
    lead = [_in_context(kb, p) for p in role_passages[:1]]
    passages = dedupe([*lead, *about, *claims, *quotes])
    profile = Profile(
        role=actor.role,
        role_evidence=role_passages[0] if role_passages else None,
        mentions=[
            SourceCount(source=f, title=kb.sources[f].title, count=n)
            for f, n in heapq.nlargest(PROFILE_SOURCES, stats.mentions.items(), key=itemgetter(1))
        ],
        sources_count=len(stats.mentions),
        memberships=[f"{m.relation} {kb.actors[m.of].name}" for m in actor.memberships],
        quotes_count=len(spoken),
        wrote=[f"{s.title} ({s.outlet}, {s.author})" for s in written],
    )
    notes = []
    if written:
        verb = "published" if actor.kind == "outlet" else "wrote"
        notes.append(messages.author_note(actor.name, len(written), len(kb.fb.sources), verb))
    elif not stats.mentions:
        notes.append(messages.NOT_IN_BODY)
    return Answer(
        kind="actor",
        query=q.text,
        heading=actor.name,
        bottom_line=_bottom_line(kb, actor, list(stats.mentions), len(spoken), written),
        actor=ref(kb, actor.id),
        profile=profile,
        passages=passages,
        related=[ref(kb, a) for a in list(stats.co_mentions)[:6] if a in kb.actors],
        notes=notes,
        age=age(kb, [p.source for p in passages]),
    )


def _bottom_line(
    kb: Knowledge, actor: Actor, files: list[str], quotes: int, written: list[Source]
) -> str | None:
    """'Named in 4 of 5 sources, May 2022 – Aug 2024; 3 quotations' (or what they wrote)."""
    parts = []
    name = actor.name
    if written:
        by = "published" if actor.kind == "outlet" else "written"
        parts.append(bottom_line(kb, [s.file for s in written], f"{by} by {name}"))
    if files:
        parts.append(bottom_line(kb, files, f"name {name}"))
    if quotes:
        parts.append(f"{quotes} quotation{'' if quotes == 1 else 's'}")
    return "; ".join(p for p in parts if p) or None


def _claims(kb: Knowledge, source: str) -> list[Cited]:
    """What an article argues: its key sentences (the build's digest), the most telling first."""
    return [passage(kb, sid) for sid in key_sentences(kb, source)[:AUTHOR_CLAIMS]]


def evidence_sentences(kb: Knowledge, actor: str) -> list[Cited]:
    """The article sentences holding the curated evidence for who the actor is.

    Evidence may run over two sentences; the one that names the actor comes first."""
    out: list[Cited] = []
    for ev in kb.actors[actor].evidence:
        sentences = kb.sentences_of.get(ev.seed, [])
        for pid in dict.fromkeys(s.paragraph for s in sentences):
            paragraph = kb.fb.paragraphs[pid]
            at = paragraph.text.find(ev.text)
            if at < 0:
                continue
            start = paragraph.start + at
            end = start + len(ev.text)
            held = [s for s in sentences if s.paragraph == pid and s.start < end and s.end > start]
            held.sort(key=lambda s: actor not in kb.actors_in[s.id])
            out += [cite(kb, s) for s in held]
            break
        else:
            if ev.start is not None and ev.start >= 0 and ev.seed in kb.sources:
                # outside the body (a byline, an author's bio): the evidence itself, verbatim
                span = Span(
                    source=ev.seed, start=ev.start, end=ev.start + len(ev.text), text=ev.text
                )
                out.append(cite(kb, span))
    says = describer(kb.actors[actor])
    return sorted(out, key=lambda c: not says(c.text))  # "X is a ...", "X, a ..." first


def _in_context(kb: Knowledge, cited: Cited) -> Cited:
    """The role's sentence as a passage, with the neighbours it needs ("This facility ..."
    going on about it after); a byline or bio outside the body as it stands."""
    for s in kb.sentences_of.get(cited.source, []):
        if (s.start, s.end) == (cited.start, cited.end):
            return passage(kb, s.id)
    return cited


def _about(kb: Knowledge, actor: str, q: Question, exclude: set[tuple[str, int]]) -> list[Cited]:
    """Key sentences about an actor: where they are named, described and what the query adds."""
    stats = kb.stats[actor]
    names = _name_terms(kb, actor)
    extra = [t for t in q.keys if t not in names and t != actor_key(actor)]
    lexical = kb.sentence_index.score(extra, capped=True) if extra else {}
    describes = kb.described[actor]  # its sentences that describe it (build)
    scored = [
        # described first, then what the query adds, then earlier mentions
        (1.0 * (sid in describes) + 0.5 * lexical.get(sid, 0.0) + 1.0 / (2 + order), sid)
        for order, sid in enumerate(stats.sentences[:CAP])
    ]
    # The exclusions are looked up among the best only: a source lookup per sentence named
    # would cost more than the scoring at scale.
    best = heapq.nsmallest(ACTOR_SENTENCES + len(exclude), scored, key=lambda p: (-p[0], p[1]))
    best = [
        (score, sid)
        for score, sid in best
        if (kb.fb.sources[kb.source_of[sid]].file, kb.starts[sid]) not in exclude
    ][:ACTOR_SENTENCES]
    return [passage(kb, sid, score=score) for score, sid in best]


def _name_terms(kb: Knowledge, actor: str) -> set[str]:
    a = kb.actors[actor]
    return {t for alias in (a.name, *a.aliases) for t in terms(alias)}
