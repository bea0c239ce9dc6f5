"""Does a passage answer the question? Checks for the entities it names and the answer type.

These checks decide between "answered" and "not directly answered"; scores only rank.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

from bot.core.knowledge import Knowledge
from bot.core.passages import context
from bot.core.question import TOWN_ASKED, Paired, Question, mend
from bot.core.text import STOPWORDS, key_actor, stem, terms, words
from bot.lexicon import WORDS
from bot.models import Event


def _numerals(low: int, high: int) -> str:
    """The numbers from `low` to `high` written as words (lexicon numerals), as alternatives."""
    return "|".join(w for w, n in WORDS.numerals.items() if low <= n <= high)


# A count or amount, not a year: "230 dead", "$4 billion", "7,000 troops", "dozens".
_QUANTITY = re.compile(
    r"(?<![\w-])(?!(?:19|20)\d\d\b)\$?\d[\d,.]*%?(?![\w-])|"
    rf"\b(?:hundreds?|thousands?|millions?|billions?|dozens?|{_numerals(2, 99)}|"
    r"half|several|few)\b",
    re.I,
)
_SMALL = re.compile(rf"{_numerals(2, 12)}|half|several|few", re.I)
_AMOUNT = re.compile(r"[$€£]\s?\d|\d\s?%|\b\d[\d,.]*\s(?:million|billion|trillion|percent)\b")
# Months as the articles write them, capitalised ("may" is a verb too; case-blind matching of
# every month at every position would cost more than the rest of a count check).
_MONTHS = "|".join(sorted((m.capitalize() for m in WORDS.months), key=len, reverse=True))
# Numbers that count no people or things: a sum of money or a share ("$5 billion", "12%"),
# a day of a month ("February 24", "8 August").
_NOT_COUNTS = re.compile(
    r"[$€£]\s?\d[\d,.]*(?:\s?(?:million|billion|trillion|bn)\b)?|\d[\d,.]*\s?(?:%|percent\b)|"
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b"
)
_DIGIT = re.compile(r"\d")
_DIGIT_GROUPS = re.compile(r"\b\d{1,3}(?:[,\u00a0\u202f ]\d{3})+\b")  # "6,500", "7 000"
_TOKEN = re.compile(r"[\w’'-]+")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")  # "Russia's 201st military base": its name
_NUMBER_WORDS = rf"(?:\d+|a|an|{_numerals(1, 10)}|several|few|many)"
# How long: a number of units ("about 150 years", "a month after"), a span ("since 1991"), a
# time after or before ("weeks later", "shortly after"), a length ("6,500-kilometer"); not
# "after" or "before" alone, which nearly every passage has.
_DURATION = re.compile(
    rf"\b{_NUMBER_WORDS}[\s-]+(?:{'|'.join(sorted(WORDS.duration_units))})\b|"
    rf"\b(?:for|over|within|after|since)\s+(?:the\s+)?(?:past\s+|last\s+)?"
    rf"(?:{'|'.join(sorted(WORDS.duration_units))})\b|\bsince\s+(?:19|20)\d\d\b|"
    rf"\b(?:{'|'.join(sorted(WORDS.duration_units))})\s+(?:later|earlier|after|before|ago)\b|"
    r"\b(?:shortly|soon|immediately|right|just)\s+(?:after|before)\b|"
    rf"\d[\d,.]*[\s-]*(?:{'|'.join(sorted(WORDS.length_units))})\b",
    re.I,
)
_LENGTH = re.compile(rf"\d[\d,.]*[\s-]*(?:{'|'.join(sorted(WORDS.length_units))})\b", re.I)
_NOUN_PHRASE_WORDS = {"the", "of", "between", "and"}  # words within "the border between A and B"
_LENGTH_TERMS = {stem(u) for u in WORDS.length_units}
_DATE = re.compile(
    r"\b(?:1[89]|20)\d\d(?:s)?\b|\b(?:"
    + "|".join(name for name in WORDS.months if len(name) > 3)
    + r")\b",
    re.I,
)
# A place: a name after "in", "at", "near", "from", "to" or "during" ("in Astana", "at the
# Shanghai Cooperation Organization Summit", "during the 2022 St. Petersburg Economic
# Forum"). A name with "the" before it and a noun after it is used as an adjective ("in the
# Eurasian space", "in the Ukraine war"), no place.
_PLACE = re.compile(
    r"\b(?:in|at|near|from|to|during)\s+(?P<the>the\s+)?(?:(?:19|20)\d\d\s+)?"
    r"(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)(?:\s+(?P<next>[a-z][\w’'-]*))?"
)
_REASON = re.compile(
    r"\b(?:" + "|".join(re.escape(m) for m in sorted(WORDS.causal_markers)) + r")\b", re.I
)
_EVENTS = WORDS.events
_REACTION = {stem(w) for w in WORDS.reaction_words}
_STANCE = {stem(w) for w in (*WORDS.stance_for, *WORDS.stance_against, *WORDS.reaction_words)}
_REACTION_WORD = re.compile(rf"\b(?:{'|'.join(sorted(WORDS.reaction_words))})\b", re.I)
REACTOR_GAP = 2  # words between a person's name and their reaction ("Pashinian himself respond")
_PLANS = {stem(w) for w in WORDS.stance_objects}
_ORDINAL_TERMS = {stem(w) for w in WORDS.ordinals}
ENUMERATED_FROM = 3  # names of the kind in a sentence before their order is read
_JOINED = re.compile(r"\s*(?:,|,?\s*and|&)\s*")  # between two items of a list
UNNAMED_KINDS = {"organisation"}  # actors a passage often names in words no alias covers
REASONS_KEPT = 8192  # sentences whose causal connectives states_reason keeps
READINGS_KEPT = 8192  # texts whose ordinals, and questions whose kinds of event, are kept
QUANTITY_NEAR = 4  # words between a number and the thing it counts
ENUMERATED = 2  # semicolons after the counted word that make its sentence a list of items
TITLE_CHARS = 80  # characters either side of a name where its title stands
NAME_NEAR = 2  # words between a proper name and what it names ("the Kant air base")
SUFFIX = 2  # letters a word may add to a side's name ("asia": "asian")
PAIRED_CHECKED = ("place", "count", "date")  # asking one fact of what a dash compound names
ORDINAL_REACH = 2  # words after an ordinal that it may qualify ("sixth consultative meeting")
# in a question, what the ordinal qualifies may follow a long name ("the first Gulf
# Cooperation Council–Central Asia summit")
ASKED_REACH = 7
SIDES = 2  # actors a comparison sets side by side; any more are what both sides share


def window(kb: Knowledge, sid: int) -> list[int]:
    """The sentences a passage's evidence may come from: the one matched and its context."""
    first, last = context(kb, sid)
    return list(range(first, last + 1))


