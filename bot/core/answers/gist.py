"""What a named article argues: its key sentences, when the question asks only for that
("summary of the Diplomat piece", "what does the LMC article conclude"); and who wrote it."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from itertools import chain, zip_longest

from bot.core import messages
from bot.core.answers.actor import actor_answer
from bot.core.answers.common import key_sentences, ref
from bot.core.cite import age, bottom_line
from bot.core.knowledge import Knowledge
from bot.core.passages import passage
from bot.core.question import Question, last_clause
from bot.core.text import STOPWORDS, stem, terms, words
from bot.lexicon import WORDS
from bot.models import Answer

GIST_SIZE = 6


def asks_gist(kb: Knowledge, q: Question) -> bool:
    """The question names an article and asks what it argues, with no topic of its own: every
    word left is one asking for a text's gist or naming the article (outlet, author)."""
    if not q.sources or q.about or q.phrase or not q.terms:
        return False
    if q.command not in ("free", "brief", "actor"):  # "/actor the Diplomat": its article
        return False
    if q.expects not in ("topic", "actor", "speech") or q.speaker in q.about:
        return False
    return names_only_sources(kb, q)


def compares_gists(kb: Knowledge, q: Question) -> bool:
    """Two or more named articles, their authors or people they quote compared with no topic
    of their own ("Hansen vs Khamidov", "do Arab News and Caspian-Alpine disagree?", "do
    Hansen and Anceschi agree?"): what each argues, or says."""
    return (
        q.expects == "compare"
        and len(q.sources) + len(q.about) > 1
        and not q.phrase
        and all(kb.stats[a].quotes for a in q.about)
        and names_only_sources(kb, q, _gist_asking())
    )


def names_only_sources(
    kb: Knowledge, q: Question, asking: frozenset[str] | None = None, titles: bool = False
) -> bool:
    """Whether every word of the question names one of its articles (outlet, author; with
    `titles`, its title too: "the Diplomat article on the strained security architecture") or
    asks (`asking`; by default for what a text argues or how someone put it): no topic of its
    own."""
    naming = {t for f in q.sources for t in _record_terms(kb, f)}
    for f in q.sources:  # "a summary of Shifting Sands": the title names the article
        title = kb.sources[f].title
        if titles or f in q.titled:
            naming |= set(terms(title))
    asking = _asking() if asking is None else asking
    return all(t in naming or t in asking for t in q.terms)


def asks_record(kb: Knowledge, q: Question) -> bool:
    """The question names an article and asks only where or when it was published, or by
    whom ("when was the Hansen article published", "which outlet ran the LMC piece"): its
    record answers, not its text."""
    if not q.sources or q.about or q.phrase or q.command != "free":
        return False
    return any(t in _publishing() for t in q.terms) and names_only_sources(
        kb, q, _publishing() | _gist_asking(), titles=True
    )


def asks_author(kb: Knowledge, q: Question) -> bool:
    """The question names an article and asks only who wrote it, and perhaps what they argue
    ("who is the Arab News columnist", "who wrote the Diplomat piece and what did he argue");
    what it says the article is about only tells which article ("the Arab News column on
    neutrality")."""
    if not q.sources or q.command != "free" or (q.phrase and not _titled(kb, q)):
        return False
    described = _TEXT_ON.search(q.text)
    if described:  # the question without its description of the article
        lo, hi = described.span(1)
        if any(not (lo <= f.start < hi) for f in q.found if f.actor in q.about):
            return False
        rest = q.text[:lo] + q.text[hi:]
        q = replace(q, text=rest, terms=tuple(t for t in q.terms if t in terms(rest)), about=())
    if q.about:
        return False
    # "For a note: who wrote ...", "who wrote The Alliance: A Path to Stability?" (a colon
    # of the title's); or a word for its writer asks ("author of the LMC essay?")
    if not any(c.lower().startswith("who") for c in (last_clause(q.text), q.text)) and not any(
        stem(w) in _writing() for w in words(q.text)
    ):
        return False
    # "who is the Arab News columnist and what does he argue": the profile gives both
    return names_only_sources(kb, q, _authoring() | _asking(), titles=True)


def _titled(kb: Knowledge, q: Question) -> bool:
    """Whether the words the question puts in quotation marks are of a named article's title
    ('the "strained security architecture" piece'): they name it, no phrase to find."""
    said = set(words(q.phrase or ""))
    return any(said <= set(words(kb.sources[f].title)) for f in q.sources)


