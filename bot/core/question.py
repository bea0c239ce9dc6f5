"""Read a question once: its command, the actors it names, its content terms, what it expects.

Every answer kind reads this record; nothing parses the raw text again.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.forms import related
from bot.core.knowledge import Knowledge, bare_link, leads
from bot.core.query import Command, parse
from bot.core.resolve import Found
from bot.core.text import STOPWORDS, actor_key, fold, stem, terms, words
from bot.lexicon import WORDS

Expect = Literal[
    "overview",
    "actor",
    "speech",
    "date",
    "count",
    "duration",
    "place",
    "list",
    "person",
    "name",
    "compare",
    "yesno",
    "topic",
]

# Question forms, in the order they are tried; each names what a good answer must contain.
_YES_NO = re.compile(r"^(is|are|was|were|did|does|do|will|would|can|could|has|have|should)\b")
# a town asked for ("which Tajik city"): no state's name answers
TOWN_ASKED = re.compile(
    r"\b(?:which|what) (?:[a-z]+ )?(?:city|town|capital|village)\b|\bhost (?:city|town)\b"
)
# the dates of many events ("tick-tock": a chronology, in newsroom English)
_SEQUENCE = re.compile(r"\b(?:timeline|chronology|history|tick[- ]?tock|sequence)\b")
# "where did X's article run": where it was published, an outlet, asked
_PUBLISHED = re.compile(r"\bwhere\b.*\b(?:publish\w*|print\w*|appear\w*|ran|run)\b")
_DAY_ASKED = re.compile(r"\b(?:what|which|exact|precise)\s+(?:date|day)\b")  # "on what date"
_FORMS: list[tuple[Expect, re.Pattern[str]]] = [
    (
        "compare",
        re.compile(
            r"\b(compare[sd]?|comparison|differ\w*|contrast\w*|versus|vs)\b|"
            r"\bwhich (articles|sources|pieces|authors|outlets)\b|"
            r"\bhow do (the )?(articles|sources)\b|"
            # whether sources agree, not states: "do A and B agree", "do they agree"
            r"\b(articles|sources|authors|outlets|pieces|they|both|\w+ and \w+) "
            r"(dis)?agree(ing)?\b|"
            # "do A's column and B's piece agree": the sides may take several words each
            r"^(do|did|would)\s[\w\s'’-]+?\sand\s[\w\s'’-]+?\s(dis)?agree(ing)?\b|"
            # "how do A and B each describe X", "what did A and B each say": side by side
            r"^(how|what)\s+(do|did|does|would)\s[\w\s'’-]+?\sand\s[\w\s'’-]+?\seach\b|"
            # "who was more critical, A or B?": a comparison of the two
            r"^(who|which)\b[^?]*\b(more|less)\s+\w+[^?]*\bor\b|"
            # "did A and B say the same thing", "do A and B see X the same way", "... alike"
            r"^(do|did|would)\s[\w\s'’-]+?\sand\s[\w\s'’-]+?\s(the\s+same|similar\w*|alike)\b|"
            # "A and B both doubt X: how do they each put it?"
            r"\b(how|what)\s+(do|did|does|would)\s+(they|both|the\s+two)\s+each\b|"
            # "A and B both doubt X: do they give the same reasons?"
            r"\b(do|did|would)\s+(they|both|the\s+two)\s[\w\s'’-]*?(the\s+same|similar\w*|alike)\b|"
            # "did X say the same thing in both articles?": X's words set side by side
            r"\b(the\s+same|similar\w*|alike)\b[^?]*\b(in|across|between)\s+(both|the\s+two|"
            r"all\s+the|each\s+of\s+the)\s+(articles|sources|pieces|reports|versions)\b"
        ),
    ),
    (
        "count",
        re.compile(
            r"\bhow (many|much|big|large|strong)\b|\bnumber of\b|"
            r"\bwhat (size|share|percentage|proportion)\b"
        ),
    ),
    ("duration", re.compile(r"\bhow long\b|\bfor how\b")),
    (
        "date",
        re.compile(
            r"^when\b|\bwhen (did|was|were|is|will|does|do)\b|\bwhat (year|date|month|day)\b|"
            r"\bwhich (year|month|date|day)\b|\bsince when\b|"
            # "sco summit date", "the date of the op-ed": a date asked by its noun
            r"(?<!\bto )(?<!\bup )\b(date|dates)\b(?!\s+(back|from)\b)|" + _SEQUENCE.pattern
        ),
    ),
    (
        "place",
        re.compile(
            r"^where(s|'s)?\b|\bwhere (is|was|are|were|did|does|will)\b|" + TOWN_ASKED.pattern
        ),
    ),
    (
        "list",
        re.compile(
            r"\b(which|what) (countries|states|members|nations|groups|organi[sz]ations|"
            r"powers|leaders|actors|republics)\b|"
            # "who are the CSTO members": a list of them, though "who" asks for people
            r"\bwho (are|were) (the )?([\w-]+ )?(countries|states|members|nations|"
            r"organi[sz]ations|powers|republics)\b|"
            r"^(?!.*\b(?:did|does|do)\b.*\blist\b).*\blist\b"  # not "what X did Y list"
        ),
    ),
    ("yesno", _YES_NO),
]
# Someone else's comparison, asked about: "who compared Kazakhstan to Ukraine", "did anyone
# compare the plan to NATO". A question about who likened what, not a request to compare.
_LIKENED = re.compile(
    r"\b(?:who|anyone|anybody|someone|somebody|nobody)\s+(?:has\s+|have\s+|ever\s+)?compared?\b|"
    r"\bcompared\b[\w\s'’-]*?\bto\b"
)
_LINK = re.compile(r"\bhttps?://\S+", re.I)
_SUBJECT_ENDS = re.compile(r"\b(?:of|in|at|for|from|to|on|with|who|that|which)\b|[,;:(]")
_OFFICE_STEMS = frozenset(stem(t) for t in WORDS.office_titles)
_ACRONYM_END = re.compile(r"\b[A-Za-z]\.[A-Za-z]\.$")  # "who is the U.K.?"
# not after "vs." or "cf.", which join what is on either side ("X vs. Y")
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bvs\.)(?<!\bcf\.)\s+")
# "tl;dr: who said ...": the clause that asks
_CLAUSE_END = re.compile(r"(?<=[.!?:;])(?<!\bvs\.)(?<!\bcf\.)\s+")
_ASKING_WORD = (
    r"(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|did|does|do|has|have|"
    r"can|could|will|would|should)\b"
)
_QUESTION_START = re.compile(_ASKING_WORD, re.IGNORECASE)
# "When Yerevan asked for help, what did ...": a clause before the one that asks ("when did
# X leave, and why" asks twice)
_AUXILIARY = r"(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|should)\b"
_SCENE_FIRST = re.compile(
    rf"\s*(?:{'|'.join(WORDS.subordinators)})\b(?!\s+{_AUXILIARY})[^,?]*,\s*(?={_ASKING_WORD})",
    re.IGNORECASE,
)
_LIST_FORM = next(pattern for expect, pattern in _FORMS if expect == "list")
# "who is the CSTO's secretary general", "who replaced X": the answer is a person, named.
_PERSON = re.compile(
    r"^who (?:is|was|are|were) (?:the|a|an|\w+(?:'s|’s))\b|"
    r"^who (?:heads|headed|leads|led|replaced|succeeded|chairs|chaired|runs|ran|commands|"
    r"commanded)\b"
)
_OVERVIEW = re.compile(
    r"^(brief me|overview|what do you know|what can you do|summary|summari[sz]e)[\s.!?]*$"
)
# "brief me on X", "give me a summary of X": the topic is X.
_ABOUT = re.compile(
    r"^(?:please\s+)?(?:(?:brief me|give me (?:a |an )?(?:brief|briefing|overview|summary)|"
    r"(?:a |an )?(?:brief|briefing|overview|summary)|summari[sz]e)"
    r"\s+(?:on|about|of|re|regarding)|brief me)\s+(.+)$"  # "brief me CSTO", as typed in chat
)
_WHO_IS = re.compile(
    r"^(?:who|what)(?:'s|’s| is| are| was| were)\s+(.+)$|^(?:tell me about|profile of|"
    r"profile|who is|about)\s+(.+)$|"
    r"^who\s+(.+?)\s+(?:is|was)$",  # "(tell me) who X is": asked inside a request
    re.I,  # a capitalised "Who is ...?" as typed
)
_QUOTED = re.compile(r"(?:^|(?<=[\s(]))[\"“‘']([^\"“”‘’]{3,}?)[\"”’'](?=[\s,.?!;:)]|$)")
# "what was it called", "what is the op-ed titled": a name asked for, not anyone's words.
_NAMED = re.compile(
    r"\b(?:is|was|are|were)\b(?:\s+\w+){0,4}?\s+(?:called|named|titled)\b(?=\s+and\b|$)"
)
_RELATIVE = re.compile(r",\s+(?:which|who|whom|whose)\b", re.I)  # a relative clause opens
# a second question joined to the first: ", and how big is ...", ", and what did he say"
_SECOND_ASK = re.compile(r",\s*and\s+(?:what|how|who|when|where|why|which|whose)\b", re.I)
_TELL_ME = re.compile(r"\b(tell|told|give|show) (me|us)\b")  # asking, not speech
VARIANT_FROM = 4  # letters of a stem before variants are looked for
VARIANT_SUFFIX = 3  # letters a variant may add
QUOTED_FROM = 3  # words in quotation marks that are a phrase to find, not a name
MEND_FROM = 5  # letters; shorter words have too many neighbours one edit away
SUPERLATIVE_FROM = 4  # letters of a word ending "-est" that qualifies, not names ("best")
GUESS_WORDS = 2  # words of a sentence after the question that is a guess at it ("BRI?")
# letters from which a typo is mended to a plural's singular ("mecanism": "mechanisms"); a
# shorter word is too often a word of its own one edit from one ("place": "paces", "speed")
SINGULAR_FROM = 7
LONG_WORD = 10  # from this length a typo may be two edits away
SHORTENED_FROM = 3  # words of an outlet's name from which its first two may name it
NAMES_KEPT = 1024  # outlet names whose first two words are kept (a corpus has few outlets)
# A name with a number in it: an exercise, a model, a resolution ("Birlestik-2024", "Su-27").
_NUMBERED = re.compile(r"(?<![\w-])[a-z]+-\d{1,4}(?![\w-])")
# A month's short name searched as the articles write it: "jan 2022" is "January 2022".
_MONTH_IN_FULL = {short: m.names[0] for m in WORDS.month for short in m.names[1:]}
_NAME_OF = re.compile(
    r"^(?:what|what's|what’s|whats)(?: is| was)? the name of (.+)$|^name (.+)$", re.I
)
# "which Turkish aerospace company", "what drone model": a thing known by its proper name
_WHICH_NAMED = re.compile(
    rf"^(?:which|what)\s+((?:[\w-]+\s+){{0,3}}?(?:{'|'.join(sorted(WORDS.named_things))}))\b",
    re.I,
)
_AMOUNT_ASKED = re.compile(r"\bhow much\b|\bwhat (?:share|percentage|proportion)\b")
_LISTED = re.compile(r"\b(?:which|what) ([a-z]+)")
DESCRIBED_FROM = 2  # words of a role that name its holder ("university lecturer")
DESCRIBED_UPTO = 4  # words after "the" read as a description of someone
# "the Danish researcher", "that TV host": a description of someone
_DESCRIPTION = re.compile(r"\b(?:the|that|this)\s+", re.I)
_COMMAND_START = re.compile(r"^|\bthe\s+", re.I)
_TOKEN = re.compile(r"[\w’'-]+")
SPEAKER_REACH = 3  # words before a verb of speech where a speaker's name may stand
QUALIFIERS = 1  # words between a determiner and its noun ("the Danish guy")
OWN_REACH = 2  # words between "our" and the verb ("our draft says")
PERFECT_REACH = 3  # words between "has" and its participle ("has Tokayev ever written")
SPOKEN_OF_REACH = 4  # words between "about" and the name it makes a topic ("about a Central Asian")
TITLE_WORDS = 2  # words after a name that may hold its title ("Armenia's prime minister")
OFFICE_REACH = 2  # words before a name that may name an office of it ("president of")
# Stems of the words a comparison asks with ("agree", "similarities"): no topic of it.
_LIKENESS = frozenset(stem(w) for w in WORDS.likeness_words)
# Stems of the words that only ask ("compare", "summary", "vs"): a clause of them alone has
# no topic of its own ("Kyrgyz-Tajik border: Caspian-Alpine vs The Diplomat").
_ASKING_ONLY = _LIKENESS | {stem(w) for w in (*WORDS.question_words, *WORDS.confirmation_words)}
_COUNTED = re.compile(r"\bhow (?:many|much)\s+([a-z]+)|\bnumber of\s+([a-z]+)")
# "how many people were arrested", "how many died": what befell the people counted
_COUNTED_EVENT = re.compile(
    r"\bhow many(?:\s+(?:people|persons|individuals))?"
    r"(?:\s+(?:were|was|got|get|are|is|have been|has been|had been))?\s+([a-z]+)"
)


class Paired(NamedTuple):
    """Two sides a dash joins and the words they qualify, as index keys: "the China–Central
    Asia summit" is (@china,), (central, asia), (summit,)."""

    first: tuple[str, ...]
    second: tuple[str, ...]
    heads: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """What was asked, read once from the raw text."""

    raw: str
    command: Command | Literal["compare"]
    text: str
    truncated: bool
    found: tuple[Found, ...]
    actors: tuple[str, ...]
    terms: tuple[str, ...]
    expects: Expect
    counted: str | None = None  # for "how many": the stem of what is counted
    counted_as: str = ""  # the same word as the question writes it, to show
    counted_head: str | None = None  # the noun a counted modifier qualifies ("asian migrants")
    counted_event: str | None = None  # the stem of what befell the people counted ("arrest")
    amount: bool = False  # "how much": an amount ($, %, billions) answers, whatever it counts
    figure: bool = False  # "X's trade figures": an amount or a number of things answers
    subject: str | None = None  # for "who is X": the words naming X
    speaker: str | None = None  # for speech: the actor whose words are asked for
    speaker_words: tuple[str, ...] = ()  # for speech: words where a speaker is named, no actor
    speakers: tuple[str, ...] = ()  # for speech: the speaker and those joined to it by "and"
    sources: tuple[str, ...] = ()  # source files the question names (author, outlet)
    titled: tuple[str, ...] = ()  # of those, the ones it names by their title
    about: tuple[str, ...] = ()  # the actors asked about: those named, less authors and outlets
    phrase: str | None = None  # words the question puts in quotation marks
    listed: tuple[str, ...] = ()  # for a list: the kinds of actor asked for (any when empty)
    why: bool = False  # asks for a reason: passages giving one rank a little higher
    # a comparison of lists ("who's in X: A's list vs B's"): each side's fuller list first
    of_lists: bool = False
    numbered: tuple[str, ...] = ()  # names with a number in them ("birlestik-2024")
    # words of a note after the question ("...? I mean at the SCO."): searched as variants
    noted: tuple[str, ...] = ()
    # offices of a state the question names and no one in the fact base holds ("the Kyrgyz
    # president"), as (state, title, the office named: "Kyrgyzstan's president")
    unheld: tuple[tuple[str, str, str], ...] = ()
    # actors asked about as alternatives ("was it Kirsanov or Mardan who ..."): one answers
    either: tuple[str, ...] = ()
    # actors only a second question joined to the first names ("how many followers does X
    # have, and how big is Y's channel"): the first part is answered without them
    later: tuple[str, ...] = ()
    # two sides a dash joins before what they share ("the China–Central Asia summit")
    paired: tuple[Paired, ...] = ()
    sequence: bool = False  # the dates of many events asked ("timeline of X", `/timeline`)
    day: bool = False  # a day asked for ("on what date", "which day"), not a month or year
    # actors named only as whose plan it is ("Kazakhstan's proposal"): a passage on "the
    # proposal" speaks of theirs
    owners: tuple[str, ...] = ()

    def known_share(self, kb: Knowledge) -> float:
        """How much of the question the articles speak of at all: IDF weight of the terms and
        actors they use, a typical weight for each term they never do (1.0 when none)."""
        idf = kb.sentence_index.idf
        distinct = list(dict.fromkeys(self.keys))
        known = sum(idf[t] for t in distinct if t in idf)
        unknown = sum(kb.sentence_index.typical for t in distinct if t not in idf)
        return known / (known + unknown) if known + unknown else 1.0

    def variants(self, kb: Knowledge) -> list[str]:
        """Words of the articles that extend a term by a suffix ("form": "formation"
        stems to "format") or spell it the other way ("defence": "defense"), searched at
        lower weight."""
        out: list[str] = []
        for t in self.terms:
            if len(t) < VARIANT_FROM:
                continue
            for v in kb.terms_from(t):
                if v != t and len(v) - len(t) <= VARIANT_SUFFIX and v not in self.terms:
                    out.append(v)
        for w in words(_outside(self.text, self.found)):
            if stem(w) in self.terms:  # a content word (stopwords are no terms)
                out += [v for v in related(kb, w) if v not in self.terms]
        return list(dict.fromkeys([*out, *self.noted]))

    @property
    def counted_kind(self) -> str | None:
        """The kind of actor a count counts, by its noun ("how many foreign powers": states;
        a list of them counts them), if any."""
        return WORDS.list_kinds.get(self.counted_as.split()[-1]) if self.counted_as else None

    @property
    def keys(self) -> list[str]:
        """Search terms: content words plus one key per actor named (any spelling)."""
        return [*self.terms, *(actor_key(a) for a in self.about)]


