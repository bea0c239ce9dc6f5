"""Query in, Answer out: route the question, rank the fact base, cite every passage."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import TypeVar

from bot.core import messages
from bot.core.cite import age, cite
from bot.core.index import CAP
from bot.core.knowledge import Knowledge
from bot.core.query import Query, parse
from bot.core.rank import QUANTITY_IN_TEXT, Scored, diverse, known_share, query_terms, rank
from bot.core.resolve import Found
from bot.core.text import STOPWORDS, terms, words
from bot.core.unknown import unknown_names, unknown_word
from bot.models import ActorRef, Answer, Cited, Profile, Quote, SourceCount, SourceInfo

T = TypeVar("T")

MIN_COVERAGE = 0.45
MIN_KNOWN = 0.5
BRIEF_SIZE = 6
ACTOR_SENTENCES = 4
ACTOR_QUOTES = 3
PROFILE_SOURCES = 8  # a profile lists the sources naming the actor most; a count covers the rest
QUOTES_LIMIT = 8
TIMELINE_LIMIT = 12

_OVERVIEW = re.compile(
    r"^(brief me|overview|what do you know|what can you do|summary|summari[sz]e)\b", re.I
)
_WHO_IS = re.compile(
    r"^(?:who|what)(?:'s|’s| is| are| was| were)\s+(.+)$|^(?:tell me about|profile of|"
    r"who is|about)\s+(.+)$",
    re.I,
)
_SPEECH_WORDS = (
    r"say|said|says|saying|write|wrote|written|writes|tell|told|quote|quoted|"
    r"argue|argued|claim|claimed|comment|commented|stress|stressed|warn|warned"
)
_SPEECH = re.compile(rf"\b({_SPEECH_WORDS})\b", re.I)
_QUESTION = re.compile(
    r"^(how|why|when|where|which|what|whose|did|does|do|is|are|was|were|will|would|can|could|"
    r"has|have|should)\b",
    re.I,
)
_WHEN = re.compile(r"^when\b|\b(timeline|history|chronology|what year|since when)\b", re.I)
_QUANTITY = re.compile(r"\bhow (many|much|big|large|long|often|old)\b", re.I)
_COUNTED = re.compile(r"\bhow (?:many|much)\s+([a-z]+)", re.I)
# Words that ask for someone's words rather than name a topic: "what did X write on Y".
_ASKING_FOR_WORDS = re.compile(rf"\b(?:quotes|quoting|words?|statements?|{_SPEECH_WORDS})\b", re.I)


def answer(kb: Knowledge, raw: str) -> Answer:
    """Answer one query from the fact base; never raises on odd input."""
    query = parse(raw)
    result = _dispatch(kb, query)
    if query.truncated:
        result.notes.insert(0, messages.TRUNCATED)
    return result


def _dispatch(kb: Knowledge, query: Query) -> Answer:
    text = query.text
    if query.command == "help":
        return help_answer(text or "help")
    if query.command == "sources":
        return sources_answer(kb, text or "/sources")
    if query.command == "timeline":
        return timeline_answer(kb, text, chronological=True)
    if not text:
        return help_answer(query.raw.strip()[:200] or "", note=messages.EMPTY)
    found = kb.resolver.find(text)
    unknown = unknown_names(kb, text, found)
    if unknown:
        return not_found(kb, text, [], reason=messages.unknown_names(unknown))
    if query.command == "actor":
        return actor_answer(kb, text)
    if query.command == "quote":
        return quote_answer(kb, text, strict=True)
    if query.command == "brief":
        return brief_answer(kb, text)
    return _free(kb, text, found)


def _free(kb: Knowledge, text: str, found: Sequence[Found]) -> Answer:
    """Route free text to the answer a reader would expect."""
    if _OVERVIEW.match(text):
        return overview_answer(kb, text)
    who = _WHO_IS.match(text.rstrip("?!. "))
    if who and found:
        subject = (who.group(1) or who.group(2) or "").strip()
        if _covers(subject, found, text):
            return actor_answer(kb, subject, query=text)
    if found and _SPEECH.search(text):
        speaker = _speaker(kb, found)
        if speaker:
            result = quote_answer(kb, text, strict=False, speaker=speaker, found=found)
            if result.kind == "quote":
                return result
    if _WHEN.search(text):
        result = timeline_answer(kb, text, chronological=False)
        if result.kind == "timeline":
            return result
    if found and not _QUESTION.match(text) and _covers(text, found, text):
        return actor_answer(kb, text)
    return brief_answer(kb, text, found=found)


def _covers(subject: str, found: Sequence[Found], text: str) -> bool:
    """Whether the subject is essentially a name: at most one content word beside it."""
    leftover = subject
    for f in found:
        leftover = leftover.replace(text[f.start : f.end], " ")
    content = [w for w in words(leftover) if w not in STOPWORDS]
    return len({f.actor for f in found}) == 1 and len(content) <= 1


def _speaker(kb: Knowledge, found: Sequence[Found]) -> str | None:
    """Who a 'what did X say' question asks about: the first named actor who has quotes."""
    for f in found:
        if kb.stats[f.actor].quotes:
            return f.actor
    return None


# --- brief -----------------------------------------------------------------------------------


def brief_answer(kb: Knowledge, text: str, found: Sequence[Found] | None = None) -> Answer:
    found = kb.resolver.find(text) if found is None else found
    actors = _unique(f.actor for f in found)
    terms = query_terms(kb, text)
    ranked = rank(kb, terms, actors, quantity=bool(_QUANTITY.search(text)))
    if not ranked or not _confident(kb, ranked[0], terms, actors, text):
        return not_found(kb, text, ranked)
    picked = diverse(kb, ranked, BRIEF_SIZE, floor=0.45)
    passages = [_sentence(kb, p) for p in picked]
    return Answer(
        kind="brief",
        query=text,
        heading=f"Briefing: {text}",
        actor=_ref(kb, actors[0]) if len(actors) == 1 else None,
        passages=passages,
        related=_related(kb, picked, exclude=actors),
        age=age(kb, [p.source for p in passages]),
    )


def _confident(
    kb: Knowledge, best: Scored, terms: Sequence[str], actors: Sequence[str], text: str
) -> bool:
    """Enough of the question is in the best passage, the corpus knows what was asked about,
    and a 'how many' question gets a quantity."""
    if not terms and not actors:
        return False
    if terms and best.coverage < MIN_COVERAGE:
        return False
    named = bool(set(actors) & kb.actors_in[best.sentence])
    if not named and known_share(kb, terms) < MIN_KNOWN:
        return False
    if not _QUANTITY.search(text):
        return True
    counted = _COUNTED.search(text)
    if counted and unknown_word(kb, counted.group(1)):
        return False  # "how many tanks": the articles never speak of tanks
    return QUANTITY_IN_TEXT.search(kb.fb.sentences[best.sentence].text) is not None


def overview_answer(kb: Knowledge, text: str) -> Answer:
    """'Brief me': the sources' own summaries and the actors they name most."""
    passages = [cite(kb, kb.fb.sentences[d.summary[0]]) for d in kb.fb.digests if d.summary]
    top = sorted(kb.fb.actor_stats, key=lambda s: -sum(s.mentions.values()))[:8]
    return Answer(
        kind="brief",
        query=text,
        heading=messages.OVERVIEW_HEADING,
        passages=passages,
        related=[_ref(kb, s.actor) for s in top],
        suggestions=["/sources", *(f"/actor {kb.actors[s.actor].name}" for s in top[:3])],
        notes=[messages.overview_note(len(kb.fb.sources), len(kb.fb.actors))],
        age=age(kb, [p.source for p in passages]),
    )