def supports(kb: Knowledge, q: Question, sid: int) -> bool:
    """Whether the passage around sentence `sid` has what the question asks for."""
    ids = window(kb, sid)
    pid = kb.paragraph_of[sid]
    here = _with_wholes(kb, {a for i in ids for a in kb.actors_in[i]})
    around = _with_wholes(kb, kb.named_in_paragraph(pid))
    required = set(q.about) - set(q.either) - set(q.later)
    if q.expects != "compare" and _REACTION & set(q.terms) and not _reacting(kb, required, pid, q):
        return False  # "how did X react": X unnamed, or listed among others, is silent
    if q.owners and any(kb.sentence_index.contains(t, i) for t in _PLANS for i in ids):
        required -= set(q.owners)  # "Kazakhstan's proposal": "the proposal" is theirs
    if q.either and not set(q.either) & (here | around):
        return False  # "was it Kirsanov or Mardan who ...": one of them, at least
    if q.sequence and len(required) > 1:
        # "timeline: X's column, Y's article": the dates of many events, each of its own
        if not required & (here | around):
            return False
    elif required and not _named(required, here, around):
        return False
    if q.expects == "count" and any(
        kb.actors[a].kind not in UNNAMED_KINDS for a in required - around
    ):
        # "how many followers does X have": a count of someone the paragraph never names is
        # someone else's count; only a bloc often goes unnamed ("the five states")
        return False
    if not _numbered_named(kb, q, pid):
        return False
    if q.expects in PAIRED_CHECKED and not all(
        _pair_named(kb, p, q.terms, ids, pid) for p in q.paired
    ):
        return False
    if other_in_series(q.text, (kb.fb.sentences[i].text for i in ids)):  # read if asked
        return False
    if _unused_place(kb, q.text):  # "the fifth meeting", where no article counts to five
        return False
    check = _TYPE_CHECKS.get(q.expects)
    contains = kb.paragraph_index.contains
    topical = not q.terms or any(contains(t, pid) for t in q.terms) or _topical_before(kb, q, pid)
    if check is None:
        # A topic word in its scope, unless the passage itself names every actor (in a
        # comparison of two sides with a third, "Armenia vs Kazakhstan: how did the CSTO
        # respond", every actor but the other side)
        sides = q.expects == "compare" and len(required) > SIDES
        return topical or (bool(required) and len(required - here) <= sides)
    if not required and not topical:
        return False
    return check(kb, q, " ".join(kb.fb.sentences[i].text for i in ids), ids)


