"""What someone said: their quotations and the sentences reporting their words; or the
quotations matching remembered words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from itertools import zip_longest

from bot.core import messages
from bot.core.answers.actor import actor_answer
from bot.core.answers.common import declined, distinct, not_directly, paged, ref, unique
from bot.core.answers.topic import checked, cited, topic_answer
from bot.core.cite import age, statement
from bot.core.knowledge import Knowledge
from bot.core.passages import passage
from bot.core.question import Question, asks_yes_or_no, spelled
from bot.core.text import actor_key, terms, words
from bot.lexicon import WORDS
from bot.models import Answer, Cited, Page, Quote

QUOTES_LIMIT = 8  # passages to a page
PHRASE_MIN_WORDS = 4
QUOTED_MIN_WORDS = 2  # words in quotation marks found word for word ("friends of all")
QUOTED_ASIDE = 2  # words besides them that only ask ("who said", "/quote")
PHRASE_MIN_TERMS = 2  # words of a phrase that are no stopwords: "the future of the" is none
MAX_TRIM = 2  # words dropped from either end of remembered words that no sentence holds


SCENE_WEIGHT = 0.5  # a sentence's share of the score of the one before that sets its scene
SCENE_REACH = 10  # words either side of the speaker's name where the scene is named
_SPACED = re.compile(r"\S+")  # a word as split at white space, with where it stands


def speech_answer(kb: Knowledge, q: Question, page: int = 0) -> Answer:
    phrase = _phrase_match(kb, q, page)
    if phrase:
        return phrase
    if q.speaker is None and q.sources:  # "what does <outlet> say": its article's words
        return topic_answer(kb, q)
    if q.speaker is None and q.about:
        # "when did the GCC publish its vision and what did it emphasise": words of someone
        # named but no speaker read; what the articles say of them, not anyone's quotations
        return topic_answer(kb, q)
    if q.speaker is None:
        return _quotes_matching(kb, q)
    if q.speaker not in q.about:  # an author: their words are their article
        return topic_answer(kb, q) if q.terms or q.about else actor_answer(kb, q, q.speaker)
    if len(q.speakers) > 1:  # "what did Mardan and Kirsanov say": each one's, in turn
        return _said_by_each(kb, q, page)
    return _said_by(kb, q, q.speaker, page)


def _said_by_each(kb: Knowledge, q: Question, page: int) -> Answer:
    """The words of several speakers on the topic, taking turns; "not directly answered"
    only when none of them has words on it."""
    answers = [_said_by(kb, q, s, page) for s in q.speakers]
    spoke = [a for a in answers if a.grade == "answered"]
    if not spoke:
        return answers[0]
    turns = zip_longest(*(a.passages for a in spoke))
    passages = [p for turn in turns for p in turn if p is not None][:QUOTES_LIMIT]
    names = [kb.actors[s].name for s in q.speakers]
    return Answer(
        kind="quote",
        query=q.text,
        heading=messages.quotes_by(" and ".join(names)),
        passages=passages,
        related=[ref(kb, a) for a in q.actors if a not in q.speakers][:5],
        age=age(kb, [p.source for p in passages]),
    )


def _topic(kb: Knowledge, q: Question, speaker: str) -> list[str]:
    """The question's topic terms, without the words asking for speech or naming the speaker."""
    asking = _speech_terms()
    others = [actor_key(a) for a in q.actors if a != speaker and a not in q.speakers]
    return [*(t for t in q.terms if t not in asking), *others]