# what follows a name that says the plan is theirs: "'s (security) proposal", " plan"
_OWNED = re.compile(
    r"(?:['’]s)?\s+(?:[\w-]+\s+)?(?:"
    + "|".join(sorted(WORDS.stance_objects, key=len, reverse=True))
    + r")\b",
    re.I,
)


def read(kb: Knowledge, raw: str) -> Question:
    """Clean and read a query once."""
    parsed = parse(raw)
    text = _links_named(kb, parsed.text)
    command: Command | Literal["compare"] = parsed.command
    if command == "free" and re.match(r"^/compare\b", text, re.I):
        command, text = "compare", text[len("/compare") :].strip()
    lower = " ".join(spelled(kb, text))  # read with typos mended: "what resaons did X give"
    last = last_clause(text)  # "For my memo: brief me on X" asks for X
    about = _ABOUT.match(_unpunctuated(last).lower())
    if command == "free" and about:
        command, text = "brief", _unpunctuated(last[about.start(1) :])
        lower = " ".join(spelled(kb, text))
    found = tuple(kb.resolver.find(text)) if text else ()
    if not found and command != "free" and re.fullmatch(r"[a-z]{2,4}", text):
        found = tuple(kb.resolver.find(text.upper()))  # "/actor us": a command names, no "us"
    if not found and command != "free" and text:  # "/actor West": "the West" is its name
        found = tuple(
            replace(f, start=max(0, f.start - len("the ")), end=f.end - len("the "))
            for f in kb.resolver.find(f"the {text}")
        )
    found = _described(kb, text, _office_holders(kb, text, found), command != "free")
    actors = tuple(dict.fromkeys(f.actor for f in found))
    outside = _outside(text, found)
    asked = _asking_part(text)  # a note after the question: its words searched, not asked
    clause = last_clause(text)  # the clause that asks, within `asked`
    lead = len(asked) - len(clause)  # "For a memo on Central Asia: who ...": a lead-in
    if asked[:lead].rstrip().endswith("?"):
        lead = 0  # "... a speech or an op-ed? do the sources agree": both ask
    content = _content_terms(kb, outside[lead : len(asked)])
    if not set(content) - _ASKING_ONLY - kb.outlet_terms:  # the topic is in the lead ("X:
        # what do they say?", "X: Caspian-Alpine vs The Diplomat")
        content, lead = _content_terms(kb, outside[: len(asked)]), 0
    noted = [
        t
        for t in _content_terms(kb, outside[:lead] + " " + outside[len(asked) :])
        if t not in content
    ]
    titles = kb.titles_in(text)
    sources = named_sources(kb, text, found, titles)
    by_source = {a for a in actors if _names_source(kb, a)} | _in_titles(text, found, titles)
    asking = asking_sentence(text, command)
    at = text.find(asking)
    if at > 0 and not text[:at].rstrip().endswith("?"):
        # "Khamidov calls the clashes deadly. How many were killed?": the sentence that asks
        # says what is wanted, not a statement before it (two questions, "what share ...? is
        # that why ...", both ask)
        blanked = " " * at + text[at:]  # offsets kept for the names found
        expects = _expects(command, " ".join(spelled(kb, text[at:])), blanked, found, content)
    else:
        expects = _expects(command, lower, text, found, content)
    # a sequence's dates are of many events: "Kazakh–Russian tensions" are no one event
    sequence = command == "timeline" or _SEQUENCE.search(lower) is not None
    if parsed.claim and expects == "topic":
        expects = "yesno"  # "claim: X — check", "is it true that X": whether X holds
    if expects == "person" and any(_led(text, f) and f.actor in kb.leads for f in found):
        expects = "actor"  # "who leads Uzbekistan": its president, whose profile answers
    if expects == "compare":  # "do A and B agree on X": X is compared, not agreement
        content = [t for t in content if t not in _LIKENESS]
    if expects == "speech" and asking != text:  # words on what the asking sentence names
        content = _content_terms(kb, outside[at : at + len(asking)])
    counted: str | None = None
    counted_as, head, event = "", None, None
    claimed = _claimed_count(lower) if expects == "yesno" else ""
    if claimed:  # "were 2,500 troops deployed?": a count to check, which a number answers
        expects, counted_as, counted = "count", claimed, stem(claimed)
    elif expects == "count":  # "how many Russian troops": troops, not the name before them
        word = _counted_word(" ".join(words(outside))) or _counted_word(lower)
        event = None if word else _counted_event(" ".join(words(outside)))
        if word:
            counted_as = mend(kb, word)
            counted = stem(counted_as)
            head, phrase = _counted_head(" ".join(words(outside)), word)
            if head:  # said as asked: "a number of central asian migrants"
                counted_as = f"{counted_as} {phrase}"
    speaker, speaker_words = (
        _speaker(kb, text, found, sources, command == "free") if expects == "speech" else (None, ())
    )
    if expects == "compare" and len(sources) == 1:  # two named: the sides are set
        sources = _with_those_heard(kb, sources, [a for a in actors if a not in by_source])
    of_lists = expects == "compare" and _LIST_FORM.search(lower) is not None
    quoted = _QUOTED.search(text)
    if expects == "actor" and command == "free" and quoted and len(words(quoted[1])) >= QUOTED_FROM:
        expects = "topic"  # '"member of the CSTO for now"': words to find, not a profile
    if expects == "place" and _PUBLISHED.search(lower):
        expects = "topic"  # "where did X publish his article": an outlet, which is no place
    subject = None
    who = _WHO_IS.match(_unpunctuated(text)) if command == "free" else None
    if who:
        subject = _who_subject(who).strip()
    if expects == "person" and _titled(text):
        subject = _titled(text)  # "the name of X's minister": the title is what follows
    if expects == "name":
        subject = _name_asked(text)
    who_asked = _WHO_IS.match(_unpunctuated(asking).lstrip())  # after a statement too
    if expects == "person" and who_asked and not _names_a_person(kb, _who_subject(who_asked)):
        expects = "topic"  # "who is the only realistic alternative partner": a state may be
    return Question(
        raw=raw,
        command=command,
        text=text,
        truncated=parsed.truncated,
        found=found,
        actors=actors,
        terms=tuple(content),
        expects=expects,
        counted=counted,
        counted_as=counted_as,
        counted_head=head,
        counted_event=event if expects == "count" else None,
        amount=expects == "count" and _amount(lower, counted_as),
        figure=expects == "count" and _figure_asked(lower.split(), _heads(lower.split())),
        subject=subject,
        speaker=speaker,
        speaker_words=speaker_words,
        speakers=_joined(kb, text, found, speaker),
        sources=sources,
        titled=tuple(f for f in sources if f in titles),
        about=_asked_about(kb, [a for a in actors if a not in by_source]),
        # a title in quotation marks names its article ("who wrote 'Shifting Sands?'")
        phrase=quoted.group(1).strip()
        if quoted and " ".join(words(quoted.group(1))) not in kb.title_names
        else None,
        listed=_listed(lower) if expects == "list" or of_lists else (),
        of_lists=of_lists,
        why=re.search(r"\bwhy\b", lower) is not None,
        numbered=tuple(  # not "post-2021", "mid-2023": a time, named by a combining form
            dict.fromkeys(
                n
                for n in _NUMBERED.findall(fold(text))
                if n.split("-")[0] not in WORDS.combining_forms
            )
        ),
        noted=tuple(noted),
        unheld=_unheld(kb, text, found),
        either=_alternatives(text, found),
        later=_later(text, found),
        paired=() if sequence else _paired(kb, text, found),
        sequence=sequence,
        day=_DAY_ASKED.search(lower) is not None,
        owners=_owners(text, found),
    )