def _with_wholes(kb: Knowledge, named: AbstractSet[str]) -> AbstractSet[str]:
    """The actors named, with those a named part belongs to (the U.N. General Assembly's
    United Nations)."""
    wholes = kb.stands_for
    extra = {w for a in named if a in wholes for w in wholes[a]}
    return named | extra if extra else named


def _reacting(kb: Knowledge, required: set[str], pid: int, q: Question) -> bool:
    """Whether the paragraph names each actor asked about other than as one item of a list
    (a bloc may go unnamed: "the region's states"), and has each person asked how they
    reacted ("how did X respond", "X's reaction") speak or take a side there: a
    paragraph naming them beside someone else's reaction is not theirs."""
    named = kb.named_in_paragraph(pid) - only_listed(kb, kb.sentences_in[pid])
    if not all(a in named or kb.actors[a].kind in UNNAMED_KINDS for a in required):
        return False
    return all(_responds(kb, a, pid) for a in _reactors(kb, q) & required)


@lru_cache(maxsize=READINGS_KEPT)
def _reactors(kb: Knowledge, q: Question) -> frozenset[str]:
    """The people whose reaction is asked for: named at most REACTOR_GAP words before the
    first word for a reaction ("how did X respond to Y's plan": X, not the plan's author
    Y). Read once per question."""
    m = _REACTION_WORD.search(q.text)
    if m is None:
        return frozenset()
    return frozenset(
        f.actor
        for f in q.found
        if f.end <= m.start()
        and kb.actors[f.actor].kind == "person"
        and len(words(q.text[f.end : m.start()])) <= REACTOR_GAP
    )


def _responds(kb: Knowledge, actor: str, pid: int) -> bool:
    """Whether the paragraph quotes the actor (or one who speaks for them), reports their
    words, or names them in a sentence with a word taking a side or reacting."""
    voices = set(kb.spoken_of(actor))
    reported = {i for v in voices for i in kb.reported.get(v, ())}
    return any(
        kb.speaker_at(i) in voices
        or i in reported
        or (
            voices & kb.actors_in[i] and _STANCE & {stem(w) for w in _said(kb.fb.sentences[i].text)}
        )
        for i in kb.sentences_in[pid]
    )


def only_listed(kb: Knowledge, ids: Sequence[int]) -> frozenset[str]:
    """Actors the sentences name only as items of a list of three or more ("the C5 --
    Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan"): named, but nothing
    said of any one of them."""
    listed: set[str] = set()
    alone: set[str] = set()
    for sid in ids:
        if len(kb.actors_in[sid]) < ENUMERATED_FROM:  # too few names for a list
            alone.update(kb.actors_in[sid])
            continue
        for run in _runs(kb, sid):
            (listed if len(run) >= ENUMERATED_FROM else alone).update(run)
    return frozenset(listed - alone)


def _topical_before(kb: Knowledge, q: Question, pid: int) -> bool:
    """Whether a topic word of the question is in the paragraph before, when this one is a
    single sentence: a news report's paragraphs often are, and go on with the subject of the
    one before ("But Mardan told his followers ...")."""
    contains = kb.paragraph_index.contains
    first = kb.sentences_in[pid]
    if pid == 0 or len(first) > 1:
        return False
    before = kb.sentences_in[pid - 1]
    if kb.source_of[before[0]] != kb.source_of[first[0]]:
        return False
    return any(contains(t, pid - 1) for t in q.terms)


def _pair_named(
    kb: Knowledge, pair: Paired, terms: Sequence[str], ids: Sequence[int], pid: int
) -> bool:
    """Whether a sentence of the passage holds what a dash compound qualifies, or another
    word of the question, and names both its sides, or neither when its paragraph names both
    ("the two countries"): a summit of China's with others is no "China–Central Asia
    summit"."""
    contains = kb.sentence_index.contains
    in_paragraph = kb.paragraph_index.contains
    sides = [side for side in (pair.first, pair.second) if not _unnamed(kb, side)]
    named_here = {k for side in (pair.first, pair.second) for k in side}
    topic = {*pair.heads, *(t for t in terms if t not in named_here and t not in WORDS.months)}
    for i in ids:
        if not any(contains(t, i) for t in topic):
            continue
        named = [all(_holds(kb, k, i) for k in side) for side in sides]
        if all(named) or (
            not any(named) and all(in_paragraph(k, pid) for side in sides for k in side)
        ):
            return True
    return False