def _said_by(kb: Knowledge, q: Question, speaker: str, page: int) -> Answer:
    actor = kb.actors[speaker]
    own = [x for x in kb.quotes_at(kb.stats[speaker].quotes) if x.speech]
    reported = list(kb.reported[speaker])  # its sentences that report its words (build)
    quoted_in = {x.sentence for x in own}
    reported = [sid for sid in reported if sid not in quoted_in]
    if not own and not reported:
        extra = [f"/actor {actor.name}"]
        if q.command == "quote" or not _topic(kb, q, speaker):
            return declined(kb, q, messages.no_words(actor.name), extra=extra)
        # "what did X say about Y": what the articles report of X on Y, shown as context
        ordered, _ = checked(kb, q)
        reason = messages.no_words_nearest(actor.name)
        return not_directly(kb, q, cited(kb, ordered[:3]), ordered, reason=reason, extra=extra)
    topic = _topic(kb, q, speaker)
    spans: dict[int, set[int]] = {}  # a quotation runs on past the sentence it opens in
    for x in own:
        spans.setdefault(x.sentence, set()).update(_spanned(kb, x))
    scores = _scores(kb, topic, [*(i for ids in spans.values() for i in ids), *reported], speaker)
    items: list[tuple[float, bool, int]] = []  # score, reported, sentence
    for sid in dict.fromkeys(x.sentence for x in _dedupe_quotes(own, cache(_folded))):
        items.append((max(scores.get(i, 0.0) for i in spans[sid]), False, sid))
    items += [(scores.get(sid, 0.0), True, sid) for sid in reported]
    if _verbatim(q):  # "/quote X", "X's exact words": the quotations, then reports of them
        items.sort(key=lambda item: (item[1], -item[0], item[2]))
    else:
        items.sort(key=lambda item: (-item[0], item[1], item[2]))  # their own words first on a tie
    reports = {sid for _, is_reported, sid in items if is_reported}
    kept = distinct(kb, (item[2] for item in items))

    def words_of(sid: int) -> Cited:
        # The whole sentence: the quotation with the words that attribute it, never cut.
        return passage(kb, sid, speaker=speaker, said=statement(kb, sid), reported=sid in reports)

    # where the words were said ("in Kazakhstanskaya Pravda", "told RFE/RL") ranks them but
    # is no topic they must name
    outlets = {actor_key(a) for a in q.actors if kb.actors[a].kind == "outlet"}
    if set(topic) - outlets and not any(item[0] > 0 for item in items):
        ordered, _ = checked(kb, q)
        nearest = [*map(words_of, kept[:2]), *cited(kb, ordered[:2])]
        return not_directly(
            kb,
            q,
            nearest,
            ordered,
            reason=messages.speech_off_topic(actor.name, _topic_words(kb, q, speaker)),
            extra=[f"/quote {actor.name}", f"/actor {actor.name}"],
        )
    at = paged(len(kept), page, QUOTES_LIMIT)
    passages = [words_of(sid) for sid in kept[at.start : at.start + QUOTES_LIMIT]]
    return Answer(
        kind="quote",
        query=q.text,
        heading=messages.quotes_by(actor.name),
        actor=ref(kb, speaker),
        passages=passages,
        related=[ref(kb, a) for a in q.actors if a != speaker][:5],
        age=age(kb, [p.source for p in passages]),
        page=at,
    )


@cache
def _speech_terms() -> frozenset[str]:
    """The terms of the words asking for speech, stemmed once, not on every question."""
    return frozenset(t for w in (*WORDS.speech_verbs, *WORDS.speech_nouns) for t in terms(w))


_NOT_TOPIC = WORDS.stopwords | WORDS.speech_verbs | WORDS.speech_nouns  # words that only ask


def _topic_words(kb: Knowledge, q: Question, speaker: str) -> str:
    """The topic as the user wrote it: the question less the speaker's name and the words
    asking for speech ("what did X write about Y": "Y", not "write Y")."""
    name = next((f for f in q.found if f.actor == speaker), None)
    text = q.text if name is None else q.text[: name.start] + q.text[name.end :]
    return " ".join(w for w in words(text) if w not in _NOT_TOPIC)


def _scores(
    kb: Knowledge, topic: Sequence[str], sentences: Iterable[int], speaker: str
) -> dict[int, float]:
    """Each sentence's score on the topic; a paragraph's words with none take the sentence
    before, when that sentence names the speaker there ("the summit in Astana, where Xi
    ..." and then, on its own, Xi's words)."""
    if not topic:
        return {}
    found = kb.sentence_index.score(topic, capped=True)
    out = {}
    for sid in sentences:
        if sid in found:
            out[sid] = found[sid]
        elif sid - 1 in found and _set_before(kb, sid, speaker, topic):
            out[sid] = SCENE_WEIGHT * found[sid - 1]
    return out