def _later(text: str, found: tuple[Found, ...]) -> tuple[str, ...]:
    """Actors named only after ", and how/what/..." opens a second question."""
    second = _SECOND_ASK.search(text)
    if second is None:
        return ()
    first = {f.actor for f in found if f.start < second.start()}
    return tuple(dict.fromkeys(f.actor for f in found if f.actor not in first))


def _owners(text: str, found: tuple[Found, ...]) -> tuple[str, ...]:
    """Actors every mention of whom says whose plan it is ("Tokayev's security proposal",
    "the Kazakh plan")."""
    owns: dict[str, bool] = {}
    for f in found:
        owns[f.actor] = owns.get(f.actor, True) and _OWNED.match(text, f.end) is not None
    return tuple(a for a, owner in owns.items() if owner)


def _links_named(kb: Knowledge, text: str) -> str:
    """A pasted link read as the article it points to, by the outlet's name ("summarise
    https://thediplomat.com/..." asks about the Diplomat's piece); any other link names
    nothing, and its words would be read as names no article uses."""

    def named(m: re.Match[str]) -> str:
        source = kb.linked.get(bare_link(m.group()))
        return f" {source} " if source else " "

    return " ".join(_LINK.sub(named, text).split()) if "://" in text else text


def _unpunctuated(text: str) -> str:
    """The text without the marks that end it, but for the stop of an acronym ("U.K.")."""
    kept = text.rstrip("?!. ")
    return kept + "." if _ACRONYM_END.search(text.rstrip("?! ")) else kept