def _unnamed(kb: Knowledge, side: tuple[str, ...]) -> bool:
    """Whether a side is a bloc, which passages often name in words no alias covers ("Central
    Asia and GCC ties" for the C5's)."""
    actor = key_actor(side[0])
    return actor is not None and kb.actors[actor].kind in UNNAMED_KINDS


def _holds(kb: Knowledge, key: str, sid: int) -> bool:
    """Whether the sentence holds an index key, or a word extending it ("asia": "asian")."""
    contains = kb.sentence_index.contains
    return contains(key, sid) or (
        key_actor(key) is None
        and any(contains(v, sid) for v in kb.terms_from(key) if len(v) - len(key) <= SUFFIX)
    )


def _numbered_named(kb: Knowledge, q: Question, pid: int) -> bool:
    """Whether the paragraph names every name with a number the question asks about and the
    articles use ("Birlestik-2024"): troops counted at another exercise don't answer."""
    for name in q.numbered:
        parts = terms(name)
        if all(p in kb.sentence_index.idf for p in parts) and not all(
            kb.paragraph_index.contains(p, pid) for p in parts
        ):
            return False
    return True


def other_in_series(question: str, passage: Iterable[str]) -> bool:
    """Whether the passage's sentences speak of another one of a series than the question
    ("the seventh meeting" against "the sixth meeting", "their first summit" against "their
    next summit") and never of the one asked: that one's place or date is not given."""
    asked = _in_series(question, ASKED_REACH)
    if not asked:
        return False
    other = same = False
    for sentence in passage:
        for place, things in _in_series(sentence):
            for want, named in asked:
                if things & named:
                    same = same or _same_place(place, want)
                    other = other or not _same_place(place, want)
    return other and not same


def _unused_place(kb: Knowledge, question: str) -> bool:
    """Whether the question asks for one of a series by a place no article uses ("the
    fifth meeting", "the seventh summit"): the articles speak of others of it, if any, and
    nothing they say of one unnumbered is said of that one."""
    said = words(question)
    return any(
        w in WORDS.ordinals
        and WORDS.ordinals[w] > 1
        and stem(w) not in kb.sentence_index.idf
        and said[n + 1 : n + 2]
        and said[n + 1] not in STOPWORDS
        for n, w in enumerate(said)
    )


@lru_cache(maxsize=READINGS_KEPT)
def _in_series(text: str, reach: int = ORDINAL_REACH) -> tuple[tuple[int, frozenset[str]], ...]:
    """Each ordinal of the text with the stems of up to `reach` words after it, up to a
    function word ("sixth consultative meeting": 6, {consult, meet})."""
    said = words(text)
    out = []
    for n, w in enumerate(said):
        if w in WORDS.ordinals:
            after = list(itertools.takewhile(lambda x: x not in STOPWORDS, said[n + 1 :]))
            out.append((WORDS.ordinals[w], frozenset(stem(x) for x in after[:reach])))
    return tuple(out)


def _same_place(one: int, other: int) -> bool:
    """Whether two places in a series may be the same: equal, or "next" (0) and any but the
    first."""
    if one == other:
        return True
    return (one == 0 and other != 1) or (other == 0 and one != 1)


def gives_reason(kb: Knowledge, sid: int) -> bool:
    """Whether the passage around sentence `sid` states a reason: a causal connective
    ("because", "due to", "as a result"), what a "why" question looks for."""
    return any(states_reason(kb.fb.sentences[i].text) for i in window(kb, sid))


@lru_cache(maxsize=REASONS_KEPT)
def states_reason(text: str) -> bool:
    """Whether a sentence holds a causal connective; kept per sentence, as the search over
    every connective costs more than the rest of a "why" answer."""
    return _REASON.search(text) is not None


def _named(required: set[str], here: AbstractSet[str], around: AbstractSet[str]) -> bool:
    """The actors asked about: all in the paragraph (a sentence often names them once and
    goes on with "some countries", "the two"), or all but one in the passage (the other often
    stands in a phrase no alias covers: "his proposal")."""
    if required <= around:
        return True
    return len(required) >= 2 and len(required - here) <= 1