# "the Arab News column on neutrality": the words after a kind of text and "on",
# "about", up to the end of the clause, say which article is meant
_TEXT_ON = re.compile(
    rf"\b(?:{'|'.join(sorted(WORDS.text_kinds))})\s+((?:on|about|regarding|concerning)\b[^?.,;:]*)",
    re.IGNORECASE,
)


def asks_role(q: Question) -> bool:
    """The question names authors or outlets alone and asks only what they do ("what is X's
    job", "X affiliation", "where does X work"), or nothing more ("who is X"): the byline's
    role line answers, not the text of their article."""
    return bool(q.actors) and not q.about and all(t in _roles() for t in q.terms)


def author_answer(kb: Knowledge, q: Question) -> Answer:
    """The author's profile, where the fact base knows the byline as a person; else the
    byline as the source record gives it, over the article's key sentences."""
    for f in q.sources:
        for found in kb.resolver.exact(kb.sources[f].author):
            if _bylined(kb, found.actor):
                return actor_answer(kb, q, found.actor)
    result = gist_answer(kb, q)
    result.notes.insert(0, messages.bylines([kb.sources[f] for f in q.sources]))
    return result


def _bylined(kb: Knowledge, actor: str) -> bool:
    """A person, or a house byline the article prints ("Caspian - Alpine Team"): its profile
    shows who wrote the piece. An outlet named only as the publisher ("RFE/RL (byline not
    verified)") is not shown as the writer."""
    a = kb.actors[actor]
    return a.kind == "person" or any(byline(kb, actor, e.text) for e in a.evidence)


def byline(kb: Knowledge, actor: str, text: str) -> bool:
    """Whether the text only names the actor ("By Saadi Khamidov", "Caspian - Alpine Team"):
    a byline, which says who wrote a piece and nothing of what they do."""
    a = kb.actors[actor]
    names = {w for n in (a.name, *a.aliases) for w in words(n)}
    return all(w in names or w in STOPWORDS for w in words(text))


def gist_answer(kb: Knowledge, q: Question) -> Answer:
    """The named articles' key sentences, the most telling first, taking turns."""
    per_source = [key_sentences(kb, f) for f in q.sources]
    ids = [sid for sid in chain(*zip_longest(*per_source)) if sid is not None][:GIST_SIZE]
    passages = [passage(kb, sid) for sid in ids]
    files = [p.source for p in passages]
    return Answer(
        kind="brief",
        query=q.text,
        heading=f"Briefing: {q.text}",
        actor=ref(kb, q.actors[0]) if len(q.actors) == 1 else None,
        bottom_line=bottom_line(kb, files),
        passages=passages,
        age=age(kb, files),
    )


@cache
def _asking() -> frozenset[str]:
    """Stems of the words asking for what a text argues or how someone put it."""
    lists = (
        WORDS.gist_words,
        WORDS.speech_verbs,
        WORDS.speech_nouns,
        WORDS.question_words,
        WORDS.answer_forms,  # "..., as a bullet for my slide": how to give it
        WORDS.own_documents,
    )
    return frozenset(t for w in chain(*lists) for t in terms(w))


@cache
def _gist_asking() -> frozenset[str]:
    """Stems of the words asking for what a text argues, not for anyone's words ("who
    criticised it" has a topic: criticism)."""
    return frozenset(t for w in (*WORDS.gist_words, *WORDS.question_words) for t in terms(w))


@cache
def _publishing() -> frozenset[str]:
    """Stems of the words asking where, when or by whom a text was published."""
    return frozenset(t for w in WORDS.record_words for t in terms(w))


@cache
def _writing() -> frozenset[str]:
    """Stems of the words for a text's writer ("author", "byline", "wrote")."""
    return frozenset(t for w in WORDS.author_words for t in terms(w))


@cache
def _roles() -> frozenset[str]:
    """Stems of the words asking what someone does for a living."""
    return frozenset(t for w in WORDS.role_words for t in terms(w))


@cache
def _authoring() -> frozenset[str]:
    """Stems of the words asking who wrote a text, or what they do."""
    said = (*WORDS.author_words, *WORDS.role_words, *WORDS.question_words)
    return frozenset(t for w in said for t in terms(w))


def _record_terms(kb: Knowledge, file: str) -> set[str]:
    """Words naming an article outside its text: outlet, original outlet, aliases, author."""
    s = kb.sources[file]
    names = (s.outlet, s.original_outlet or "", s.author, *s.aliases)
    return {t for name in names for t in terms(name)}