def _split(pattern: re.Pattern[str], text: str) -> list[str]:
    """`pattern.split(text)` outside quotation marks: 'who said "the conflict; the"?' is one
    clause, whatever the quoted words hold."""
    masked = _QUOTED.sub(lambda m: m[0][0] + "x" * (len(m[0]) - 2) + m[0][-1], text)
    pieces, at = [], 0
    for m in pattern.finditer(masked):
        pieces.append(text[at : m.start()])
        at = m.end()
    return [*pieces, text[at:]]


@lru_cache(maxsize=NAMES_KEPT)
def _asking_part(text: str) -> str:
    """The text up to the question mark of its last question, when what follows asks
    nothing ("Who warned ...? I need it for a memo."): the question says what is asked."""
    said = _split(_SENTENCE_END, text.strip())
    asked = [i for i, s in enumerate(said) if s.endswith("?")]
    while len(asked) > 1 and _no_topic(said[asked[-1]]):
        asked.pop()  # "Who warned ...? And what did the articles say?": the first asks
    if asked and not any(_asks(s) and not _no_topic(s) for s in said[asked[-1] + 1 :]):
        return " ".join(said[: asked[-1] + 1])
    return text


_COURTESY_WORDS = frozenset(w for phrase in WORDS.courtesies for w in words(phrase))


def _no_topic(sentence: str) -> bool:
    """Whether a sentence has no word but function words, question words and verbs of
    speech ("And what did the articles say?"): it asks nothing of its own."""
    return all(
        w in STOPWORDS
        or w in WORDS.question_words
        or w in WORDS.speech_verbs
        or w in WORDS.confirmation_words  # "Is that right?": the claim before is asked
        or w in WORDS.speech_nouns  # "... ? Quote pls?": the words asked for, of the question
        or w in _COURTESY_WORDS
        for w in words(sentence)
    )


def _asks(sentence: str) -> bool:
    return sentence.endswith("?") or _QUESTION_START.match(sentence) is not None


def asks_yes_or_no(text: str) -> bool:
    """Whether the asking clause is a yes/no question ("did X really say ...")."""
    return _YES_NO.match(last_clause(text).lower()) is not None


def last_clause(text: str) -> str:
    """The asking part after its last full stop, colon or semicolon: "tl;dr: who said ..."
    asks in "who said ..."."""
    return _split(_CLAUSE_END, _asking_part(text))[-1]


def asking_sentence(text: str, command: str = "free") -> str:
    """The sentence that asks, when others come before or after it ("I'm preparing a note
    for my team. Who warned ...?"): its form says what is asked; all of the text is
    searched. A command asks in its first sentence ("/quote X on Y, please. <a note>")."""
    if command != "free":
        return _split(_SENTENCE_END, text.strip())[0]
    part = _asking_part(text)
    said = _split(_SENTENCE_END, part.strip())
    last = said[-1]
    return last if len(said) > 1 and _asks(last) and not _guess(last) else part


def _guess(sentence: str) -> bool:
    """Whether a sentence is a guess added to the question ("... to assert itself? BRI?"):
    a word or two, none asking, which the question before it asks about."""
    said = words(sentence)
    return len(said) <= GUESS_WORDS and not any(w in WORDS.question_words for w in said)


def _amount(lower: str, counted_as: str) -> bool:
    """Whether a count question asks for a sum or a share ("how much", "X's budget", "what
    share of"): someone's, in money or per cent, not a number of things."""
    return _AMOUNT_ASKED.search(lower) is not None or counted_as in WORDS.measure_nouns


# a number of things, not a year, an ordinal or a sum: "about 2,500 CSTO troops"
_CLAIMED = re.compile(r"(?<![\w$.,])(?!(?:19|20)\d\d\b)\d[\d,]*\s+((?:[a-z]+\s+){0,2}[a-z]+s)\b")


def _claimed_count(lower: str) -> str:
    """The plural noun a yes/no question gives a number of ("were 2,500 CSTO troops sent"):
    the number is the claim to check; "" when it gives none."""
    m = _CLAIMED.search(lower)
    if not m:
        return ""
    run = list(itertools.takewhile(lambda w: w not in STOPWORDS, m.group(1).split()))
    return run[-1] if run and run[-1].endswith("s") else ""


def _counted_word(lower: str) -> str:
    """What a count question counts: the word after "how many" or "number of"; else the
    measure it names ("how much is the CSTO's budget"); "" when neither says."""
    m = _COUNTED.search(lower)
    word = (m.group(1) or m.group(2)) if m else ""
    after = lower[m.end() :].split()[:1] if m else []
    if word.endswith("ed") and (not after or after[0] in STOPWORDS):
        return ""  # "how many died in ...": a verb; people are counted, whatever the noun
    if word and word not in STOPWORDS:
        return word
    named = [w for w in _heads(lower.split()) if _measure(w)]
    return named[-1] if named else ""


def _counted_event(lower: str) -> str | None:
    """The stem of what befell the people a count asks for ("how many people were arrested":
    "arrest"; "how many died"): a number of people stands beside it, not any number."""
    m = _COUNTED_EVENT.search(lower)
    return stem(m.group(1)) if m and m.group(1) not in STOPWORDS else None


def _measure(word: str) -> bool:
    """Whether a noun names a measure, a figure answering it ("budget", "death toll")."""
    return word in WORDS.measure_nouns or word in WORDS.counted_by


def _counted_head(lower: str, word: str) -> tuple[str | None, str]:
    """The plural noun that ends the words counted when the first of them only qualifies it
    ("how many central asian migrants": migrants), its stem, and the words after the counted
    one up to it ("asian migrants"); None when the counted word is the noun itself or no
    plural follows before a function word."""
    m = re.search(rf"\bhow many {re.escape(word)}((?:\s+[a-z]+)*)", lower)
    run: list[str] = []
    for w in m.group(1).split() if m else []:
        if w in STOPWORDS or w in WORDS.question_words:
            break
        run.append(w)
    plural = [n for n, w in enumerate(run) if w.endswith("s") and not w.endswith("ss")]
    if not plural or word.endswith("s"):
        return None, ""
    return stem(run[plural[-1]]), " ".join(run[: plural[-1] + 1])