def _count(kb: Knowledge, q: Question, text: str, ids: Sequence[int]) -> bool:
    if q.amount or q.figure:  # a sum is someone's: only the sentences naming whose it is
        ids = [i for i in ids if _whose(kb, q, i)]
        text = " ".join(kb.fb.sentences[i].text for i in ids)
    if (q.amount or q.figure) and any(sum_on_topic(kb, q, i) for i in ids):
        return True
    if q.amount and not q.counted:
        return False  # "how much does X spend": a sum, not "the two countries"
    kind = q.counted_kind
    if kind and _naming(kb, q, ids, {kind}) >= 2:
        return True  # "how many countries took part": the passage names them, one by one
    counts = q.amount or not _DIGIT.search(text)  # nothing to take out
    tokens = words(_whole_numbers(text if counts else _NOT_COUNTS.sub(" ", text)))
    numbers = [i for i, w in enumerate(tokens) if _QUANTITY.fullmatch(w)]
    asked = {q.counted or "", *q.terms} - {""}
    if any(enumerates(kb.fb.sentences[i].text, asked) for i in ids):
        return True  # "the challenges are A; B; and C": counted by listing them
    if not numbers:
        return False
    if q.counted_event and (not q.counted or q.counted in STOPWORDS):
        # "how many people were arrested": a number beside "arrested"; for "killed" or "lost
        # their lives", beside any word a toll is given in ("230 dead")
        written = set(words(q.text))  # "lives", not its stem "live" ("how many live in X")
        told = {q.counted_event} | {
            stem(w) for said in WORDS.counted_by.values() if written & said for w in said
        }
        near = [i for i, w in enumerate(tokens) if stem(w) in told]
        return any(abs(n - c) <= QUANTITY_NEAR for n in numbers for c in near)
    if not q.counted or q.counted in STOPWORDS:
        # "how many people": any amount of the topic asked about in figures or in hundreds;
        # not a small number in words ("the latter two", "two details": countries, things)
        # nor a time or a length ("a 30-year history")
        # "how many of the C5 ...": "four of the five states", a part of a whole, small or not
        part = re.search(r"\bhow many of\b", q.text.lower()) is not None
        return any(
            (not _SMALL.fullmatch(tokens[n]) or (part and tokens[n + 1 : n + 2] == ["of"]))
            and not _measures(tokens, n)
            for n in numbers
        )
    said_as = WORDS.counted_by.get(q.counted_as, frozenset())  # "death toll": "230 dead"
    near = [i for i, w in enumerate(tokens) if stem(w) == q.counted or w in said_as]
    if q.counted_head:  # "how many central asian migrants": migrants, not any central thing
        heads = [i for i, w in enumerate(tokens) if stem(w) == q.counted_head]
        near = [c for c in near if any(abs(c - h) <= QUANTITY_NEAR for h in heads)]
    return any(abs(n - c) <= QUANTITY_NEAR for n in numbers for c in near)


def _whole_numbers(text: str) -> str:
    """The text with each number's digit groups joined ("6,500", "7 000": "6500", "7000"),
    so that a word split at the separator ("6", then "500 kilometers") is no count."""
    return _DIGIT_GROUPS.sub(lambda m: re.sub(r"\D", "", m.group()), text)


def sum_on_topic(kb: Knowledge, q: Question, sid: int) -> bool:
    """A sum ($, %, billions) in a sentence naming a topic word of the question: "how much did
    X save by Y" is not answered by a trade figure in the sentence before, nor "X's defence
    budget in 2023" by a trade figure of 2023."""
    topic = [t for t in q.terms if not t.isdigit()]  # a year is when, not what
    on = not topic or any(kb.sentence_index.contains(t, sid) for t in topic)
    return on and _AMOUNT.search(kb.fb.sentences[sid].text) is not None


def measures_asked(q: Question) -> list[str]:
    """The words of the question that name a measure ("spending", "budget", "population"):
    what only a figure answers, whatever else the passage says of the topic."""
    return [w for w in words(q.text) if w in WORDS.measure_nouns]


def _whose(kb: Knowledge, q: Question, sid: int) -> bool:
    """Whether the states and people asked about are named in the sentence, or the one before
    it when it refers back ("It invested ..."): "how much has China invested" is not answered
    by the US's investment in a paragraph that names China elsewhere."""
    named = set(kb.actors_in[sid])
    if sid > 0 and kb.paragraph_of[sid - 1] == kb.paragraph_of[sid] and kb.back[sid]:
        named |= kb.actors_in[sid - 1]
    return all(a in named for a in q.about if kb.actors[a].kind not in UNNAMED_KINDS)


def _measures(tokens: Sequence[str], n: int) -> bool:
    """Whether the number at `n` measures time or length ("30-year", "6,500-kilometer")."""
    unit = tokens[n + 1] if n + 1 < len(tokens) else ""
    return unit in WORDS.duration_units or unit in WORDS.length_units