# --- actor -----------------------------------------------------------------------------------


def actor_answer(kb: Knowledge, name: str, query: str | None = None) -> Answer:
    query = query or name
    found = kb.resolver.find(name)
    if not found:
        return not_found(kb, query, [], names=name)
    actor = kb.actors[found[0].actor]
    stats = kb.stats[actor.id]
    role_passages = _evidence_sentences(kb, actor.id)
    about = _about(kb, actor.id, query, exclude={(p.source, p.start) for p in role_passages[:1]})
    spoken = [q for q in stats.quotes if kb.fb.quotes[q].speech]
    quotes = [cite(kb, kb.fb.quotes[q], speaker=actor.id) for q in spoken[:ACTOR_QUOTES]]
    passages = _dedupe([*role_passages[:1], *about, *quotes])
    profile = Profile(
        role=actor.role,
        role_evidence=role_passages[0] if role_passages else None,
        mentions=[
            SourceCount(source=f, title=kb.sources[f].title, count=n)
            for f, n in sorted(stats.mentions.items(), key=lambda kv: -kv[1])[:PROFILE_SOURCES]
        ],
        sources_count=len(stats.mentions),
        memberships=[f"{m.relation} {kb.actors[m.of].name}" for m in actor.memberships],
        quotes_count=len(spoken),
    )
    related = [_ref(kb, a) for a in list(stats.co_mentions)[:6] if a in kb.actors]
    return Answer(
        kind="actor",
        query=query,
        heading=actor.name,
        actor=_ref(kb, actor.id),
        profile=profile,
        passages=passages,
        related=related,
        notes=[] if stats.mentions else [messages.NOT_IN_BODY],
        age=age(kb, [p.source for p in passages]),
    )


