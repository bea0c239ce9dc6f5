"""Names a question uses that the articles never do: positive evidence it is out of scope.

"What does Mongolia think about the CSTO?" shares "CSTO" with many sentences, but none of
them is about Mongolia; answering with them would pad. A capitalised word (not the first of a
sentence) that is no actor, no word of any article or source record, and no typo of one, is
such a name; so is a word with a number joined to it ("zapad-2021"), capitalised or not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.index import CAP
from bot.core.knowledge import Knowledge
from bot.core.question import Question, asking_sentence, mend
from bot.core.text import STOPWORDS, fold, terms, words
from bot.lexicon import WORDS

TITLE_STOPWORDS = 2  # capitalised small words after the first that make a title
TITLE_WORDS = 3  # or this many words, every one capitalised ("Drone Factory Output")
SMALL_FROM = 3  # letters of a small word whose slips are read as that word ("whta": "what")
# "peskov's response", "Rahmon's words": a possessive names someone, even opening a question
_POSSESSIVE = re.compile(r"(?:^|(?<=\s))(?:(\w+)\s+)?((?:^[A-Z]|[a-z])[a-z-]+)['’]s\b")
_DERIVED = re.compile(rf"(?<=\w\w\w)(?:{'|'.join(sorted(WORDS.derived_endings))})$")
_NAME_NEXT = re.compile(r"\s+[A-Z]")
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][a-z]+(?:[-'’][A-Za-z]+)*")


_NO_NAMES = STOPWORDS | WORDS.question_words | WORDS.honorifics  # capitalised, naming no one

OFFICES_KEPT = 1024  # offices whose mention in the articles is kept, per fact base
OFFICE_GAP = 2  # words between a state's name and its office ("Kyrgyz Foreign Minister")


def unknown_names(kb: Knowledge, q: Question) -> list[str]:
    """Words of the query that can only be names and name nothing the fact base knows, in
    order: capitalised ones (not opening a sentence), the speaker asked about, possessives."""
    text = q.text
    names = []
    named_to = [f.end for f in q.found]  # where a name runs to: "the Tokayev Doctrine"
    # not a note before or after it ("I covered Moscow then."); a command asks first
    asking = asking_sentence(text, q.command)
    lo = text.find(asking)
    for match in [] if _title_case(kb, text) else _CAPITALISED.finditer(text):
        if not lo <= match.start() < lo + len(asking):
            continue
        before = text[: match.start()].rstrip(" /\"'“‘(")
        if any(f.start <= match.start() < f.end for f in q.found):
            continue
        if any(
            end <= match.start() and not text[end : match.start()].strip(" -") for end in named_to
        ) and (len(named_to) == len(q.found) or not unknown_word(kb, match.group())):
            # a known name's title: "Doctrine", "Summit"; a second word only if the articles
            # use it ("the CSTO Security Academy": "Academy" is a name they never use)
            named_to.append(match.end())
            continue
        if (not before and q.command == "free") or (before and before[-1] in ".?!:;"):
            continue  # a sentence's first word is capitalised whatever it is; not a command's
        word = re.sub(r"['’]s$", "", match.group())
        if fold(word).lower() in _NO_NAMES:
            continue  # "Vs", "Compare", "Summary", "Mr": words that ask or address, no name
        if fold(word).lower() in WORDS.office_titles and _names_next(q, text, match.end()):
            continue  # "Chairman Xi": a title before the name of whoever holds it
        if not unknown_word(kb, word):
            continue
        names.append(word)
    names += _named_first(kb, q)
    said = [w for w in q.speaker_words if w not in WORDS.office_titles] or q.speaker_words
    names += [  # "what did japarov say"; a plural is a kind of people ("what did experts say");
        # "chairman mao": the name, not the title before it
        w
        for w in said
        if not w.endswith("s") and unknown_word(kb, w)
    ]
    names += [  # "peskov's response": a name, when no determiner makes it "the writer's"
        m.group(2)
        for m in _POSSESSIVE.finditer(text)
        if lo <= m.start(2) < lo + len(asking)
        and not any(f.start <= m.start(2) < f.end for f in q.found)  # "beijing's": an alias
        and (m.group(1) or "").lower() not in WORDS.determiners
        and m.group(2) not in WORDS.question_words
        and not _slip_of_a_small_word(m.group(2))
        and unknown_word(kb, m.group(2))
    ]
    named = {fold(n) for n in names}
    names += [  # "zapad-2021": a name by its form, lower case or not
        name
        for name in q.numbered
        if name.split("-")[0] not in named and unknown_word(kb, name.split("-")[0])
    ]
    first: dict[str, str] = {}  # one of each, as first written: "Nazarbayev", not "nazarbayev"
    for name in names:
        first.setdefault(fold(name).lower(), name)
    return list(first.values())


def _names_next(q: Question, text: str, at: int) -> bool:
    """Whether a name follows `at`, after spaces only: one the fact base knows, or a
    capitalised word (which is judged on its own)."""
    return _NAME_NEXT.match(text, at) is not None or any(
        f.start >= at and not text[at : f.start].strip() for f in q.found
    )


def _named_first(kb: Knowledge, q: Question) -> list[str]:
    """`/quote zakharova on X`, `/actor zakharova`: a command naming whose words or who opens with
    the name, lower case or not; one no article uses is never swapped for the next actor."""
    said = words(q.text)[:1]
    if q.command not in ("quote", "actor") or not said or said[0] in STOPWORDS:
        return []
    if any(f.start == 0 for f in q.found) or not unknown_word(kb, said[0]):
        return []
    return said


def _slip_of_a_small_word(word: str) -> bool:
    """A small word mistyped ("whta's going on"): one edit from a stopword of three letters
    or more, too short to be mended against the articles' words."""
    return _slip_of(word, STOPWORDS)