def enumerates(sentence: str, asked: set[str]) -> bool:
    """Whether the sentence lists items separated by semicolons after naming a word the
    question asks about ("the challenges are A; B; and C"): a count given by enumeration."""
    head, _, rest = sentence.partition(";")
    return rest.count(";") >= ENUMERATED - 1 and any(stem(w) in asked for w in words(head))


def _duration(kb: Knowledge, q: Question, text: str, ids: Sequence[int]) -> bool:
    """How long: a length when the question names its unit ("in kilometres": not "a 30-year
    history"), else a time or a length."""
    if set(q.terms) & _LENGTH_TERMS or _asks_length(q.text):
        return _LENGTH.search(text) is not None
    return says_how_long(text)


def _asks_length(text: str) -> bool:
    """ "How long is the border", a thing's length: "how long" and a verb "to be" followed by
    a noun phrase alone (no verb, no "under" or "since" making it a time: "how long were they
    under Soviet rule")."""
    m = re.match(r"how long (?:is|are|was|were) (.+)$", " ".join(words(text)))
    return m is not None and all(
        w not in STOPWORDS or w in _NOUN_PHRASE_WORDS for w in m.group(1).split()
    )


def says_how_long(text: str) -> bool:
    return _DURATION.search(text) is not None


def _date(kb: Knowledge, q: Question, text: str, ids: Sequence[int]) -> bool:
    """A date in a sentence of the passage that names what the question is about. An event
    dated by its name alone ("the Shanghai Cooperation Organization Summit in Astana", its
    date worked out from another sentence) answers only a question about that event: one
    naming a word of its name beyond the actors ("summit"), not "when was the SCO founded"."""
    if not q.sequence and not _states_event(kb, q, kb.paragraph_of[ids[0]]):
        return False
    for i in ids:
        on = not q.terms or any(kb.sentence_index.contains(t, i) for t in q.terms)
        named = not q.about or bool(set(q.about) & kb.actors_in[i])
        if not (on or named):
            continue
        if q.day:  # "on what date": a day, not the month or year of it
            if any(e.precision == "day" and _dated_for(q, e) for e in kb.dated_in.get(i, [])):
                return True
            continue
        if _dates(kb.fb.sentences[i].text):
            return True
        if any(_dated_for(q, e) for e in kb.dated_in.get(i, [])):  # read only when needed
            return True
    return False


def states_event(kb: Knowledge, q: Question, sid: int) -> bool:
    """Whether the paragraph of sentence `sid` states an event of the kind the question
    names, by the actors asked about (True when it names no kind of event)."""
    return _states_event(kb, q, kb.paragraph_of[sid])


def _states_event(kb: Knowledge, q: Question, pid: int) -> bool:
    """For a question naming a kind of event ("when did X join Y", "when was the deal
    signed"): whether a sentence of the paragraph states an event of that kind by every
    actor asked about that is no organisation (often "the alliance", "it"). A date beside
    other events of those actors (an exercise, a founding) is not the date of this one.
    True when the question names no such event."""
    kinds = _events_named(q.text)
    if not kinds:
        return True
    actors = {a for a in q.about if kb.actors[a].kind not in UNNAMED_KINDS}
    for i in kb.sentences_in[pid]:
        if actors <= kb.actors_in[i]:
            said = _said(kb.fb.sentences[i].text)
            if all(said & kind for kind in kinds):
                return True
    return False


@lru_cache(maxsize=READINGS_KEPT)
def _dates(text: str) -> bool:
    """Whether a sentence holds a date, read once: every "when" question checks the same
    sentences, and the search over every month's name costs more than the rest."""
    return _DATE.search(text) is not None


@lru_cache(maxsize=READINGS_KEPT)
def _said(text: str) -> frozenset[str]:
    """A sentence's words, read once: the same paragraphs are read for every candidate."""
    return frozenset(words(text))


@lru_cache(maxsize=READINGS_KEPT)
def _events_named(question: str) -> tuple[frozenset[str], ...]:
    """The kinds of event (event_kinds) a question names a word of: read once per question,
    not for every candidate checked."""
    asked = set(words(question))
    return tuple(kind for kind in _EVENTS if asked & kind)


def _dated_for(q: Question, event: Event) -> bool:
    """Whether the event's date answers the question: a date written out or relative ("last
    week"), or an event by name the question asks about by a word of that name."""
    if event.relative or _DATE.search(event.expression):
        return True
    return bool(set(terms(event.expression)) & set(q.terms))