def _evidence_sentences(kb: Knowledge, actor: str) -> list[Cited]:
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
    return out


def _about(kb: Knowledge, actor: str, query: str, exclude: set[tuple[str, int]]) -> list[Cited]:
    """Key sentences about an actor: where they are named, described and what the query adds."""
    stats = kb.stats[actor]
    extra = [t for t in query_terms(kb, query) if t not in _name_terms(kb, actor)]
    lexical = kb.sentence_index.score(extra, capped=True) if extra else {}
    describes = _describer(kb, actor)
    scored = []
    for order, sid in enumerate(stats.sentences[:CAP]):
        s = kb.fb.sentences[sid]
        if (s.source, s.start) in exclude:
            continue
        described = 1.0 if describes(s.text) else 0.0
        score = described + 0.5 * lexical.get(sid, 0.0) + 1.0 / (2 + order)  # earlier first
        scored.append((score, sid))
    best = heapq.nsmallest(ACTOR_SENTENCES, scored, key=lambda pair: (-pair[0], pair[1]))
    return [cite(kb, kb.fb.sentences[sid], score=score) for score, sid in best]


def _name_terms(kb: Knowledge, actor: str) -> set[str]:
    a = kb.actors[actor]
    return {t for alias in (a.name, *a.aliases) for t in terms(alias)}


def _describer(kb: Knowledge, actor: str) -> Callable[[str], bool]:
    """Apposition or copula right by a name: 'X, a Baku-based analyst', 'X is a ...'.

    One compiled pattern per actor answer, tried on each of its sentences."""
    a = kb.actors[actor]
    names = "|".join(re.escape(n) for n in sorted({a.name, *a.aliases}, key=len, reverse=True))
    pattern = re.compile(
        rf"(?:{names})(?:\s*\([^)]*\))?"
        r"(?:,\s+(?:a|an|the|who|which)\b|\s+(?:is|was|are)\s+(?:a|an|the)\b)",
        re.I,
    )
    return lambda text: pattern.search(text) is not None


# --- quotes ----------------------------------------------------------------------------------


def quote_answer(
    kb: Knowledge,
    text: str,
    *,
    strict: bool,
    speaker: str | None = None,
    found: Sequence[Found] | None = None,
) -> Answer:
    """Verbatim quotations by a speaker (on a topic) or matching a phrase."""
    found = kb.resolver.find(text) if found is None else found
    if speaker is None and found and _covers_or_leads(text, found):
        speaker = found[0].actor
    if speaker is not None:
        return _quotes_by(kb, text, speaker, found)
    return _quotes_matching(kb, text, strict)


def _covers_or_leads(text: str, found: Sequence[Found]) -> bool:
    """`/quote keosayan` or `/quote lukashenko on kazakhstan`: the phrase starts with a name."""
    lead = text.lstrip()
    first = found[0]
    return first.start <= len(text) - len(lead) + 1 or _covers(text, found, text)