def _measured(lower: str) -> bool:
    """Whether the question asks for a measure by its noun ("the CSTO's annual budget", "what
    is X's population"): a number answers it. Not when it asks how or why (a budget's
    effects), who, or which has the most ("the largest population")."""
    said = lower.split()
    heads = _heads(said)
    return (
        not re.match(r"^(?:how|why|who|which)\b", lower)
        and (_figure_asked(said, heads) or any(_measure(w) for w in heads))
        and not any(w in WORDS.superlatives for w in said)
    )


_MANNER = frozenset(("how", "why"))


def _figure_asked(said: list[str], heads: list[str]) -> bool:
    """Whether a figure word ends a noun phrase (one of `heads`, those of the words `said`)
    after a word that says of what ("US trade 2023 figure", "troop numbers at the base"): a
    number or a sum of it answers, either."""
    before = ["", *said[:-1]]
    return any(
        w in WORDS.figure_words
        and w in heads
        and before[i]
        and before[i] not in STOPWORDS
        and not _MANNER & set(said[:i])  # "how does X figure in ...": a verb
        for i, w in enumerate(said)
    )


def _heads(said: list[str]) -> list[str]:
    """Words that end a noun phrase: the last, or one a function word or a year follows ("the
    budget of X", "budget 2023"); not one another noun follows ("budget cuts", "population
    growth": the topic)."""
    after = [*said[1:], ""]
    return [
        w
        for i, w in enumerate(said)
        if not after[i]
        or after[i] in STOPWORDS
        or after[i].isdigit()
        or after[i] in WORDS.months  # "death toll january 2022"
        or after[i] in WORDS.figure_words  # "population number": the population's
    ]


def _titled(text: str) -> str:
    """The words after "what is the name of" or "name" when they hold an office title ("the
    Kazakh defence minister"); "" otherwise."""
    phrase = _name_asked(text)
    return phrase if any(w in WORDS.office_titles for w in words(phrase)) else ""


def _name_asked(text: str) -> str:
    """The words after "what is the name of" or "name": what a name is asked for; or a thing
    known by its proper name after "which" ("which Turkish company", "which drone model")."""
    m = _NAME_OF.match(_unpunctuated(text.strip()))
    if m:
        return re.sub(r"^of\s+", "", m.group(1) or m.group(2))
    which = _WHICH_NAMED.match(text.strip())
    return which.group(1) if which else ""


def _listed(lower: str) -> tuple[str, ...]:
    """The kinds of actor a list question asks for: "which countries" states, "what
    organisations" organisations; "which members" any."""
    m = _LISTED.search(lower)
    kind = WORDS.list_kinds.get(m.group(1)) if m else None
    return (kind,) if kind else ()


def _of_speech(word: str) -> bool:
    """A verb or noun that asks for someone's words ("say", "quotes")."""
    return word in WORDS.speech_verbs or word in WORDS.speech_nouns


def _own(said: list[str], at: int) -> bool:
    """Whether a verb of speech has the asker for its subject ("our draft says", "I said"):
    a claim to check, no one's words asked for."""
    return bool(set(said[max(0, at - OWN_REACH) : at]) & WORDS.first_person)


def _passive(said: list[str], at: int) -> bool:
    """Whether a participle of speech is passive ("when was the op-ed written", "which
    disputes are described as unsettled"): the text was written, the disputes described, no
    one's words are asked for; "what has X written" and "what was said by X" ask for them."""
    if said[at] in WORDS.speech_participles:
        return not set(said[max(0, at - PERFECT_REACH) : at]) & WORDS.perfect_auxiliaries
    return (
        said[at].endswith("ed")
        and bool(set(said[max(0, at - PASSIVE_REACH) : at]) & _BE)
        and said[at + 1 : at + 2] != ["by"]
    )


_AGENT = re.compile(r"[\w’']+\s+by\s+(?:the\s+)?")  # a verb of speech's agent: "described by"
_BE = frozenset(("is", "are", "was", "were", "been", "being", "be"))
PASSIVE_REACH = 2  # words between a form of "be" and the participle ("is often described")


def _attributive(said: list[str], at: int) -> bool:
    """Whether a participle of speech qualifies the noun after it ("Kazakhstan's proposed
    architecture", "the stated aim"): a thing described, no one's words asked for."""
    word, before = said[at], said[at - 1] if at else ""
    owner = re.sub(r"['’]s$", "", before)
    return word.endswith("ed") and (
        before in WORDS.determiners or (owner != before and owner not in STOPWORDS)
    )


def _giving_reasons(asking: list[str]) -> int | None:
    """Where a verb giving an argument has a noun naming one as its object, fronted by the
    question ("what reasons did X give", "what arguments does X offer"): a question for X's
    words, as much as "what did X say"; not "what reasons are there for X to give up Y"."""
    bare = [w.strip("?!.,;:") for w in asking]
    noun = next(
        (
            i
            for i, w in enumerate(bare[:-1])
            if w in WORDS.argument_nouns and bare[i + 1] in WORDS.fronting_auxiliaries
        ),
        None,
    )
    if noun is None:
        return None
    return next((i for i, w in enumerate(bare) if i > noun and w in WORDS.giving_verbs), None)


def _speaker(
    kb: Knowledge, text: str, found: tuple[Found, ...], sources: tuple[str, ...], free: bool
) -> tuple[str | None, tuple[str, ...]]:
    """Whose words are asked for: the actor named before the verb or noun of speech ("what
    did Putin say"), or right after "by"/"from" ("quotes by Xi"). When the question names a
    source and no such actor, the source speaks ("what does The Diplomat say about X").
    Also the words that stand where the speaker is named but name no actor ("what did
    japarov say"): the name of someone the fact base may not know."""
    tokens = [(m.start(), fold(m.group())) for m in re.finditer(r"[\w’']+", text)]
    asking = [at for at, w in tokens if _of_speech(w)]
    # the verb of speech, where there is one: "In their 2021 statement, what did Tashkent
    # say": the speaker stands by "say", not by the noun in the lead-in
    asked = len(_asking_part(text))  # not "... ? And what do the articles say?"
    verbs = [at for at, w in tokens if w in WORDS.speech_verbs and at < asked] or [
        # "what reasons did analysts give": with no verb of speech, "give" stands for one
        at
        for at, w in tokens
        if w in WORDS.giving_verbs and at < asked
    ]
    verb_at = (verbs or asking or [len(text)])[0]
    opens = max((m.end() for m in _CLAUSE_END.finditer(text, 0, verb_at)), default=0)
    said = words(_outside(text, found)[opens:verb_at])  # the verb's clause, not one before
    slot = [w for w in said if w not in STOPWORDS]  # "the article", "analysts", "japarov"
    names = tuple(  # of those, the ones that can only be names: no "the writer", "the piece"
        w
        for i, w in enumerate(said)
        if w in slot
        and i >= len(said) - SPEAKER_REACH  # by the verb ("what did japarov say")
        and w not in WORDS.question_words
        and w not in WORDS.author_words  # "the Diplomat writer": whoever wrote a source
        and w not in WORDS.own_documents  # "Draft says X called it ...": the asker's text
        and w not in WORDS.argument_nouns  # "what reasons did X give": what is asked
        and not _after_determiner(said, i)
        and not (w.endswith("est") and len(w) >= SUPERLATIVE_FROM)  # "the strongest quote"
    )
    ahead = [f for f in found if f.start < verb_at]
    if len(ahead) > 1 and not _spoken_of(text, ahead[0]):  # "X on Y - quote?": Y is spoken of
        ahead = [ahead[0], *(f for f in ahead[1:] if not _spoken_of(text, f))]
    if said[-1:] == ["it"] and (sources or any(kb.actors[f.actor].kind == "outlet" for f in ahead)):
        return None, ()  # "Haqqin praised X; what reasons did it give": the outlet's, no state's
    if not free and not asking and ahead and set(words(text[: ahead[0].start])) - STOPWORDS:
        return None, ()  # `/quote SPEAKER TOPIC` names the speaker first; later, it is topic
    agent = _AGENT.match(text, verb_at)  # "how is X described by Y": Y's words
    by = next((f for f in found if agent and f.start == agent.end()), None)
    if by is not None and kb.actors[by.actor].kind != "outlet":
        return by.actor, ()
    if ahead:
        if free and asking and _qualifies(text[ahead[-1].end : verb_at]):
            # "did Mirziyoyev endorse the plan? what did he say?": "he" is the first person
            # the question named before the verb's clause
            people = [f for f in ahead if f.start < opens and kb.actors[f.actor].kind == "person"]
            if opens and not slot and set(said) & WORDS.third_person and people:
                return people[0].actor, ()
            return None, ()  # "Russian TV hosts", "Tokayev's critics": not the actor's words
        # a question names the speaker next to the verb; `/quote SPEAKER TOPIC` first
        speaker = _first_of_pair(text, ahead) if free and asking else ahead[0]
        return (None if kb.actors[speaker.actor].kind == "outlet" else speaker.actor), ()
    for f in found:
        before = text[: f.start].split()
        if before and fold(before[-1]) in ("by", "from"):
            return (None if kb.actors[f.actor].kind == "outlet" else f.actor), ()
    if sources or slot:  # the source speaks; or someone not an actor ("analysts", "japarov")
        return None, names
    spoken = (  # "what is everyone saying about NATO": NATO is spoken of, not speaking
        f.actor for f in found if kb.actors[f.actor].kind != "outlet" and not _spoken_of(text, f)
    )
    return next(spoken, None), ()