def place_named(kb: Knowledge, q: Question, text: str, ids: Sequence[int] = ()) -> bool:
    """A place named in the passage that is no month ("in May"). One the question names itself
    still counts: "in the CSTO's 'Rubezh-2021' exercise, Edelweiss training area, Balykchi"
    names its place with no preposition. The place stands in a sentence naming a topic word of
    the question ("the two blocs prepare for their next summit in Samarkand"): a place in
    the sentence after ("investments in Kazakhstan") is where something else happened."""
    # "in May": a date, no topic; "first", "next": a place in a series, qualifying the topic
    topic = {t for t in q.terms if t not in WORDS.months and t not in _ORDINAL_TERMS}
    town = TOWN_ASKED.search(q.text.lower()) is not None
    if ids and topic:
        return any(_places(kb, kb.fb.sentences[i].text, topic, town) for i in ids)
    return _places(kb, text, set(), town)


def _places(kb: Knowledge, text: str, topic: set[str], town: bool = False) -> bool:
    """Whether the text names a place that is no month, beside a topic word (any, when
    `topic` is empty) that is no word of the place's own name ("in Central Asia"); when a
    town is asked for, no state ("in Tajikistan" answers no "which Kyrgyz town")."""
    said = {stem(w) for w in words(text)}
    for m in _PLACE.finditer(text):
        if m.group("the") and m.group("next") and m.group("next") not in STOPWORDS:
            continue
        named = words(m.group("name"))
        if not named or named[0] in WORDS.months:
            continue
        if town and any(kb.actors[f.actor].kind == "state" for f in kb.resolver.exact(m["name"])):
            continue
        if not topic or topic & (said - {stem(w) for w in named}):
            return True
    return False


def _list(kb: Knowledge, q: Question, text: str, ids: Sequence[int]) -> bool:
    return listed(kb, q, ids) >= 2


def enumerated(kb: Knowledge, q: Question, sid: int) -> int:
    """The longest run of actors of the kinds asked for that the sentence lists one after
    another ("consists of Russia, Belarus, Kazakhstan, Kyrgyzstan, Armenia, and Tajikistan"),
    joined by nothing but commas and "and": a list, where naming many in turn is not."""
    kinds = set(q.listed) or {"state", "group", "organisation", "person"}
    named = sum(kb.actors[a].kind in kinds for a in kb.actors_in[sid])
    if named < ENUMERATED_FROM:  # no run longer than the names there are
        return named
    return max((len(run) for run in _runs(kb, sid, kinds)), default=0)


def _runs(kb: Knowledge, sid: int, kinds: AbstractSet[str] | None = None) -> list[list[str]]:
    """The actors (of these kinds) the sentence names, in runs joined by nothing but commas
    and "and": "Russia, Belarus, Kazakhstan and Armenia" is one run of four."""
    text = kb.fb.sentences[sid].text
    found = [f for f in kb.names_at(sid) if kinds is None or kb.actors[f.actor].kind in kinds]
    runs: list[list[str]] = []
    for i, f in enumerate(found):
        if i and _JOINED.fullmatch(text[found[i - 1].end : f.start]) is not None:
            runs[-1].append(f.actor)
        else:
            runs.append([f.actor])
    return runs


def listed(kb: Knowledge, q: Question, ids: Sequence[int]) -> int:
    """How many actors of the kind a list question asks for the sentences name, beyond those
    it names itself."""
    return _naming(kb, q, ids, set(q.listed) or {"state", "group", "organisation", "person"})


def _naming(kb: Knowledge, q: Question, ids: Sequence[int], kinds: set[str]) -> int:
    """How many actors of these kinds the sentences name, beyond those the question names."""
    named = {a for i in ids for a in kb.actors_in[i] if kb.actors[a].kind in kinds}
    return len(named - set(q.actors))


def _person(kb: Knowledge, q: Question, text: str, ids: Sequence[int]) -> bool:
    """A person other than those asked about, with the role asked for and the actors it is
    of right beside the name ("Kazakh President Tokayev", "Kamilov, Uzbekistan's minister")."""
    roles = _role(q)
    title = _title(kb, q)
    holders = _holders(kb, q)
    for i in ids:
        said = kb.fb.sentences[i].text
        found = kb.resolver.exact(said)
        for f in found:
            if kb.actors[f.actor].kind != "person":
                continue
            if f.actor in holders:  # "the Uzbek leader": the fact base knows who holds it
                return True
            if f.actor in q.about:
                continue
            lo, hi = max(0, f.start - TITLE_CHARS), f.end + TITLE_CHARS
            beside = {g.actor for g in found if g.start >= lo and g.end <= hi}
            role = {stem(w) for w in words(said[lo:hi])}
            fits = title <= role if title else not roles or bool(role & roles)
            if set(q.about) <= beside and fits:
                return True
    return False