def _slip_of(word: str, known: Iterable[str]) -> bool:
    """One edit from a word of `known` of SMALL_FROM letters or more, with the same first
    letter (typos seldom change it)."""
    near = [w for w in known if len(w) >= SMALL_FROM and w[:1] == word[:1]]
    return process.extractOne(word, near, scorer=OSA.distance, score_cutoff=1) is not None


def _title_case(kb: Knowledge, text: str) -> bool:
    """Whether the question is in title case ("What Is The Future Of The CSTO", "Drone
    Factory Output", "Sanctions Loopholes"): its small words capitalised too, or every
    word, of three or more, or of two where one is a word the articles write in lower case;
    so a capital tells nothing about a name."""
    # not "201st", "c5", nor the second part of a compound ("Kyrgyz–tajik", "Regiments/divisions")
    said: list[str] = re.findall(r"(?<![\w'’–—/-])[A-Za-z][A-Za-z'’-]*(?!\w)", text)
    small = [w for w in said[1:] if w[0].isupper() and w.lower() in STOPWORDS]
    common = any(fold(w).lower() in kb.lower_words for w in said)
    every = (
        (len(said) >= TITLE_WORDS or common) and len(said) > 1 and all(w[0].isupper() for w in said)
    )
    return len(small) >= TITLE_STOPWORDS or every


def _swapped(word: str) -> set[str]:
    """The word with two neighbouring letters swapped, each way: "asai" gives "asia". Only
    swaps, for words too short to mend: "Iraq" is no typo of "Iran"."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


def unknown_word(kb: Knowledge, word: str) -> bool:
    """A word no article or source record speaks of, typos mended first. A month ("Jan"), a
    word of an outlet's name ("Arab News"), a combining form ("Sino-") or a word made from one
    the articles use ("Islamist") is known whatever the articles say."""
    if word[:1].isupper() and "-" in word:  # "Turkic-speaking", "Baku-based": a name and
        # an everyday word qualified by it; the name says whether the articles speak of it
        word = "-".join(p for n, p in enumerate(word.split("-")) if not (n and p.islower()))
    folded = fold(word).lower()
    if folded in WORDS.months or folded in kb.outlet_words:
        return False
    parts = [  # "Sino-Russian", "Euor-Atlantic"
        p
        for p in folded.split("-")
        if p not in WORDS.combining_forms
        and not ("-" in folded and _slip_of(p, WORDS.combining_forms))
    ]
    if any(_swapped(p) & kb.words for p in parts):
        return False  # "Asai": two letters swapped in a short word the articles use
    mended = terms(mend(kb, "-".join(parts)))
    base = _DERIVED.sub("", folded)  # "islamist": made from "Islam", which the articles use
    if base != folded and all(t in kb.sentence_index.idf for t in terms(base)):
        return False
    return bool(mended) and not all(
        t in kb.sentence_index.idf or t in kb.record_terms for t in mended
    )


def unnamed_offices(kb: Knowledge, q: Question) -> list[str]:
    """Offices of a state the question names ("the Kyrgyz president") that no one in the fact
    base holds and no article names: the articles say nothing of whoever holds them."""
    return [named for state, title, named in q.unheld if not _office_spoken_of(kb, state, title)]


@lru_cache(maxsize=OFFICES_KEPT)
def _office_spoken_of(kb: Knowledge, state: str, title: str) -> bool:
    """Whether a sentence naming the state names that office of it ("the Kyrgyz president",
    "President of Kyrgyzstan", "Kyrgyz Foreign Minister"): then the articles speak of its
    holder, though the fact base does not know who. Read once per office, over the state's
    first CAP sentences, not on every question naming it."""
    actor = kb.actors[state]
    names = "|".join(re.escape(fold(n).lower()) for n in (actor.name, *actor.aliases))
    said = re.compile(
        rf"\b(?:{names})\b(?:\W+\w+){{0,{OFFICE_GAP}}}?\W+{title}s?\b|"
        rf"\b{title}s?\W+of\W+(?:the\W+)?(?:{names})\b"
    )
    return any(
        said.search(fold(kb.fb.sentences[sid].text).lower())
        for sid in kb.stats[state].sentences[:CAP]
    )