def _office_holders(kb: Knowledge, text: str, found: tuple[Found, ...]) -> tuple[Found, ...]:
    """Names of a state's office read as its holder, as the fact base records it ("president
    of"): "China's leader", "the president of Russia", "the Chinese and Russian leaders" name
    Xi and Putin, "Uzbekistan's first president" Karimov; "leader" and "head" stand for
    whoever holds the top office now. "former president": not the one holding it now."""
    out = []
    for i, f in enumerate(found):
        holders = kb.leaders.get(f.actor, ())
        office = _office_named(text, f, found[i + 1 :]) if holders else []
        if holders and not office and _led(text, f):
            office = [next(iter(WORDS.top_office_words))]  # "who leads X": its top office
        held = [p for p in holders if office in _offices(kb, p, f.actor)]
        if office and not held and not set(office) & WORDS.past_qualifiers:
            now = [
                p
                for p in holders
                if not any(set(o) & WORDS.past_qualifiers for o in _offices(kb, p, f.actor))
            ]
            title = office[-1]
            held = [p for p in now if any(o[-1] == title for o in _offices(kb, p, f.actor))]
            if not held and title in WORDS.top_office_words:
                held = now[:1]
        out.append(replace(f, actor=held[0]) if held else f)
    return tuple(out)


def _described(
    kb: Knowledge, text: str, found: tuple[Found, ...], command: bool = False
) -> tuple[Found, ...]:
    """People named by their role as the fact base records it ("the university lecturer",
    "the Danish researcher", "the Russian TV host"): DESCRIBED_FROM words or more right after
    "the" (or opening a command's argument), every one a word of one person's role and of no
    one else's. The description replaces the names it holds ("Russian": the host, not
    Russia)."""
    out = list(found)
    # a command's argument may open with the description ("/quote Russian TV host")
    for m in (_COMMAND_START if command else _DESCRIPTION).finditer(text):
        said = list(itertools.islice(_TOKEN.finditer(text, m.end()), DESCRIBED_UPTO))
        for n in range(len(said), DESCRIBED_FROM - 1, -1):  # the longest description first
            named = set(terms(" ".join(w.group() for w in said[:n])))
            head = stem(fold(said[n - 1].group()))  # "the Baku outlet" is no writer
            who = [
                p
                for p, role in kb.role_words.items()
                if len(named) >= n and named <= role and head in kb.role_heads[p]
            ]
            if len(who) == 1:
                start, end = said[0].start(), said[n - 1].end()
                out = [f for f in out if f.end <= start or f.start >= end]
                out.append(Found(actor=who[0], start=start, end=end, exact=True))
                break
    return tuple(sorted(out, key=lambda f: f.start))


def _led(text: str, named: Found) -> bool:
    """Whether a question asks who leads the actor now ("who leads Uzbekistan", "who runs
    Russia"): the verb right before its name, in the present tense."""
    said = words(text[: named.start])
    return len(said) == 2 and said[0] == "who" and said[1] in WORDS.leading_verbs


def _alternatives(text: str, found: tuple[Found, ...]) -> tuple[str, ...]:
    """Actors named as alternatives, joined by "or" ("Kirsanov or Mardan"): the passage that
    answers names one of them, not both."""
    out: list[str] = []
    for a, b in itertools.pairwise(found):
        if text[a.end : b.start].strip(" ,").lower() == "or":
            out += [a.actor, b.actor]
    return tuple(dict.fromkeys(out))


def _unheld(kb: Knowledge, text: str, found: tuple[Found, ...]) -> tuple[tuple[str, str, str], ...]:
    """Offices of a state the question names, one person's ("the Kyrgyz president", "the
    Tajik leader"; not "leaders"), that no one in the fact base holds now."""
    out = []
    office: list[str] = []
    for i, f in enumerate(found):
        # "the presidents of Turkmenistan and Tajikistan": the office of the name before
        joined = i and office and _joins(text[found[i - 1].end : f.start])
        office = office if joined else _office_named(text, f, found[i + 1 :])
        if kb.actors[f.actor].kind not in ("state", "organisation", "outlet"):
            continue  # an office one of its leaders holds named them instead (_office_holders)
        vague = not office or office[-1] in WORDS.top_office_words  # "Tajik leaders"
        if office and office[-1] in words(kb.actors[f.actor].name):
            continue  # "the Russian Foreign Ministry": the office is the actor named
        if not vague and not set(office) & WORDS.past_qualifiers:
            out.append((f.actor, office[-1], f"{kb.actors[f.actor].name}'s {' '.join(office)}"))
    return tuple(out)


def _office_named(text: str, named: Found, after: tuple[Found, ...]) -> list[str]:
    """The office said of a name, its words up to the title: after it, past a possessive and
    other names joined by "and" ("China's leader", "Uzbekistan's first president", "Chinese
    and Russian leaders"), or before "of" ("the president of Russia"); [] when none."""
    before = words(text[: named.start])[-OFFICE_REACH:]
    title = (before or [""])[0]
    title = title if title in WORDS.office_titles else title.removesuffix("s")
    if len(before) == OFFICE_REACH and before[1] == "of" and title in WORDS.office_titles:
        return [title]  # "the president of Russia", "the presidents of A and B"
    end = named.end
    for f in after:  # "Chinese and Russian leaders": past the names joined to this one
        if not _joins(text[end : f.start]):
            break
        end = f.end
    rest = words(re.sub(r"^['’]s\b", "", text[end:].lstrip()))[:TITLE_WORDS]
    for n, word in enumerate(rest):  # "prime minister": the title is its last word
        word = re.sub(r"['’]s$", "", word)  # "Kyrgyzstan's president's position"
        word = word if word in WORDS.office_titles else word.removesuffix("s")
        if word in WORDS.office_titles:
            return [*rest[:n], word]
    return []


def _offices(kb: Knowledge, person: str, of: str) -> list[list[str]]:
    """The offices a person holds over an actor, each its words before "of" ("first
    president")."""
    return [m.relation.split()[:-1] for m in kb.actors[person].memberships if m.of == of]


def _spoken_of(text: str, named: Found) -> bool:
    """Whether a name stands in a phrase after "about", "on" or "regarding" ("about a Central
    Asian NATO"): the topic of what is said."""
    before = words(text[: named.start])[-SPOKEN_OF_REACH:]
    return bool(WORDS.topic_prepositions & set(before))


def _qualifies(between: str) -> bool:
    """Whether words between the last actor named and the verb of speech make the actor a
    qualifier of whoever speaks ("Russian TV hosts say", "Tokayev's critics said"); an
    adverb does not ("Putin personally said")."""
    said = words(between)
    if said[:1] and said[0] in WORDS.topic_prepositions:
        return False  # "Anceschi on sanctions - quote?": the speaker, then the topic
    voices = WORDS.office_titles | WORDS.state_voices
    return any(
        w not in STOPWORDS and w not in WORDS.question_words and len(w) > 1
        for w in words(between)
        if w not in voices and w.removesuffix("s") not in voices and not w.endswith("ly")
    )


def _joined(
    kb: Knowledge, text: str, found: tuple[Found, ...], speaker: str | None
) -> tuple[str, ...]:
    """The speaker and the people or states joined to it by "and" ("what did Mardan and
    Kirsanov say"): each one's words are asked for."""
    if speaker is None:
        return ()
    out = [speaker]
    at = next((i for i, f in enumerate(found) if f.actor == speaker), None)
    if at is None:
        return (speaker,)
    for before, f in itertools.pairwise(found[at:]):  # "Xi SCO": a speaker and a topic
        if not _joins(text[before.end : f.start]):
            break
        if kb.actors[f.actor].kind == "outlet":
            break
        out.append(f.actor)
    return tuple(dict.fromkeys(out))