@lru_cache(maxsize=READINGS_KEPT)
def _holders(kb: Knowledge, q: Question) -> frozenset[str]:
    """People asked about by an office the question names, not by name ("who is the Uzbek
    leader"): read from the office, so a passage naming them answers; read once per
    question, not for each passage checked."""
    named = {f.actor for f in kb.resolver.exact(q.text)}
    return frozenset(a for a in q.about if kb.actors[a].kind == "person" and a not in named)


def _role(q: Question) -> set[str]:
    """The title asked for: the last word before "of" in "the president of X", "X's defence
    minister"; any content term when the question names no title ("who replaced X")."""
    head = re.split(r"\b(?:of|in|at|for|from)\b", q.subject or "")[0]
    named = [stem(w) for w in words(head) if w not in STOPWORDS]
    return {named[-1]} if named and named[-1] in q.terms else set(q.terms)


def _title(kb: Knowledge, q: Question) -> set[str]:
    """Every word of the office asked for ("defence minister", "secretary general"): beside
    the name, all of them, or a foreign minister would answer for a defence minister. Empty
    when the question names no title. Words are mended as the question's terms were
    ("defence": the articles' "defense")."""
    head = re.split(r"\b(?:of|in|at|for|from)\b", q.subject or "")[0]
    named = [stem(mend(kb, w)) for w in words(head) if w not in STOPWORDS]
    if not named or named[-1] not in q.terms:
        return set()
    return {w for w in named if w in q.terms}


def _name(kb: Knowledge, q: Question, text: str, ids: Sequence[int]) -> bool:
    """A proper name of the thing whose name is asked for, in a sentence naming whose it is
    (the name of Russia's base in Tajikistan is not that of one in Kyrgyzstan): a capitalised
    word or an ordinal within NAME_NEAR words of the thing ("the Kant air base", "Russia's
    201st military base"), one the question does not give itself and no state's ("the base
    in Tajikistan" names no base). Where a sentence does not use the word for the thing
    ("treaty": "the Doha Agreement"), a name of two words or more that is no one's we know
    and no title of someone's ("Prime Minister Nikol Pashinian")."""
    asked, given = _name_terms(kb, q)
    for i in ids:
        if not _whose(kb, q, i):
            continue
        said = [(m.start(), m.group()) for m in _TOKEN.finditer(kb.fb.sentences[i].text)]
        found = kb.names_at(i)
        known = {n for n, (at, _) in enumerate(said) for f in found if f.start <= at < f.end}
        capital = [
            n
            for n, (_, w) in enumerate(said)
            if n  # not a sentence's first word
            and (w[0].isupper() or _ORDINAL.fullmatch(w))
            and w.lower() not in WORDS.months
            and stem(w.lower()) not in given
        ]
        near = [n for n, (_, w) in enumerate(said) if stem(w.lower()) in asked]
        if near:
            where = {  # the question's own names, and states: where a thing is
                n
                for n, (at, _) in enumerate(said)
                for f in found
                if f.start <= at < f.end
                and (f.actor in q.actors or kb.actors[f.actor].kind == "state")
            }
            names = [n for n in capital if n not in where]
            if any(abs(n - c) <= NAME_NEAR for n in names for c in near):
                return True
        elif any(n + 1 in capital and {n - 1, n, n + 1, n + 2}.isdisjoint(known) for n in capital):
            return True  # two capitalised words, neither a known name nor a title beside one
    return False


@lru_cache(maxsize=READINGS_KEPT)
def _name_terms(kb: Knowledge, q: Question) -> tuple[frozenset[str], frozenset[str]]:
    """Stems of the thing a name is asked for, and of every word the question gives; read
    once per question, not for each passage checked. The thing is its noun phrase ("the name
    of the treaty signed by ...": treaty), without the names in it ("the CSTO mission")."""
    head = re.split(r"\b(?:of|in|at|for|from|that|which|who|to|and)\b", q.subject or "")[0]
    head = re.split(r"(?<=\w)\s+\w+(?:ed|ing)\b", head)[0]
    for f in kb.resolver.exact(head):
        head = head[: f.start] + " " * (f.end - f.start) + head[f.end :]
    asked = frozenset(stem(mend(kb, w)) for w in words(head) if w not in STOPWORDS)
    return asked, frozenset(stem(mend(kb, w)) for w in words(q.text))


_TYPE_CHECKS = {
    "count": _count,
    "duration": _duration,
    "date": _date,
    "place": place_named,
    "list": _list,
    "person": _person,
    "name": _name,
}