def _spanned(kb: Knowledge, quote: Quote) -> list[int]:
    """The sentences a quotation runs over, from the one it opens in: "They are trying to say
    ... They have ties to the West, but ...", scored on either."""
    ids = [quote.sentence]
    while (
        ids[-1] + 1 < len(kb.starts)
        and kb.source_of[ids[-1] + 1] == kb.source_of[quote.sentence]
        and kb.starts[ids[-1] + 1] < quote.end
    ):
        ids.append(ids[-1] + 1)
    return ids


def _set_before(kb: Knowledge, sid: int, speaker: str, topic: Sequence[str]) -> bool:
    """Whether the sentence opens its paragraph after a sentence of the same article naming
    the speaker with every topic word beside them: the scene of what is said ("the summit
    in Astana, where Xi Jinping ...")."""
    if sid != kb.sentences_in[kb.paragraph_of[sid]][0] or sid == 0:
        return False
    if kb.source_of[sid - 1] != kb.source_of[sid] or speaker not in kb.actors_in[sid - 1]:
        return False
    text = kb.fb.sentences[sid - 1].text
    names = kb.names_at(sid - 1)
    spans = [m.span() for m in _SPACED.finditer(text)]
    for f in names:
        if f.actor != speaker:
            continue
        before = [s for s in spans if s[1] <= f.start][-SCENE_REACH:]
        after = [s for s in spans if s[0] >= f.end][:SCENE_REACH]
        start = before[0][0] if before else f.start
        end = after[-1][1] if after else f.end
        beside = set(terms(f"{text[start : f.start]} {text[f.end : end]}"))
        beside |= {actor_key(g.actor) for g in names if g.start >= start and g.end <= end}
        if set(topic) <= beside:
            return True
    return False


def _phrase_match(kb: Knowledge, q: Question, page: int) -> Answer | None:
    """Remembered words: the question's words stand, in order, in a quotation or sentence."""
    # in quotation marks, and all that is asked: words to find, short or not
    quoted = spelled(kb, q.phrase or "")
    # each word as the articles spell it: remembered words are often mistyped ("chlalenge")
    typed = spelled(kb, q.text)
    if len(quoted) >= QUOTED_MIN_WORDS and len(typed) - len(quoted) <= QUOTED_ASIDE:
        found = _phrase_found(kb, q, " ".join(quoted), page)
        if found:
            return found
    if len(quoted) >= QUOTED_MIN_WORDS and q.speaker is not None and asks_yes_or_no(q.text):
        # 'did X actually say "..."': those words and who said them, X's first (a topic in
        # quotation marks, 'what did X say on "..."', is searched among X's words below)
        found = _phrase_found(kb, q, " ".join(quoted), page)
        if found:
            theirs = sorted(found.passages, key=lambda p: p.speaker_id != q.speaker)
            return found.model_copy(update={"passages": theirs})
    if len(typed) < PHRASE_MIN_WORDS or (not q.terms and len(q.found) < 2):
        return None  # too short to be remembered words, or only a name
    # the words as typed ("also stressed collective defense"), else without the verbs of
    # speech that ask for them ("said that ..."), else a word or two fewer at either end:
    # remembered words run past a sentence's end or misremember its first or last word
    bare = tuple(w for w in typed if w not in WORDS.speech_verbs)
    trimmed = [  # at the end only when a speaker may open them ("/quote tokayev on X")
        bare[cut - b : len(bare) - b]
        for cut in range(1, MAX_TRIM + 1)
        for b in range(cut + 1)
        if q.speaker is None or b == cut
    ]
    tries = [tuple(typed), bare]
    tries += [t for t in trimmed if len(terms(" ".join(t))) >= PHRASE_MIN_TERMS]
    for asked in dict.fromkeys(tries):
        if len(asked) >= PHRASE_MIN_WORDS:
            found = _phrase_found(kb, q, " ".join(asked), page)
            if found:
                return found
    return None