def _quotes_by(kb: Knowledge, text: str, speaker: str, found: Sequence[Found]) -> Answer:
    actor = kb.actors[speaker]
    own = [kb.fb.quotes[i] for i in kb.stats[speaker].quotes if kb.fb.quotes[i].speech]
    if not own:
        return not_found(
            kb,
            text,
            [],
            reason=messages.no_quotes(actor.name),
            extra=[f"/actor {actor.name}"],
        )
    asked = _ASKING_FOR_WORDS.sub(" ", text)
    topic = [t for t in query_terms(kb, asked) if t not in _name_terms(kb, speaker)]
    scores = _quote_scores(kb, own, topic)
    if topic and not any(scores.values()):
        return not_found(
            kb,
            text,
            [],
            reason=messages.no_quotes_on(actor.name, " ".join(words(asked))),
            extra=[f"/quote {actor.name}", f"/actor {actor.name}"],
        )
    ordered = sorted(own, key=lambda q: (-scores.get(q.id, 0.0), q.id))
    passages = [
        cite(kb, q, speaker=speaker, score=scores.get(q.id, 0.0))
        for q in _dedupe_quotes(ordered, QUOTES_LIMIT)
    ]
    return Answer(
        kind="quote",
        query=text,
        heading=messages.quotes_by(actor.name),
        actor=_ref(kb, speaker),
        passages=passages,
        related=[_ref(kb, f.actor) for f in found if f.actor != speaker][:5],
        age=age(kb, [p.source for p in passages]),
    )


def _quote_scores(kb: Knowledge, quotes: Sequence[Quote], topic: Sequence[str]) -> dict[int, float]:
    if not topic:
        return {}
    sentence_scores = kb.sentence_index.score(topic, capped=True)
    quote_scores = kb.quote_index.score(topic, capped=True)
    return {
        q.id: quote_scores.get(q.id, 0.0) + 0.5 * sentence_scores.get(q.sentence, 0.0)
        for q in quotes
    }


def _quotes_matching(kb: Knowledge, text: str, strict: bool) -> Answer:
    terms = query_terms(kb, text)
    scores = kb.quote_index.score(terms, capped=True)
    ceiling = kb.quote_index.ceiling(terms) or 1.0
    phrase = " ".join(words(text))
    ranked = sorted(
        scores, key=lambda i: (-(scores[i] / ceiling + _contains(kb.fb.quotes[i], phrase)), i)
    )
    good = (kb.fb.quotes[i] for i in ranked if _quote_coverage(kb, terms, kb.fb.quotes[i]) >= 0.6)
    quotes = _dedupe_quotes(good, QUOTES_LIMIT)
    if not quotes:
        if strict:
            return not_found(kb, text, rank(kb, terms), reason=messages.no_quote_match(text))
        return brief_answer(kb, text)
    passages = [
        cite(kb, q, speaker=q.speaker if q.speech else None, score=scores[q.id]) for q in quotes
    ]
    speakers = _unique(q.speaker for q in quotes if q.speaker)
    return Answer(
        kind="quote",
        query=text,
        heading=messages.quotes_matching(text),
        passages=passages,
        related=[_ref(kb, s) for s in speakers][:5],
        age=age(kb, [p.source for p in passages]),
    )


def _contains(quote: Quote, phrase: str) -> float:
    return 1.0 if phrase and phrase in " ".join(words(quote.text)) else 0.0


def _quote_coverage(kb: Knowledge, terms: Sequence[str], quote: Quote) -> float:
    weights = {t: kb.quote_index.idf.get(t, 5.0) for t in dict.fromkeys(terms)}
    total = sum(weights.values())
    present = kb.quote_index.contains
    return sum(w for t, w in weights.items() if present(t, quote.id)) / total if total else 0.0


def _dedupe_quotes(quotes: Iterable[Quote], limit: int) -> list[Quote]:
    """A quotation repeated (pull quote, republication) is shown once; the first `limit`."""
    seen: set[str] = set()
    out: list[Quote] = []
    for q in quotes:
        if len(out) >= limit:
            break
        key = " ".join(words(q.text))
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


# --- timeline --------------------------------------------------------------------------------