_DASH = re.compile(r"\s?[-–—]\s?")
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’']*(?:\s+[A-Z][\w’']*)*")
PAIRED_HEAD = 2  # words after a dash compound that name what its two sides share


def _paired(kb: Knowledge, text: str, found: tuple[Found, ...]) -> tuple[Paired, ...]:
    """Two sides joined by a dash before the words they qualify ("US–Kazakhstan trade",
    "the China–Central Asia summit"): a name of each side, an actor or a capitalised name
    ("Central Asia", or "central asia" where the articles write it so), so not
    "Russian-led", "Baku-based" or "pro-Kremlin"."""
    out = []
    for f in found:
        dash = _DASH.match(text, f.end)
        if not dash:
            continue
        other = next((g for g in found if g.start == dash.end() and g.actor != f.actor), None)
        side: tuple[str, ...]
        if other is not None:
            side, end = (actor_key(other.actor),), other.end
        else:
            name = _CAPITALISED_RUN.match(text, dash.end()) or _lower_name(kb, text, dash.end())
            if not name or any(w in STOPWORDS for w in words(name.group())):
                continue
            side, end = tuple(terms(name.group())), name.end()
        heads: list[str] = []
        for w in words(text[end:]):
            if w in STOPWORDS or w in WORDS.question_words or len(heads) == PAIRED_HEAD:
                break
            heads.append(stem(w))
        if heads and side:
            out.append(Paired((actor_key(f.actor),), side, tuple(heads)))
    return tuple(out)


LOWER_NAME_WORDS = 3  # at most this many lower-case words read as one name


def _lower_name(kb: Knowledge, text: str, at: int) -> re.Match[str] | None:
    """The longest run of lower-case words from `at` that the articles write as a name
    ("central asia summit": "central asia")."""
    for n in range(LOWER_NAME_WORDS, 1, -1):
        run = re.compile(rf"[a-z][\w’']*(?:\s+[a-z][\w’']*){{{n - 1}}}\b").match(text, at)
        if run and " ".join(words(run.group())) in kb.names_of_words:
            return run
    return None


def _joins(between: str) -> bool:
    """Whether the text between two names joins them as one list ("A and B", "A, B")."""
    return between.strip().lower() in (",", "and", "&", ", and")


def _first_of_pair(text: str, ahead: list[Found]) -> Found:
    """The speaker among actors named before the verb: the one nearest it ("Kazakh President
    Tokayev said"), or the first of those joined by "and" ("Putin and Xi said"), or the one
    whose affiliation follows ("X of the University of Y said": X)."""
    speaker = ahead[-1]
    for f in reversed(ahead[:-1]):
        between = text[f.end : speaker.start].strip(" ,&").lower()
        if between not in ("", "and") and not _AFFILIATED.fullmatch(between):
            break
        speaker = f
    return speaker


_AFFILIATED = re.compile(r"(?:of|at|from)(?:\s+the)?")  # "X of the University of Y"


def named_sources(
    kb: Knowledge, text: str, found: tuple[Found, ...], titles: dict[str, tuple[int, int]]
) -> tuple[str, ...]:
    """Source files a question names by their author, outlet or title ("per Khamidov", "the
    Diplomat piece", "Shifting Sands"; `titles`: Knowledge.titles_in): its answer comes from
    them. In the order named: "A vs B" shows A first."""
    folded = " ".join(words(text))
    at: dict[str, int] = {}
    for names, files in kb.outlet_names.items():
        spots = [m.start() for n in names if n for m in [_outlet_at(kb, n, folded)] if m]
        spots += [m.start() for n in names if n for m in [_shortened_at(n, folded)] if m]
        for f in files if spots else ():
            at[f] = min(at.get(f, len(folded)), min(spots))
    for file, (spot, _) in titles.items():
        at[file] = min(at.get(file, len(folded)), spot)
    for hit in found:
        spot = len(" ".join(words(text[: hit.start])))  # where it stands in `folded`
        for f in sources_named_by(kb, hit.actor):
            at[f] = min(at.get(f, len(folded)), spot)
    return tuple(sorted(at, key=lambda f: (at[f], kb.source_index[f])))


def _shortened_at(name: str, folded: str) -> re.Match[str] | None:
    """Where the question names an outlet of three words or more by its first two, before a
    word for a text: "the Lennart Meri piece" for the Lennart Meri Conference."""
    short, third = _first_two(name)
    if not short or short not in folded:  # most questions name no outlet: nothing to look at
        return None
    for m in re.finditer(rf"\b{re.escape(short)}\b", folded):
        after = folded[m.end() :].split()[:1]
        if after and after[0] in WORDS.question_words and after[0] != third:
            return m
    return None


@lru_cache(maxsize=NAMES_KEPT)
def _first_two(name: str) -> tuple[str, str]:
    """A name's first two words and its third; ("", "") when it is shorter than
    SHORTENED_FROM words. Outlet names are few: each is split once."""
    said = name.split()
    return (" ".join(said[:2]), said[2]) if len(said) >= SHORTENED_FROM else ("", "")


def _outlet_at(kb: Knowledge, name: str, folded: str) -> re.Match[str] | None:
    """Where the question names an outlet by this name. A one-word name that is also an
    everyday word of the articles names it only after "the" or before a word for a text:
    "the Diplomat piece", "diplomat article", not "was Toqaev a diplomat"."""
    if name not in folded:  # most questions name no outlet: no pattern to build
        return None
    for m in re.finditer(rf"\b{re.escape(name)}\b", folded):
        after = folded[m.end() :].split()[:1]
        if (
            " " in name
            or name not in kb.words
            or folded[: m.start()].endswith("the ")
            or (after and after[0] in WORDS.question_words)
        ):
            return m
    return None


def _with_those_heard(
    kb: Knowledge, sources: tuple[str, ...], others: list[str]
) -> tuple[str, ...]:
    """A comparison of an author (or outlet) with a person heard in other articles: the
    sources named and those naming the person, or half the comparison is silently left out."""
    heard = {
        f
        for a in others
        if kb.actors[a].kind == "person" and (stats := kb.stats.get(a))
        for f in stats.mentions
    }
    if not heard:
        return sources
    return (*sources, *(s.file for s in kb.fb.sources if s.file in heard - set(sources)))


def sources_named_by(kb: Knowledge, actor: str) -> frozenset[str]:
    """The sources the actor is the author or outlet of: once per actor and fact base."""
    kept = kb.named_by.get(actor)
    if kept is None:
        a = kb.actors[actor]
        files = {s.file for s in kb.written_by(a.name)}
        if a.kind == "outlet":
            for raw, fs in kb.by_outlet.items():
                if any(n in raw for n in (a.name, *a.aliases)):
                    files.update(fs)
        kept = kb.named_by[actor] = frozenset(files)
    return kept


def _names_source(kb: Knowledge, actor: str) -> bool:
    """Whether the actor is the author or outlet of any source."""
    return bool(sources_named_by(kb, actor))