def _phrase_found(kb: Knowledge, q: Question, phrase: str, page: int) -> Answer | None:
    """The quotations, else the sentences, that hold `phrase` word for word."""
    candidates = _candidates(kb, phrase)
    if not candidates:  # no sentence holds all its words: none holds them in a row
        return None
    # Quotations first, each wording once (its first quote: they de-duplicate and name
    # speakers): only their sentences are checked for the phrase, and the rest only when no
    # quotation holds it (a common word stands in tens of thousands).
    firsts = kb.first_wordings(candidates)
    holding = set(kb.phrased(list(dict.fromkeys(sid for _, sid in firsts)), phrase))
    fold = cache(_folded)
    hits = [
        x
        for x in kb.quotes_at([q for q, sid in firsts if sid in holding])
        if phrase in fold(x.text)
    ]
    if hits:
        holders = [x.sentence for x in _dedupe_quotes(hits, fold)]
    else:
        holders = kb.phrased(candidates, phrase)
    if not holders:
        return None
    shown, at = _in_sentences(kb, holders, page)
    speakers = unique(x.speaker for x in hits if x.speaker and x.speech)
    return Answer(
        kind="quote",
        query=q.text,
        heading=messages.quotes_matching(q.text),
        actor=ref(kb, speakers[0]) if len(speakers) == 1 else None,
        passages=shown,
        related=[ref(kb, s) for s in speakers][:5],
        age=age(kb, [p.source for p in shown]),
        page=at,
    )


def _candidates(kb: Knowledge, phrase: str) -> list[int]:
    """Sentences that may hold the phrase word for word: those with all its terms (the
    index's postings); `kb.phrased` checks them."""
    return kb.sentence_index.having_all(terms(phrase))


def _in_sentences(
    kb: Knowledge, sentences: Iterable[int], page: int = 0
) -> tuple[list[Cited], Page]:
    """Quotations shown in their sentences, each with its speaker and when it was said: one
    page of them, and where that page stands."""
    kept = distinct(kb, dict.fromkeys(sentences))
    at = paged(len(kept), page, QUOTES_LIMIT)
    shown = [
        passage(kb, sid, speaker=kb.speaker_at(sid), said=statement(kb, sid))
        for sid in kept[at.start : at.start + QUOTES_LIMIT]
    ]
    return shown, at


def _quotes_matching(kb: Knowledge, q: Question) -> Answer:
    """Quotations on the topic asked, whoever said them, each with its speaker."""
    scores = kb.quote_index.score(q.keys, capped=True)
    ranked = sorted(scores, key=lambda i: (-scores[i], i))
    found = _dedupe_quotes(kb.fb.quotes[i] for i in ranked)[:QUOTES_LIMIT]
    found = [x for x in found if any(kb.quote_index.contains(t, x.id) for t in q.terms)] or found
    if not found:
        ordered, _ = checked(kb, q)
        return not_directly(
            kb, q, cited(kb, ordered[:3]), ordered, reason=messages.no_quote_match(q.text)
        )
    passages, _ = _in_sentences(kb, [x.sentence for x in found])  # at most one page
    speakers = unique(x.speaker for x in found if x.speaker)
    return Answer(
        kind="quote",
        query=q.text,
        heading=messages.quotes_matching(q.text),
        passages=passages,
        related=[ref(kb, s) for s in speakers][:5],
        age=age(kb, [p.source for p in passages]),
    )


def _folded(text: str) -> str:
    return " ".join(words(text))


def _dedupe_quotes(quotes: Iterable[Quote], fold: Callable[[str], str] = _folded) -> list[Quote]:
    """A quotation repeated (pull quote, republication) is shown once."""
    seen: set[str] = set()
    out: list[Quote] = []
    for x in quotes:
        key = fold(x.text)
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def _verbatim(q: Question) -> bool:
    """Whether the words themselves are asked for: `/quote`, or a noun of speech ("quote",
    "exact words"), not a verb ("what did X say", which a report of X's words answers)."""
    return q.command == "quote" or any(w in WORDS.speech_nouns for w in words(q.text))