def timeline_answer(kb: Knowledge, text: str, *, chronological: bool) -> Answer:
    """Dated events in order; for a 'when' question, the best-matching event leads."""
    found = kb.resolver.find(text)
    actors = _unique(f.actor for f in found)
    terms = [t for t in query_terms(kb, text) if t not in ("when", "timeline", "history")]
    events, by_date = kb.dated, kb.dated_by_date
    if actors or terms:
        ranked = {s.sentence: s for s in rank(kb, terms, actors, limit=400)}
        keep = []
        for sentence, item in ranked.items():
            here = kb.dated_in.get(sentence)
            if not here:
                continue
            named = set(actors) <= kb.actors_in[sentence] if actors else False
            if named or (terms and item.coverage >= MIN_COVERAGE):
                keep += [(item.score, e) for e in here]
        if not keep:
            return not_found(kb, text, list(ranked.values()))
        keep.sort(key=lambda pair: (-pair[0], pair[1].id))
        events = [e for _, e in keep[:TIMELINE_LIMIT]]
        by_date = sorted(events, key=lambda e: (e.date or "", e.id))
    if not chronological and events:
        lead = events[0]
        rest = islice((e for e in by_date if e is not lead), TIMELINE_LIMIT - 1)
        by_date = [lead, *rest]
    passages = [cite(kb, kb.fb.sentences[e.sentence], event=e) for e in by_date[:TIMELINE_LIMIT]]
    names = ", ".join(kb.actors[a].name for a in actors)
    subject = names or (text if terms else "") or "everything"
    return Answer(
        kind="timeline",
        query=text or "/timeline",
        heading=messages.timeline_heading(subject),
        actor=_ref(kb, actors[0]) if len(actors) == 1 else None,
        passages=passages,
        age=age(kb, [p.source for p in passages]),
    )


# --- sources, help, not found ----------------------------------------------------------------


def sources_answer(kb: Knowledge, text: str) -> Answer:
    from bot.core.cite import date_label

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


def not_found(
    kb: Knowledge,
    text: str,
    ranked: Sequence[Scored],
    *,
    names: str | None = None,
    reason: str | None = None,
    extra: Sequence[str] = (),
) -> Answer:
    """Say plainly that the articles don't answer, and offer the nearest things they do know."""
    suggestions = list(extra)
    for actor in kb.resolver.suggest(names or text):
        suggestions.append(f"/actor {kb.actors[actor].name}")
    near = Counter(a for item in ranked[:5] for a in kb.actors_in[item.sentence])
    for actor in _most_common(near, 3):
        suggestions.append(f"/actor {kb.actors[actor].name}")
    suggestions = _unique(suggestions)[:5] or ["/sources", "help"]
    return Answer(
        kind="not_found",
        query=text,
        heading=messages.NOT_FOUND_HEADING,
        suggestions=suggestions,
        notes=[reason or messages.not_found(text)],
    )


# --- shared ----------------------------------------------------------------------------------


def _sentence(kb: Knowledge, item: Scored) -> Cited:
    s = kb.fb.sentences[item.sentence]
    quotes = [q for q in kb.quotes_in[s.id] if q.speech and q.speaker]
    return cite(kb, s, speaker=quotes[0].speaker if quotes else None, score=item.score)


def _related(kb: Knowledge, picked: Sequence[Scored], exclude: Sequence[str]) -> list[ActorRef]:
    counts = Counter(a for p in picked for a in kb.actors_in[p.sentence] if a not in exclude)
    return [_ref(kb, a) for a in _most_common(counts, 5)]


def _most_common(counts: Counter[str], n: int) -> list[str]:
    """Most frequent first, ties by id: the same answer in every process."""
    return sorted(counts, key=lambda key: (-counts[key], key))[:n]


def _ref(kb: Knowledge, actor_id: str) -> ActorRef:
    a = kb.actors[actor_id]
    return ActorRef(
        id=a.id, name=a.name, kind=a.kind, aliases=[x for x in a.aliases if x != a.name]
    )


def _dedupe(passages: Iterable[Cited]) -> list[Cited]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for p in passages:
        key = (p.source, p.start, p.end)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _unique(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))