def _expects(
    command: str, lower: str, text: str, found: tuple[Found, ...], content: list[str]
) -> Expect:
    if command == "actor":
        return "actor"
    if command == "quote":
        return "speech"
    if command == "timeline":
        return "date"
    if command == "compare":
        return "compare"
    if command == "brief":
        return "topic"
    if _OVERVIEW.match(lower):
        return "overview"
    if setting := _SCENE_FIRST.match(text):  # "When Yerevan asked for help, what did ...":
        # the clause before the comma says when; the one after asks (offsets kept for names)
        lower = " ".join(lower.split()[len(words(setting.group())) :])
        text = " " * setting.end() + text[setting.end() :]
    likened = _LIKENED.search(lower) is not None  # someone's comparison, asked about
    if _FORMS[0][1].search(lower) and not likened:
        return "compare"  # "how does X's quote differ between ...": a comparison first
    asking = _TELL_ME.sub(" ", _NAMED.sub(" ", lower)).split()
    # the main clause's words: "how did X respond when Y asked ..." asks for no one's words
    scene = next((i for i, w in enumerate(asking) if i and w in WORDS.subordinators), None)
    if relative := _RELATIVE.search(text):  # ", which X calls ...": says more of what is asked
        scene = min(scene or len(asking), len(words(text[: relative.start()])))
    at = next(
        (
            i
            for i, w in enumerate(asking[:scene])
            if _of_speech(w)
            and not _passive(asking, i)
            and not _attributive(asking, i)
            and not _own(asking, i)
            and not set(asking[i + 1 : i + 2]) & WORDS.unspoken_particles  # "called off"
        ),
        None,
    )
    if at is None:
        at = _giving_reasons(asking[:scene])
    # "what do the articles say about X" asks what they say of X, not for anyone's words
    said_by = [w for w in asking[:at] if w not in STOPWORDS] if at is not None else []
    by_articles = bool(said_by) and (  # "X: what do the articles say?" too
        all(w in WORDS.question_words for w in said_by) or said_by[-1] in WORDS.question_words
    )
    # "who said ...", or said as keywords ("warned against X sco"): asks for a speaker
    first = next(iter(words(last_clause(text))), "")
    asks_who = first == "who" or first in WORDS.speech_verbs
    # "japarov quote on X": a word opening the question before the noun of speech is whose
    named_first = at == 1 and asking[0] not in STOPWORDS and asking[0] not in WORDS.question_words
    if (found or named_first) and at is not None and not by_articles and not asks_who:
        return "speech"  # "who said ..." asks for a speaker: the sentence that names them
    # "when did X, and how many years later did Y": the first question says what is asked
    second = _SECOND_ASK.search(text)
    first_ask = " ".join(lower.split()[: len(words(text[: second.start()]))]) if second else lower
    for expect, pattern in _FORMS:
        if pattern.search(first_ask) and not (expect == "compare" and likened):
            return expect
    if _measured(lower):
        return "count"  # "what is X's population" asks for a number, not X's profile
    titled = _titled(text)
    if titled and any(w in WORDS.office_titles for w in _leftover(titled, found, text)):
        return "person"  # "what's the name of X's defence minister": who holds the title
    if _name_asked(text):
        return "name"  # "the name of X's air base": a proper name beside the base, not a topic
    # after a statement, offsets kept; before a note ("who is X? for a panel")
    who = _WHO_IS.match(_unpunctuated(_asking_part(text)).lstrip())
    subject = _who_subject(who) if who else ""
    # "who is X and ...", "who is X - for a panel": X
    named = re.split(r"\s+and\s+|\s+[-–—]+\s+", subject, maxsplit=1, flags=re.I)[0]
    if _PERSON.match(lower) and (not who or _leftover(named, found, text)):
        return "person"  # "who is the president of X": not X's profile
    if found and who and _names_only(subject, found, text):
        return "actor"
    if lower.startswith("who") and found and named != subject and not _leftover(named, found, text):
        return "actor"  # "who is X and what's his take?": the profile says both
    if (
        found
        and not re.search(r"(?:^|[^\w’'])(how|why|what|which|who|whose)\b", lower)
        and _names_only(text, found, text)
    ):
        return "actor"
    return "topic"


def _who_subject(who: re.Match[str]) -> str:
    """What "who is X" asks about: X, whichever form of the question matched."""
    return who.group(1) or who.group(2) or who.group(3) or ""


def _after_determiner(said: list[str], i: int) -> bool:
    """Whether the word at `i` ends a noun phrase a determiner opens, with at most
    QUALIFIERS words between ("the writer", "the Danish guy"): a common noun, no name."""
    for j in range(i - 1, max(-1, i - 2 - QUALIFIERS), -1):
        if said[j] in WORDS.determiners:
            return True
        if said[j] in STOPWORDS:
            return False
    return False


def _names_a_person(kb: Knowledge, subject: str) -> bool:
    """Whether what "who is ..." asks for is a person by its noun: an office ("the
    president of X") or a noun some person's role is ("the Baku analyst"); "the region's
    main partner" may be a state. True when it has no noun to read."""
    head = _SUBJECT_ENDS.split(subject.lower())[0]
    said = [w for w in words(head) if w not in STOPWORDS]
    if not said:
        return True
    people = {h for heads in kb.role_heads.values() for h in heads}
    # the last two words: a title may end in a word of its own ("secretary general")
    return any(stem(w) in people or stem(w) in _OFFICE_STEMS for w in said[-2:])


def _in_titles(text: str, found: tuple[Found, ...], titles: dict[str, tuple[int, int]]) -> set[str]:
    """Actors named only inside a title the question names ("who wrote Kazakhstan calls for
    a new security system"): the article is asked about, not them."""
    spans = titles.values()
    if not spans:
        return set()
    inside: dict[str, bool] = {}
    for f in found:
        spot = len(" ".join(words(text[: f.start])))  # where it stands in the folded words
        within = any(lo <= spot + (spot > 0) < hi for lo, hi in spans)
        inside[f.actor] = inside.get(f.actor, True) and within
    return {a for a, only in inside.items() if only}


def _asked_about(kb: Knowledge, actors: list[str]) -> tuple[str, ...]:
    """The actors a passage must speak of: a state whose leader the question also names is
    spoken of by the leader ("does Tokayev want Kazakhstan out of ..."): the articles name
    a president without his country, and either would be read as asked about."""
    led = {m.of for a in actors for m in kb.actors[a].memberships if leads(m.relation)}
    return tuple(a for a in actors if a not in led)


def _names_only(subject: str, found: tuple[Found, ...], text: str) -> bool:
    """Whether the words are essentially one name: at most one content word beside it."""
    return len({f.actor for f in found}) == 1 and len(_leftover(subject, found, text)) <= 1


def _leftover(subject: str, found: tuple[Found, ...], text: str) -> list[str]:
    """The content words of `subject` that are not part of a name."""
    for f in found:
        subject = subject.replace(text[f.start : f.end], " ")
    return [w for w in words(subject) if w not in STOPWORDS]


def _outside(text: str, found: tuple[Found, ...]) -> str:
    """The text with the actor names blanked out: what is left is the topic."""
    out = list(text)
    for f in found:
        out[f.start : f.end] = " " * (f.end - f.start)
    return "".join(out)


def _content_terms(kb: Knowledge, text: str) -> list[str]:
    """Content terms, typos mended against the corpus's words before stemming (a stem is too
    short to mend), a month's short name in full."""
    out = []
    said = words(text)
    for at, word in enumerate(said):
        word = word.removesuffix("'s")
        # "Article 4": a name, whose word is searched though it may name a source elsewhere
        # (not "year 2022": a year is when)
        numbered = at + 1 < len(said) and said[at + 1].isdigit() and len(said[at + 1]) < 4
        if (
            word in STOPWORDS
            or word in WORDS.honorifics  # "Mr Khamidov": Khamidov is asked about
            or (word in WORDS.question_words and not numbered)
            or len(word) < 2
        ):
            continue
        word = mend(kb, _MONTH_IN_FULL.get(word, word))
        out += terms(word)
    return out


def spelled(kb: Knowledge, text: str) -> list[str]:
    """The words of remembered or quoted text as the articles spell them, typos mended: to be
    found word for word."""
    return [mend(kb, w) for w in words(text)]


def mend(kb: Knowledge, word: str) -> str:
    """The corpus word a typo most likely meant; the word itself when the corpus knows it."""
    if word in kb.words or len(word) < MEND_FROM or word.isdigit():
        return word
    if stem(word) in kb.sentence_index.idf:
        return word  # another form of a word the articles use ("formed": "form")
    near = kb.words_by_initial.get(word[0], [])
    root = stem(word)
    if len(root) >= MEND_FROM and any(w.startswith(root) for w in near):
        return word  # a relative of a word the articles use ("compete": "competition")
    edits = 1 if len(word) < LONG_WORD else 2
    # Typos seldom change the first letter; meaning does ("tanks" is not "ranks").
    best = process.extractOne(word, near, scorer=OSA.distance, score_cutoff=edits)
    if best:
        return str(best[0])
    single = kb.singular_by_initial.get(word[0], []) if len(word) >= SINGULAR_FROM else []
    best = process.extractOne(word, single, scorer=OSA.distance, score_cutoff=edits)
    if best:  # "mecanism": the articles write only "mechanisms"
        return str(best[0])
    if "-" in word.strip("-"):  # "kygryz-tajik", no compound of the articles: part by part
        return "-".join(mend(kb, part) for part in word.split("-"))
    return word
