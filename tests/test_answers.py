"""answer(kb, query): the right kind of answer, about the right actor, citing the right words."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import messages
from bot.core.answer import answer
from bot.core.answers.actor import actor_answer
from bot.core.answers.common import key_sentences
from bot.core.answers.topic import AROUND_WEIGHT, around, covering
from bot.core.evidence import enumerates, other_in_series, place_named, says_how_long, states_reason
from bot.core.knowledge import Knowledge
from bot.core.question import read
from bot.core.rank import ACTOR_WEIGHT, Scored, rank
from bot.core.text import stem
from bot.models import Answer

Ask = Callable[[str], Answer]

# (query, kind, actor id or None, words that must be in one of the top three passages)
ANSWERS = [
    # /brief
    ("/brief drones", "brief", None, "exported drones"),
    ("/brief Armenia CSTO Article 4", "brief", None, "invoked CSTO Article 4"),
    ("/brief taliban afghanistan", "brief", None, "Taliban"),
    ("/brief russian military base tajikistan", "brief", None, "201st military base"),
    # /actor, incl. transliterations and typos
    ("/actor toqaev", "actor", "tokayev", "indivisible security space"),
    ("/actor qasym-zhomart toqaev", "actor", "tokayev", "Kassym-Jomart Tokayev proposed"),
    ("/actor Mirziyoev", "actor", "mirziyoyev", "came to power in 2016"),
    ("/actor Komilov", "actor", "kamilov", "former Uzbek foreign minister"),
    ("/actor Pashinyan", "actor", "pashinian", "Armenian Prime Minister Nikol Pashinian"),
    ("/actor kyrgystan", "actor", "kyrgyzstan", "Kyrgyzstan"),
    ("/actor us", "actor", "usa", "The US has increased"),  # a command names: not "us"
    ("/actor West", "actor", "the_west", "the West has intensified"),  # named "the West"
    # a capitalised word opening a sentence of the question is no unknown name
    ("Tell me about the CSTO. Thanks", "actor", "csto", "Collective Security Treaty"),
    # /quote by speaker and by phrase
    ("/quote keosayan", "quote", "keosayan", "Look carefully at what is happening"),
    ("/quote Mardan", "quote", "mardan", "cannot be called viable"),
    ("/quote the chinese leader", "quote", "xi", "consolidate unity"),
    ("/quote toga", "quote", None, "toga of a political thinker"),
    ("/quote indivisible security", "quote", None, "indivisible security"),
    ("/quote security guarantor", "quote", None, "security guarantor"),
    ("/quote Mambet revolution", "quote", None, "Mambet revolution"),
    # /timeline
    ("/timeline", "timeline", None, "early 1990s"),
    ("/timeline csto", "timeline", "csto", "Collective Security Treaty Organization in 2002"),
    ("/timeline uzbekistan", "timeline", "uzbekistan", "Uzbekistan"),
    # free text -> actor
    ("tell me who Fuad Shahbazov is", "actor", "shahbazov", "Baku-based political analyst"),
    ("who is the chinese leader", "actor", "xi", "Chinese President Xi Jinping"),
    ("what is the CSTO?", "actor", "csto", "regional military alliance in Eurasia"),
    ("tell me about Keosayan", "actor", "keosayan", "TV host Tigran Keosayan"),
    ("<@U123> who is putin", "actor", "putin", "Vladimir Putin"),
    # who someone is, and more: the profile gives both (role, then their words)
    ("who is Shahbazov and what does he make of the plan?", "actor", "shahbazov", "analyst"),
    (
        "who is the U.S.?",
        "actor",
        "usa",
        "The US has increased",
    ),  # an acronym's stop is no full stop
    # free text -> quote
    ("what did Mardan say about the defense union?", "quote", "mardan", "defense union"),
    ("what did Kirsanov write about Toqaev?", "quote", "kirsanov", "toga"),
    ("what did putin say about eurasia", "quote", "putin", "indivisible security"),
    ("what did Tokayev say about international law", "quote", "tokayev", "international law"),
    ("what did Novruzova write about the Kremlin?", "quote", "novruzova", "Kremlin elites"),
    ("what did the uzbek authorities say about the CSTO", "quote", "uzbekistan", "no need"),
    # free text -> timeline
    ("when did Russia invade Ukraine?", "timeline", None, "February 24, 2022"),
    ("when did Azerbaijan attack Armenia?", "timeline", None, "In September 2022"),
    ("when did the Taliban return to power?", "timeline", "taliban", "August 2021"),
    ("when did Mirziyoyev come to power?", "timeline", "mirziyoyev", "in 2016"),
    ("when did Uzbekistan rejoin the CSTO?", "timeline", None, "in 2005, Uzbekistan rejoined"),
    # free text -> brief
    ("why is Armenia disappointed with the CSTO?", "brief", None, "Armenia’s security"),
    ("what is the Middle Corridor?", "brief", None, "6,500-kilometer trade route"),
    ("how many troops are at Russia's base in Tajikistan?", "brief", None, "7 000 troops"),
    # the name before the counted noun is no count of its own
    ("how many russian troops are in tajikistan", "brief", None, "7 000 troops"),
    ("how many youtube subscribers does khod mysley have", "brief", None, "450,000"),
    ("how many died in the january 2022 unrest", "brief", None, "230 dead"),  # a verb
    # countries counted by naming them; a place named with no preposition
    ("how many countries took part in birlestik-2024", "brief", None, "Birlestik-2024"),
    ("where did the csto exercise rubezh-2021 happen", "brief", "csto", "Balykchi"),
    # "brief me on X" is a briefing on X, not the overview
    ("brief me on the Middle Corridor", "brief", None, "6,500-kilometer trade route"),
]


@pytest.mark.parametrize(
    "query", ["brief me on the Middle Corridor", "brief me the Middle Corridor"]
)
def test_brief_me_is_a_briefing_on_what_follows(ask: Ask, query: str) -> None:
    """ "Brief me X", as typed in chat, is a briefing on X, as "brief me on X" is: its heading
    names X alone, and "brief me" is no word of the topic."""
    assert ask(query).heading == "Briefing: the Middle Corridor"


@pytest.mark.parametrize(("query", "kind", "actor", "fragment"), ANSWERS)
def test_answer(ask: Ask, query: str, kind: str, actor: str | None, fragment: str) -> None:
    result = ask(query)
    assert result.kind == kind, result.heading
    assert (result.actor.id if result.actor else None) == actor
    top = [p.text for p in result.passages[:3]]
    assert any(fragment in t for t in top), top


@pytest.mark.parametrize(
    ("query", "speaker"),
    [
        ("/quote anceschi", "Luca Anceschi"),
        ("what did Shahbazov say?", "Fuad Shahbazov"),
        # a speaker named in full: both words are the name, neither is a topic
        ("/quote Xi Jinping", "Xi Jinping"),
        ("what did Fuad Shahbazov say", "Fuad Shahbazov"),
    ],
)
def test_quote_passages_carry_the_speaker(ask: Ask, query: str, speaker: str) -> None:
    result = ask(query)
    assert result.passages
    assert {p.speaker for p in result.passages} == {speaker}


@pytest.mark.parametrize(
    ("query", "source"),
    [
        ("what does rfe/rl say about azerbaijan", "004_"),
        ("what does the diplomat say about afghanistan", "002_"),
    ],
)
def test_what_a_source_says_comes_from_that_source(ask: Ask, query: str, source: str) -> None:
    """The source named is the speaker; what it is asked about is the topic, not a speaker."""
    result = ask(query)
    assert result.grade == "answered"
    assert result.passages
    assert all(p.source.startswith(source) for p in result.passages)


@pytest.mark.parametrize(
    ("query", "source"),
    [
        ("summary of the diplomat article", "002_"),  # the outlet is the only word left
        ("what is the arab news column about", "001_"),  # an original outlet
        ("main argument of the caspian alpine piece", "000_"),
        ("what does the lmc article conclude", "003_"),
        ("what does caspian alpine argue", "000_"),  # an outlet that is an actor
        ("/actor the diplomat", "002_"),  # an outlet that is no actor
    ],
)
def test_what_a_named_article_argues_is_its_key_sentences(
    ask: Ask, kb: Knowledge, query: str, source: str
) -> None:
    """A question that names an article and asks only what it argues is answered with its
    key sentences, never 'not in the articles' (its words are not in its text)."""
    result = ask(query)
    assert (result.kind, result.grade) == ("brief", "answered")
    digest = next(d for d in kb.fb.digests if d.source.startswith(source))
    for p, sid in zip(result.passages[:3], digest.summary[:3], strict=True):
        key = kb.fb.sentences[sid]  # shown with the sentence before it if it refers back
        assert p.source == key.source and p.start <= key.start and key.end <= p.end


def test_an_author_asked_about_a_topic_answers_on_the_topic(ask: Ask) -> None:
    """'What does <author> say about X' is their article on X, not their profile."""
    result = ask("what does aluwaisheg say about uzbekistan")
    assert result.kind == "brief"
    assert all(p.source.startswith("001_") for p in result.passages)
    assert "Uzbekistan" in result.passages[0].text or "Uzbek" in result.passages[0].text


def test_an_outlet_profile_shows_what_its_article_argues(ask: Ask, kb: Knowledge) -> None:
    result = ask("/actor caspian alpine")
    assert result.profile is not None and result.profile.wrote
    digest = next(d for d in kb.fb.digests if d.source.startswith("000_"))
    key = kb.fb.sentences[digest.summary[0]]
    assert any(p.start <= key.start and key.end <= p.end for p in result.passages)
    assert any("published" in n for n in result.notes)


@pytest.mark.parametrize(
    "query",
    [
        "what do analysts say about the csto",
        "what did experts say about the csto",
        "what did the researcher say about the csto",  # a common noun, never a name
        "what did the young fellow say about the csto",  # a determiner, a word, its noun
    ],
)
def test_a_speaker_who_is_no_actor_is_not_replaced_by_the_topic(ask: Ask, query: str) -> None:
    """'What do analysts say about the CSTO' asks for words on the CSTO, not the CSTO's own;
    a kind of people the articles never name ("experts") is no unknown name."""
    result = ask(query)
    assert result.grade == "answered"
    assert all(p.speaker != "Collective Security Treaty Organization" for p in result.passages)


@pytest.mark.parametrize(
    "query",
    [
        "what was beijing's response to the proposal",  # an alias of China
        "what is the writer's view of the csto",  # a common noun after "the"
        "what did the Arab News column say about the gcc?",  # a word of an outlet's name
        "what happened in Kazakhstan in Jan 2022?",  # a month, shortened
        "Explain the Tokayev Doctrine",  # a known name's title, capitalised with it
        "What is the Russia-China Dynamic in Central Asia?",
        "What Is The Outlook For The CSTO Alliance",  # title case: capitals name nothing
        "Russian Garrisons Kyrgyzstan Tajikistan Size",  # every word capitalised
        "is Sino-Russian rivalry in the region growing",  # a combining form and a known word
        "clashes on the Kygryz-Tajik border",  # a typo in one part of a compound
        "is the Euor-Atlantic model outdated",  # a typo of a combining form ("Euro-")
        "is Islamist militancy from Afghanistan a threat",  # made from "Islam", in the text
        "whta's happening between kyrgyzstan and tajikistan",  # a small word mistyped
        "what happened in Central Asai in 2022?",  # two letters swapped in a short word
        "trade Vs security in Central Asia",  # a word that asks, capitalised
        # a known name qualifying an everyday word no article uses ("inspired")
        "is Eurasian-inspired thinking behind the proposal",
    ],
)
def test_capitals_that_name_nothing_unknown(ask: Ask, query: str) -> None:
    assert ask(query).grade == "answered"


def test_a_short_month_is_searched_in_full(ask: Ask) -> None:
    """ "Jan 2022" finds what the articles date "January 2022"."""
    short, full = (
        ask("how many people died in jan 2022"),
        ask("how many people died in january 2022"),
    )
    assert short.passages[:3] == full.passages[:3]


@pytest.mark.parametrize(
    ("wrapped", "bare"),
    [
        (
            "hey, what did Mardan tell his Telegram followers?",
            "what did Mardan tell his Telegram followers?",
        ),
        (
            "can you tell me who compared Kazakhstan to Ukraine? thanks",
            "who compared Kazakhstan to Ukraine?",
        ),
        (  # a sentence of context: no part of what is asked
            "I'm preparing a note for my team. What did Mardan say about the proposal?",
            "What did Mardan say about the proposal?",
        ),
    ],
)
def test_a_greeting_or_a_courtesy_changes_no_answer(ask: Ask, wrapped: str, bare: str) -> None:
    """ "Hey", "can you tell me", "thanks" ask nothing: never an unknown name, never a speaker."""
    assert ask(bare).grade == "answered"
    assert ask(wrapped).passages == ask(bare).passages


@pytest.mark.parametrize("name", ["tajikistan", "mirziyoyev", "afghanistan"])
def test_what_the_articles_say_about_an_actor_is_a_briefing(ask: Ask, name: str) -> None:
    """'What do the articles say about X' asks what they say of X, not for X's own words."""
    result = ask(f"what do the articles say about {name}")
    assert (result.kind, result.grade) == ("brief", "answered")
    # the articles' words asked for after the topic: about X (its profile or a briefing)
    result = ask(f"{name} threat: what do the sources say?")
    assert result.grade == "answered" and result.kind in ("brief", "actor")


def test_quotes_are_shown_once(ask: Ask) -> None:
    texts = [p.text for p in ask("/quote indivisible security space").passages]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize(
    ("query", "lead"),
    [
        ("when did Russia invade Ukraine?", "February 24, 2022"),
        ("when did Azerbaijan attack Armenia?", "In September 2022"),
        ("when did the Taliban return to power?", "August 2021 return to power"),
        ("when was the CSTO formed?", "in 2002"),
    ],
)
def test_when_question_leads_with_the_answer(ask: Ask, query: str, lead: str) -> None:
    result = ask(query)
    assert result.kind == "timeline"
    assert lead in result.passages[0].text
    assert result.passages[0].event_date


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        ("where was the fourth meeting held", "The sixth meeting was held in Astana.", True),
        ("where was their first summit", "They prepare for their next summit in Baku.", True),
        ("where was their third summit", "They prepare for their next summit in Baku.", False),
        ("where was the sixth meeting", "The sixth consultative meeting was in Astana.", False),
        ("where was the first summit", "The first report came out before the summit.", False),
    ],
)
def test_another_of_a_series_does_not_answer(question: str, sentence: str, other: bool) -> None:
    """An ordinal before the thing asked about that is not the one asked ("the sixth", "the
    next" against "the first"): that one's place or date is not given."""
    assert other_in_series(question, [sentence]) is other


def test_one_of_a_series_no_article_counts_to_is_not_answered(ask: Ask) -> None:
    """'The fourth meeting', where the articles speak of the sixth and of one unnumbered: what
    they say of those is not said of the fourth; the sixth itself is answered."""
    asked = "where was the {} consultative meeting of Central Asian leaders held?"
    assert ask(asked.format("fourth")).grade == "not_directly"
    assert ask(asked.format("sixth")).grade == "answered"
    assert ask("when is the third CSTO summit?").grade == "not_directly"


@pytest.mark.parametrize(
    "query",
    ["when did uzbekistan rejoin the csto", "what year was the doha agreement signed"],
)
def test_a_when_question_naming_an_event_is_answered_by_that_event(ask: Ask, query: str) -> None:
    """A date beside a sentence stating the event asked of the actors asked about."""
    assert ask(query).kind == "timeline"


def test_timeline_is_in_date_order(ask: Ask, kb: Knowledge) -> None:
    sentence_at = {(s.source, s.start): s.id for s in kb.fb.sentences}
    result = ask("/timeline")
    dated = [
        kb.event_of[sentence_at[(p.source, p.focus_start or p.start)]].date or ""
        for p in result.passages
    ]
    assert len(dated) > 1 and all(dated) and all(p.event_date for p in result.passages)
    assert dated == sorted(dated)


def test_actor_profile(ask: Ask) -> None:
    result = ask("/actor toqaev")
    assert result.profile is not None
    assert result.profile.role == "President of Kazakhstan"
    assert result.profile.quotes_count >= 5
    assert "president of Kazakhstan" in result.profile.memberships
    assert sum(m.count for m in result.profile.mentions) > 10


def test_role_evidence_in_the_body_is_shown(kb: Knowledge) -> None:
    """Every curated role whose evidence lies in body text is shown with a sentence holding it,
    the one naming the actor where the evidence runs over two sentences."""
    checked = 0
    for actor in kb.fb.actors:
        body = [
            ev
            for ev in actor.evidence
            if any(ev.text in p.text for p in kb.fb.paragraphs if p.source == ev.seed)
        ]
        if not body:
            continue
        shown = actor_answer(kb, read(kb, f"/actor {actor.name}")).profile
        assert shown is not None and shown.role_evidence is not None, actor.id
        names = [actor.name, *actor.aliases]
        assert any(n in shown.role_evidence.text for n in names) or any(
            shown.role_evidence.text in ev.text or ev.text in shown.role_evidence.text
            for ev in body
        ), actor.id
        checked += 1
    assert checked > 50


def test_role_evidence_outside_the_body_is_cited_verbatim(
    kb: Knowledge, seed_texts: dict[str, str]
) -> None:
    """An actor named only in a byline or a bio is still shown with that evidence, as a
    verbatim slice of its seed; evidence saying who they are ("X is a ...") comes first."""
    checked = 0
    for actor in kb.fb.actors:
        outside = [
            ev
            for ev in actor.evidence
            if not any(ev.text in p.text for p in kb.fb.paragraphs if p.source == ev.seed)
        ]
        if not outside or len(outside) < len(actor.evidence):
            continue
        shown = actor_answer(kb, read(kb, f"/actor {actor.name}")).profile
        assert shown is not None and shown.role_evidence is not None, actor.id
        evidence = shown.role_evidence
        assert seed_texts[evidence.source][evidence.start : evidence.end] == evidence.text
        assert any(evidence.text == ev.text for ev in outside), actor.id
        checked += 1
    assert checked >= 3


def test_comparing_an_author_with_someone_they_do_not_quote_reads_both(
    ask: Ask, seed_file: Callable[[str], str]
) -> None:
    """Khamidov wrote the Diplomat piece; Mardan speaks only in the RFE/RL one."""
    result = ask("khamidov vs mardan on the csto")
    assert result.kind == "compare"
    assert {seed_file("002"), seed_file("004")} <= {p.source for p in result.passages}


def test_each_side_of_a_comparison_is_read_for_what_it_names(
    ask: Ask, seed_file: Callable[[str], str]
) -> None:
    """Aluwaisheg wrote the Arab News piece, which never names Anceschi (quoted by RFE/RL):
    his side is still shown."""
    result = ask("aluwaisheg vs anceschi on regional integration")
    assert result.kind == "compare"
    assert [seed_file("001"), seed_file("004")] == list(
        dict.fromkeys(p.source for p in result.passages)
    )


def test_two_named_sources_are_the_only_sides_of_a_comparison(
    ask: Ask, seed_file: Callable[[str], str]
) -> None:
    """Khamidov (the Diplomat) and Hansen (the Lennart Meri Conference) compared on what
    Tokayev proposed: Tokayev is the topic, not a third side, so no other article is shown."""
    result = ask("khamidov vs hansen on tokayev's plans for the region")
    assert result.kind == "compare"
    assert {p.source for p in result.passages} <= {seed_file("002"), seed_file("003")}


def test_a_leader_named_speaks_for_the_state_they_lead(kb: Knowledge) -> None:
    """A passage naming Mirziyoyev speaks of Uzbekistan too; Kamilov, a former minister, does
    not stand for it."""
    assert read(kb, "would mirziyoyev take uzbekistan back into the csto").about == (
        "mirziyoyev",
        "csto",
    )
    assert "uzbekistan" in read(kb, "would kamilov take uzbekistan back into the csto").about


def test_a_sentence_asking_a_question_is_not_taken_as_the_answer(ask: Ask) -> None:
    """The Caspian-Alpine headline asks "A Path to Stability or Risk?": it matches every word
    of this query and answers none of it."""
    result = ask("defense alliance: stability or risk")
    assert result.passages
    assert not result.passages[0].text.rstrip().endswith("?")


@pytest.mark.parametrize(
    ("query", "compares"),
    [
        ("do the diplomat and oilprice agree on the csto?", True),
        ("do the diplomat's essay and the oilprice column agree on russia?", True),
        ("when did russia and china openly disagree?", False),  # a date asked for
        ("on russia's bases, do they disagree?", True),
        ("how do the sources see the taliban?", True),
        ("what do central asian states disagree on?", False),  # states, not sources
        ("compare the csto and the sco", True),
        ("how does kazakhstan compare to uzbekistan", True),
        ("who compared kazakhstan to ukraine?", False),  # someone's likening, asked about
        ("did anyone compare the proposal to nato?", False),
        ("how do hansen and mardan each see russia?", True),  # each side, in turn
        ("what did the two papers each say about china?", False),  # no two sides named
    ],
)
def test_whether_sources_agree_is_a_comparison(kb: Knowledge, query: str, compares: bool) -> None:
    assert (read(kb, query).expects == "compare") == compares


@pytest.mark.parametrize(
    ("sentence", "lists"),
    [
        ("The risks are floods; droughts; and locusts.", True),
        ("Its three risks: floods; droughts; and locusts.", True),
        ("The risks are floods and droughts.", False),  # no enumeration to count
        ("Floods came; the harvest failed; risks grew.", False),  # the risk named after it
        ("The harvest failed; prices rose; people left.", False),  # no word asked about
    ],
)
def test_a_count_may_be_given_by_listing_the_items(sentence: str, lists: bool) -> None:
    assert enumerates(sentence, {"risk"}) == lists


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Clashes erupted because the border was never demarcated.", True),
        ("The talks failed due to old grievances.", True),
        ("As a result, trade fell.", True),
        ("The summit was held in Astana.", False),
        ("He spoke as a guest.", False),  # "as" alone is no connective here
    ],
)
def test_a_reason_is_a_causal_connective(text: str, reason: bool) -> None:
    assert states_reason(text) == reason


def test_why_is_read_once(kb: Knowledge) -> None:
    assert read(kb, "explain why the border is disputed").why
    assert not read(kb, "where is the border disputed").why


def test_sources_lists_all_five(ask: Ask) -> None:
    result = ask("/sources")
    assert result.kind == "sources"
    assert len(result.sources) == 5
    assert [s.url_verified for s in result.sources].count(False) == 2


# --- questions the articles don't answer ----------------------------------------------------

NOT_FOUND = [
    "/brief mongolia",
    "Mongolia",
    "what does Mongolia think about the CSTO?",
    "is Mongolia a member of the CSTO?",
    "Did Turkmenistan join the CSTO under Berdimuhamedov?",
    "what did the Pope say?",
    "what did sadyr say about the csto",  # an unknown name where the speaker stands
    "what was zhaparov's answer to the csto",  # only a name takes 's
    "how many troops took part in zapad-2021",  # a name by its number, in lower case
    "who is the pope",
    "who won the World Cup",
    "football",
    "/quote Karimov",
    "/quote Aliyev",
    "/quote Mirziyoyev",
    "/quote pope",
    "/quote Xi on Taiwan",
    "/quote Shoigu on Kazakhstan",  # a command's first word names the speaker: never swapped
    "/quote shoigu on tokayev",  # for the next actor named
    "/actor Shoigu on the CSTO",
    "/actor Angela Merkel",
    "/actor Boris Johnson",
    "/actor Mongolia",
    "who is Erdogan",
    "tell me about the Eurovision",
]


@pytest.mark.parametrize("query", NOT_FOUND)
def test_unanswerable_is_declined(ask: Ask, query: str) -> None:
    result = ask(query)
    assert (result.kind, result.grade) == ("not_found", "declined"), result.passages[:1]
    assert result.passages == []
    assert result.suggestions
    assert result.notes


@pytest.mark.parametrize(
    "query",
    [
        "how many tanks does Turkmenistan have",
        "how many helicopters does Tajikistan have",
        "how many soldiers does Uzbekistan have",
    ],
)
def test_a_count_of_something_never_mentioned_is_not_directly_answered(
    ask: Ask, query: str
) -> None:
    """No article uses the word counted, but one may count the same thing in others
    ("troops" for "soldiers"): the nearest passages are shown as context, under a note that
    quotes the user's word, never the stem the index keeps."""
    result = ask(query)
    assert (result.kind, result.grade) == ("not_found", "not_directly")
    assert result.passages
    counted = query.split()[2]
    assert f"“{counted}”" in result.notes[0], result.notes


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ("who is the president of kazakhstan", "tokayev"),
        ("who is the uzbek leader", "mirziyoyev"),  # the office's holder, named in passing
        ("who was uzbekistan's foreign minister", "kamilov"),
        ("what was the name of the former uzbek foreign minister", "kamilov"),
    ],
)
def test_who_holds_a_title_is_answered_with_the_person(
    ask: Ask, kb: Knowledge, query: str, person: str
) -> None:
    """A question for whoever holds a title leads with a passage naming them, not a profile."""
    result = ask(query)
    assert (result.kind, result.grade) == ("brief", "answered")
    assert person in {f.actor for f in kb.resolver.exact(result.passages[0].text)}


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ("who is the secretary general of the csto", True),  # an office of two words
        ("who is the kazakh foreign minister", True),
        ("who is the pro-kremlin tv host", True),  # a noun someone's curated role is
        ("who is Kazakhstan's main trade partner", False),  # a state may be
        ("who is the region's biggest investor according to the arab news column", False),
    ],
)
def test_who_is_asks_for_a_person_only_by_a_noun_for_people(
    ask: Ask, kb: Knowledge, query: str, person: bool
) -> None:
    """'Who is the X' asks for a person when X is an office or a noun a person's role is;
    'who is the main partner' may be answered by a state, and is not declined for want of a
    person beside the words."""
    assert (read(kb, query).expects == "person") is person
    if not person:
        assert ask(query).grade == "answered"


def test_a_comparison_of_two_sides_shows_each_side_on_its_own(ask: Ask, kb: Knowledge) -> None:
    """'Armenia versus Kazakhstan: how did the CSTO react': a passage on one side need not
    name the other."""
    result = ask("Armenia versus Kazakhstan: how did the CSTO react when each needed help?")
    named = [{f.actor for f in kb.resolver.exact(p.text)} for p in result.passages]
    assert any("armenia" in n and "kazakhstan" not in n for n in named)
    assert any("kazakhstan" in n and "armenia" not in n for n in named)


def test_a_list_naming_both_sides_comes_after_a_passage_on_them(ask: Ask, kb: Knowledge) -> None:
    """'Tajikistan vs Kyrgyzstan': a sentence naming them among others in a list ("Kazakhstan,
    Tajikistan and Kyrgyzstan are ...") says nothing of either; one on the two of them leads."""
    first = ask("tajikistan vs kyrgyzstan").passages[0].text
    named = {f.actor for f in kb.resolver.exact(first)}
    assert {"tajikistan", "kyrgyzstan"} <= named and "kazakhstan" not in named


def test_who_is_x_and_more_is_x_s_profile(kb: Knowledge) -> None:
    """'Who is X and what is ...': the profile of X, whatever the second part names; the
    holder of an office is asked for only when the first part names one."""
    assert read(kb, "who is the GCC in these articles and what's its link to the C5?").expects == (
        "actor"
    )
    assert read(kb, "who is the president of uzbekistan and what does he want").expects == (
        "person"
    )


def test_a_list_question_leads_with_a_list_of_what_it_asks_for(ask: Ask, kb: Knowledge) -> None:
    """'What organisations ...' is answered by a passage naming organisations, not states."""
    result = ask("what organisations does kazakhstan belong to")
    named = {f.actor for f in kb.resolver.exact(result.passages[0].text)}
    assert len({a for a in named if kb.actors[a].kind == "organisation"}) >= 2


@pytest.mark.parametrize(
    ("query", "lists"),
    [
        ("full list of the csto's members", True),
        ("which states are in the csto", True),
        ("what dangers does the diplomat article list?", False),
        ("which threats did khamidov list", False),
    ],
)
def test_a_list_is_of_actors_not_whatever_is_listed(kb: Knowledge, query: str, lists: bool) -> None:
    """A list question asks for states, organisations or people named one after another;
    "what dangers did X list" asks for dangers, so a passage naming many states is no better
    an answer for it."""
    assert (read(kb, query).expects == "list") is lists


# The articles speak of the subject, but not to the question: say so, then the nearest passages.
NOT_DIRECTLY = [
    "/quote putin on football",
    "what did kirsanov say about the economy of japan",
    "who is turkmenistan's defence minister",  # a title no article gives anyone
    "what is turkmenistan's population",  # a measure: a number answers it, not a profile
    "how much does turkey spend on central asia",  # a sum, which "the five states" is not
    "how many troops took part in rubezh-2023",  # counted at another exercise, not this one
    "what's the name of tajikistan's defence minister",  # a title, as "who is ..." asks
    "how many followers does novruzova have on telegram",  # Mardan's are no one else's
    "where is aluwaisheg from",  # a byline names no place
    "how much does kazakhstan earn from the middle corridor",  # a sum of trade, elsewhere
    "how many central asian students study in russia",  # states, no students
    "when did kazakhstan join the csto",  # dates of its exercises and of the CSTO's founding
    "when was tajikistan admitted to the csto",  # nor of another state's rejoining
    "what reply did ashgabat give to the kazakh leader's plan",  # listed among the C5 only
    "which turkish company will make drones in kazakhstan",  # a deal, no company's name
]


@pytest.mark.parametrize("query", NOT_DIRECTLY)
def test_not_directly_answered_shows_the_nearest(ask: Ask, query: str) -> None:
    result = ask(query)
    assert (result.kind, result.grade) == ("not_found", "not_directly")
    assert result.heading == messages.NOT_DIRECTLY_HEADING
    assert result.notes and result.suggestions
    assert 0 < len(result.passages) <= 4


def test_a_reaction_is_answered_by_a_paragraph_naming_who_reacted(ask: Ask, kb: Knowledge) -> None:
    """A reaction ("how did X react") is answered where X is more than one name in a list."""
    result = ask("how did commentators in russia react to the kazakh president's article")
    assert result.grade == "answered"
    assert "russia" in {f.actor for f in kb.resolver.exact(result.passages[0].text)}


@pytest.mark.parametrize(
    ("query", "answered"),
    [
        ("how did Ilham Aliyev react to the proposal?", False),  # named, never reacting
        ("what was Aliyev's response to Tokayev's plan?", False),
        ("how did Sergei Mardan react to the proposal?", True),  # his words on it
        ("what was Novruzova's response to Tokayev's plan?", True),
        # the plan's author is no one asked how they reacted
        ("how did commentators react to Tokayev's proposal?", True),
    ],
)
def test_a_person_asked_how_they_reacted_speaks_or_takes_a_side(
    ask: Ask, query: str, answered: bool
) -> None:
    """'How did X respond': a paragraph naming the person X beside someone else's reaction is
    not X's; one quoting X, reporting X's words or naming X with a word taking a side is."""
    assert (ask(query).grade == "answered") is answered


def test_a_plan_named_by_its_owner_is_found_as_the_plan(ask: Ask, kb: Knowledge) -> None:
    """A plan asked by its owner ("Kazakhstan's initiative") is the one a passage calls "the
    proposal", though the passage names no owner."""
    assert read(kb, "negative commentary on Kazakhstan's initiative").owners == ("kazakhstan",)
    assert read(kb, "Kazakhstan's neighbours and their plans").owners == ()  # not only whose
    result = ask("negative commentary on Kazakhstan's initiative")
    assert result.grade == "answered"
    first = result.passages[0].text
    assert "proposal" in first
    assert "kazakhstan" not in {f.actor for f in kb.resolver.exact(first)}


def test_words_set_by_the_sentence_before_are_on_its_scene(ask: Ask) -> None:
    """A speaker's words alone in their paragraph are on the occasion named beside the speaker
    in the sentence before ("the summit in Astana, where Xi ..."), not on whatever else that
    sentence names further off (the proposal that came a month later)."""
    at_summit = ask("what did the chinese leader say at the summit in astana")
    assert (at_summit.kind, at_summit.grade) == ("quote", "answered")
    assert "the Chinese leader said" in at_summit.passages[0].text
    assert ask("what did xi say about the kazakh proposal").grade == "not_directly"


@pytest.mark.parametrize(
    ("query", "expects"),
    [
        ("which turkish company will make drones in kazakhstan", "name"),  # its name
        ("what drone model did iran sell", "name"),
        ("which city hosted the sco summit", "place"),  # a town: where
        ("which countries joined the csto", "list"),  # states, named one after another
    ],
)
def test_which_thing_known_by_a_name_asks_for_the_name(
    kb: Knowledge, query: str, expects: str
) -> None:
    assert read(kb, query).expects == expects


def test_a_quotation_is_found_by_words_in_any_of_its_sentences(ask: Ask) -> None:
    """Anceschi's quotation opens "They are trying to say ..." and goes on "They have ties to
    the West, but they are not pro-Western": asked about the West, it comes first."""
    for query in ("/quote anceschi not pro-western", "Anceschi's exact words on the West"):
        assert ask(query).passages[0].text.startswith("“They are trying to say")


def test_a_second_question_s_names_are_not_needed_by_the_first(ask: Ask) -> None:
    """'How many followers does X have, and how many subscribers does Y have?': each part has
    its own passage; the first is answered though its passage does not name Y."""
    result = ask(
        "How many followers does Mardan have on Telegram, and how many subscribers does Khod "
        "Mysley have?"
    )
    assert result.grade == "answered"
    assert "240,000 followers" in result.passages[0].text


def test_not_directly_answered_says_what_the_passages_lack(ask: Ask) -> None:
    """A count the articles never give is said to be missing, not left as "no answer"."""
    result = ask("how many drones did turkey sell to tajikistan")
    assert result.grade == "not_directly"
    assert "none of their passages gives a number of drones" in result.notes[0]


def test_a_measure_the_articles_never_name_is_declined(ask: Ask, kb: Knowledge) -> None:
    """'The SCO's budget' asks for an amount; no passage without one answers it."""
    assert read(kb, "the sco budget").expects == "count"
    assert read(kb, "how does the sco budget shape its work").expects != "count"
    assert read(kb, "what country has the biggest population").expects != "count"  # which
    assert read(kb, "sco budget cuts").expects != "count"  # the budget names a topic here
    assert ask("the sco budget").kind == "not_found"


@pytest.mark.parametrize(
    ("passage", "place"),
    [
        ("The summit was held in Samarkand next year.", True),
        ("They disagreed during the 2022 St. Petersburg Economic Forum.", True),
        ("The summit was held in May.", False),  # a month
        ("It changed in the Eurasian space.", False),  # a name used as an adjective
    ],
)
def test_a_place_is_a_name_no_month_and_no_adjective(
    kb: Knowledge, passage: str, place: bool
) -> None:
    q = read(kb, "where was the central asia summit held")
    assert place_named(kb, q, passage) is place


@pytest.mark.parametrize(
    ("text", "long"),
    [
        ("It came about a month after the summit.", True),
        ("Weeks later, it was dropped.", True),
        ("It has a 30-year history.", True),
        ("Before August 2021 there was a common vision.", False),  # "before" alone
    ],
)
def test_how_long_is_a_span_not_any_after_or_before(text: str, long: bool) -> None:
    assert says_how_long(text) is long


def test_overview_quotes_each_source_once(ask: Ask, kb: Knowledge) -> None:
    result = ask("brief me")
    assert result.heading == messages.OVERVIEW_HEADING
    assert sorted(p.source for p in result.passages) == sorted(s.file for s in kb.fb.sources)


@pytest.mark.parametrize(
    ("query", "names_outlet"),
    [
        ("what does the diplomat say about china?", True),
        ("diplomat article on the taliban", True),
        ("is kamilov a diplomat by training?", False),  # an everyday word, not The Diplomat
    ],
)
def test_an_outlet_named_by_an_everyday_word(kb: Knowledge, query: str, names_outlet: bool) -> None:
    assert bool(read(kb, query).sources) == names_outlet


def test_how_many_of_a_whole_is_answered_by_a_part_of_it(ask: Ask) -> None:
    """ "Four of the five states" answers "how many of them"; a small number in words does
    not answer a plain "how many were killed"."""
    result = ask("how many of the five states share Turkish heritage with Baku?")
    assert result.grade == "answered"
    assert "four of the five" in result.passages[0].text


def test_words_asked_of_someone_never_quoted_show_what_is_reported_as_context(ask: Ask) -> None:
    """The GCC is never quoted, but its security vision is reported: not its words, but not
    nothing either."""
    result = ask("what did the gcc say about collective defense?")
    assert (result.kind, result.grade) == ("not_found", "not_directly")
    assert result.passages and "collective defense" in result.passages[0].text
    assert all(p.speaker_id != "gcc" for p in result.passages)
    assert "neither quote" in result.notes[0] and "not as" in result.notes[0]
    assert ask("/quote gcc collective defense").grade == "declined"  # asked for its words


@pytest.mark.parametrize(
    ("query", "author"),
    [
        ("who is the Arab News columnist?", "Abdel Aziz Aluwaisheg"),
        ("who's the author of the diplomat article", "Saadi Khamidov"),
        ("who is the author of the Lennart Meri piece?", "Flemming Splidsboel Hansen"),  # short
    ],
)
def test_who_wrote_a_named_article_is_its_author(ask: Ask, query: str, author: str) -> None:
    result = ask(query)
    assert (result.kind, result.heading) == ("actor", author)


@pytest.mark.parametrize(
    ("query", "author"),
    [
        ("the Diplomat article's author?", "Saadi Khamidov"),  # a word for its writer asks
        ("LMC essay byline", "Flemming Splidsboel Hansen"),
        ("writer of the Caspian-Alpine article", "Caspian-Alpine"),  # a house byline it prints
    ],
)
def test_a_word_for_the_writer_asks_who_wrote_it(
    ask: Ask, kb: Knowledge, query: str, author: str
) -> None:
    """Not only "who wrote ...": the byline (or the role line under it) is shown first."""
    result = ask(query)
    assert (result.kind, result.heading) == ("actor", author) and result.actor is not None
    assert result.passages[0].text in {e.text for e in kb.actors[result.actor.id].evidence}


@pytest.mark.parametrize(
    "query", ["where does Splidsboel Hansen work", "Hansen's affiliation?", "what is Hansen's job"]
)
def test_what_an_author_does_is_their_byline_role(ask: Ask, kb: Knowledge, query: str) -> None:
    """The role line under a byline answers; the question's other words are no topic to
    search (they were declined as words no article uses)."""
    result = ask(query)
    assert result.grade == "answered" and result.actor is not None
    assert result.passages[0].text == kb.actors[result.actor.id].evidence[0].text


@pytest.mark.parametrize("query", ["what is Khamidov's job?", "what post does Khamidov hold"])
def test_a_bare_byline_does_not_say_what_its_author_does(ask: Ask, query: str) -> None:
    """ "By X" names X and says nothing of their work: not directly answered, never declined
    (the articles do name them) and never an answer."""
    result = ask(query)
    assert result.grade == "not_directly" and result.passages[0].text == "By Saadi Khamidov"


def test_a_byline_that_is_no_person_is_given_as_the_record_has_it(ask: Ask, kb: Knowledge) -> None:
    result = ask("who is the RFE/RL reporter?")
    assert result.grade == "answered" and kb.sources[result.passages[0].source].author in str(
        result.notes
    )


@pytest.mark.parametrize(("query", "suggested"), [("/quote Karimov", "/actor Islam Karimov")])
def test_named_but_never_quoted_points_to_profile(ask: Ask, query: str, suggested: str) -> None:
    assert suggested in ask(query).suggestions


# --- every passage is checkable -------------------------------------------------------------

_AGE = re.compile(
    r"^(source: [\w ]+|sources: [\w ]+ to [\w ]+)$",
)


@pytest.mark.parametrize("query", [row[0] for row in ANSWERS])
def test_passages_are_verbatim_and_linked(
    ask: Ask, kb: Knowledge, seed_texts: dict[str, str], query: str
) -> None:
    result = ask(query)
    assert result.passages
    for p in result.passages:
        assert seed_texts[p.source][p.start : p.end] == p.text
        source = kb.sources[p.source]
        assert p.url and p.url.startswith(source.url)
        assert p.url_verified == source.url_verified
        if source.url_verified:
            assert "#:~:text=" in p.url
        else:
            assert "#:~:text=" not in p.url and p.url == source.url
        assert p.title == source.title
    assert result.age is not None and _AGE.match(result.age), result.age
    years = re.findall(r"\b20\d\d\b", result.age)
    assert years and all(2022 <= int(y) <= 2024 for y in years)


def test_age_spans_oldest_to_newest(ask: Ask) -> None:
    assert ask("/timeline").age == "sources: May 2022 to 19 Aug 2024"
    assert ask("/quote keosayan").age == "source: May 2022"


def test_text_fragment_link_points_at_the_passage(ask: Ask) -> None:
    from urllib.parse import unquote

    result = ask("/actor Komilov")
    p = next(p for p in result.passages if p.url_verified)
    assert p.url is not None
    directive = unquote(p.url.split("#:~:text=", 1)[1])
    first = directive.split(",")[0]
    assert p.text.startswith(first)


# --- hostile or odd input -------------------------------------------------------------------

ODD = [
    "",
    "   ",
    "\n\n",
    "🇰🇿🔥🙂",
    "ما هو موقف كازاخستان؟",
    "מה עמדת קזחסטן?",
    "<!channel>",
    "<!channel> csto",
    "<!here|here> <!everyone>",
    "<@U123> who is putin",
    "*bold* _it_",
    "<http://x|y>",
    "<https://evil.example/?q=<!channel>|click>",
    "a\x00b\x07c\x1b[31m\u200b\u202e",
    "/quote",
    "/actor",
    "/timeline",
    "/sources",
    "/brief",
    "help",
    "/help",
    "?",
    "/unknowncommand csto",
    "DROP TABLE actors;--",
    "%s %d {0} {{}}",
    "<script>alert(1)</script>",
    "\\",
    "/actor /actor /actor",
]


@pytest.mark.parametrize("query", ODD)
def test_odd_input_is_safe(ask: Ask, seed_texts: dict[str, str], query: str) -> None:
    result = ask(query)
    for p in result.passages:
        assert seed_texts[p.source][p.start : p.end] == p.text
    shown = [result.heading, *result.notes, *result.suggestions, *(p.text for p in result.passages)]
    assert not any("<!channel>" in s or "<!here" in s or "<!everyone>" in s for s in shown)


@pytest.mark.parametrize("query", ["", "   ", "<!channel>", "/quote", "/actor", "/brief", "help"])
def test_empty_commands_give_help(ask: Ask, query: str) -> None:
    result = ask(query)
    assert result.kind == "help"
    assert result.help


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("what do the articles say?", messages.ABOUT_WHAT),
        ("how do the articles differ?", messages.COMPARE_WHAT),
        ("how do the articles differ on <@U123>?", messages.COMPARE_WHAT),
    ],
)
def test_a_question_without_a_topic_asks_for_one(ask: Ask, query: str, note: str) -> None:
    """Not "the articles don't answer that": there is nothing yet to answer."""
    result = ask(query)
    assert (result.kind, result.notes) == ("help", [note])


def test_overlong_input_is_cut_and_says_so(ask: Ask) -> None:
    result = ask("x" * 10000)
    assert result.kind == "not_found"
    assert any("1,000" in n for n in result.notes)
    assert len(result.query) <= 1000


def test_overlong_question_still_answers(ask: Ask) -> None:
    result = ask("who is putin " * 200)
    assert result.kind == "actor" and result.actor and result.actor.id == "putin"
    assert any("1,000" in n for n in result.notes)


@settings(max_examples=60, deadline=None, database=None)
@given(st.text(max_size=300))
def test_answer_never_raises(kb: Knowledge, text: str) -> None:
    result = answer(kb, text)
    if result.kind == "not_found":
        assert result.suggestions and result.notes
        assert (result.grade == "declined") == (result.passages == [])


def test_a_name_then_a_question_is_no_profile(kb: Knowledge) -> None:
    """'X - why so?' asks a question about X, not for X's profile; a name alone still does."""
    assert read(kb, "kirsanov - why mi6?").expects != "actor"
    assert read(kb, "putin: how so").expects != "actor"
    assert read(kb, "kirsanov").expects == "actor"


def test_a_state_is_named_in_ranking_by_its_leader(kb: Knowledge) -> None:
    """A sentence naming Putin speaks of Russia: it gets the credit for naming an actor asked
    about, as one naming Russia does; a former minister does not speak for his state."""
    assert "putin" in kb.spoken_of("russia")
    assert "kamilov" not in kb.spoken_of("uzbekistan")
    ranked = rank(kb, [], ["russia"], limit=10_000)
    only_putin = [i for i in ranked if kb.actors_in[i.sentence] & {"putin", "russia"} == {"putin"}]
    assert only_putin
    assert all(item.score == ACTOR_WEIGHT for item in only_putin)


def test_a_sentence_holding_more_of_the_question_gains(kb: Knowledge) -> None:
    """Of two equal scores, the sentence holding the rarer and more of the question's words
    goes first; a one-word question is left as ranked."""
    ranked = rank(kb, ["putin", "launch"], [], limit=40)
    tied = [Scored(item.sentence, 1.0) for item in ranked]
    first = covering(kb, ["putin", "launch"], tied)[0].sentence
    assert all(kb.sentence_index.contains(t, first) for t in ("putin", "launch"))
    assert covering(kb, ["putin"], tied) == tied


def test_an_actor_named_in_the_paragraph_gains_for_its_sentences(kb: Knowledge) -> None:
    """A sentence whose paragraph names the actor asked about, though it does not, gains
    AROUND_WEIGHT; one naming it itself gains nothing here (rank credited it already)."""
    ranked = rank(kb, ["launch"], ["russia"], limit=40)
    moved = {i.sentence: i.score for i in around(kb, ["russia"], ranked)}
    for item in ranked:
        paragraph = kb.sentences_in[kb.paragraph_of[item.sentence]]
        named = any("russia" in kb.actors_in[i] for i in paragraph)
        gain = AROUND_WEIGHT if named and "russia" not in kb.actors_in[item.sentence] else 0.0
        assert moved[item.sentence] == item.score + gain


def test_a_one_sentence_paragraph_goes_on_with_the_topic_before_it(kb: Knowledge) -> None:
    """A news report's one-sentence paragraph ("But Mardan told his followers ...") carries on
    the subject of the paragraph before: a topic word there is evidence for it; a word from
    another article never is."""
    from bot.core.evidence import supports
    from bot.core.question import read

    checked = 0
    for pid in range(1, len(kb.fb.paragraphs)):
        if len(kb.sentences_in[pid]) != 1:
            continue
        sid = kb.sentences_in[pid][0]
        before = kb.sentences_in[pid - 1]
        mine = set(read(kb, kb.fb.sentences[sid].text).terms)
        for word in kb.fb.sentences[before[-1]].text.split():
            q = read(kb, word.strip(".,;:“”\"'()?!").lower())
            if len(q.terms) != 1 or q.actors or q.terms[0] in mine or q.expects != "topic":
                continue
            same = kb.source_of[before[0]] == kb.source_of[sid]
            assert supports(kb, q, sid) == same, (word, kb.fb.sentences[sid].text)
            checked += 1
            break
    assert checked >= 10


def test_a_named_article_silent_on_the_words_asked_gives_what_it_argues(
    ask: Ask, kb: Knowledge
) -> None:
    """An article named with words it never uses is not "no article answers": the others may
    (drones are in another piece); it is not directly answered, with what it argues."""
    result = ask("what does the Caspian-Alpine article say about drones?")
    assert (result.kind, result.grade) == ("not_found", "not_directly")
    key = kb.fb.sentences[key_sentences(kb, result.passages[0].source)[0]]
    assert result.passages and all(p.source.startswith("000_") for p in result.passages)
    assert result.passages[0].start <= key.start and key.end <= result.passages[0].end
    assert kb.sources[result.passages[0].source].title in result.notes[0]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("memebrs", "members"),  # a typo: mended to the articles' word
        ("compete", "compete"),  # a relative of "competition": kept, not made "complete"
        ("kygryz-tajik", "kyrgyz-tajik"),  # part by part
        ("mecanism", "mechanism"),  # the articles write only "mechanisms": nearer its singular
        ("speed", "speed"),  # a word of its own, though "seeds" is one edit away from it
    ],
)
def test_typos_are_mended_and_words_are_not(kb: Knowledge, typed: str, meant: str) -> None:
    from bot.core.question import mend

    assert mend(kb, typed) == meant


def test_a_list_is_names_in_a_row_not_names_in_turn(kb: Knowledge) -> None:
    """ "A, B, C, and D" lists four; a sentence naming many states one clause at a time ("the
    aggression against Ukraine by Russia; the conflict between Armenia and Azerbaijan; ...")
    lists two at most: a list question puts the first ahead."""
    from bot.core.evidence import enumerated

    q = read(kb, "which states are members?")
    rows = {s.id: s.text for s in kb.fb.sentences}
    in_a_row = next(i for i, t in rows.items() if "consists of Russia, Belarus," in t)
    in_turn = next(i for i, t in rows.items() if t.startswith("The most salient challenges"))
    assert enumerated(kb, q, in_a_row) == 6
    assert enumerated(kb, q, in_turn) == 2


@pytest.mark.parametrize(
    ("query", "speech"),
    [
        ("what was the Kirsanov column called?", False),  # its name asked for
        ("what is the op-ed titled and where did it run", False),
        ("what did Kirsanov say he was called?", True),  # his words
    ],
)
def test_a_name_asked_for_is_not_someone_s_words(kb: Knowledge, query: str, speech: bool) -> None:
    assert (read(kb, query).expects == "speech") == speech


@pytest.mark.parametrize(
    "query",
    [
        "How does Haqqin see Toqaev, and what does it say about Russia?",
        "How does the Diplomat see Armenia's place in the CSTO, and what does it say next?",
    ],
)
def test_it_before_a_verb_of_speech_is_the_outlet_named(kb: Knowledge, query: str) -> None:
    """'It' speaking is the outlet or article named, not a state named beside it."""
    q = read(kb, query)
    assert q.expects == "speech"
    assert q.speaker is None


@pytest.mark.parametrize(
    ("query", "speech"),
    [
        ("how do analysts read Kazakhstan's proposed architecture?", False),  # a thing described
        ("what are the stated aims of the csto", False),
        ("what has the Diplomat stated about armenia", True),  # words asked for
        # a relative clause says more of what is asked about; its verb asks for no words
        ("how long is the border, which Khamidov calls a slippery slope?", False),
        ("who's claimed the csto is dying", True),  # "who has", no owner
    ],
)
def test_a_verb_of_speech_describing_a_thing_asks_for_no_words(
    kb: Knowledge, query: str, speech: bool
) -> None:
    assert (read(kb, query).expects == "speech") is speech


def test_a_note_after_the_question_asks_nothing(ask: Callable[[str], Answer]) -> None:
    """ "Who ...? I need it for a memo.": the question says what is asked, so "who" still
    asks who (not for the words of someone the question names), and the note's words are
    searched at a variant's weight, never required: a note can say what is meant ("I mean at
    the SCO"), so they may reorder the passages, but what led still comes in the first three."""
    for query in (
        "who warned the SCO about interference?",
        "what did putin say about eurasia?",
        "who called for an indivisible security space?",
    ):
        plain = ask(query)
        noted = ask(f"{query} I need it for a memo.")
        assert plain.grade == noted.grade == "answered", query
        assert noted.kind == plain.kind, query
        assert plain.passages[0].text in [p.text for p in noted.passages[:3]], query


def test_a_pasted_link_to_an_article_asks_about_that_article(
    kb: Knowledge, ask: Callable[[str], Answer]
) -> None:
    """Slack sends a pasted link as <URL>: a source's own link names that source; any
    other link names nothing, so it changes no answer."""
    for file, source in kb.sources.items():
        result = ask(f"summarise <{source.url.replace('https://', 'https://www.')}>")
        assert result.passages, source.url
        assert {p.source for p in result.passages} == {file}, source.url
    plain = ask("what did putin warn about?")
    linked = ask("what did putin warn about? <https://example.org/notes?id=7>")
    assert [p.text for p in linked.passages] == [p.text for p in plain.passages]


def test_keywords_opening_with_a_verb_of_speech_ask_who_said_it(
    ask: Callable[[str], Answer],
) -> None:
    """ "warned against interference sco" is "who warned against interference at the SCO",
    typed as keywords: the SCO named after the verb is not the speaker asked for (it is
    never quoted, so that reading declined the question)."""
    keywords = ask("warned against interference sco")
    asked = ask("who warned against interference at the sco?")
    assert keywords.grade == asked.grade == "answered"
    assert keywords.passages[0].text == asked.passages[0].text


@pytest.mark.parametrize(
    ("typed", "actor"),
    [("/actor Токаев", "Kassym-Jomart Tokayev"), ("/actor Мирзиёев", "Shavkat Mirziyoyev")],
)
def test_a_name_typed_in_cyrillic_is_found(ask: Ask, typed: str, actor: str) -> None:
    """Analysts of the region often type names in Cyrillic; the articles are in English, so
    the name is searched transliterated (anyascii) and the resolver takes it from there."""
    result = ask(typed)
    assert result.kind == "actor"
    assert result.heading == actor


def _remembered(kb: Knowledge, every: int = 5) -> list[tuple[int, list[str]]]:
    """Every `every`th sentence of the articles with ten words or more: its six middle words,
    as someone who remembers them would type them after /quote."""
    out = []
    for sid in range(0, len(kb.paragraph_of), every):
        said = kb.fb.sentences[sid].text.split()
        if len(said) >= 10 and not kb.fb.sentences[sid].text.rstrip().endswith("?"):
            mid = (len(said) - 6) // 2
            out.append((sid, said[mid : mid + 6]))
    return out


def _swapped(said: list[str]) -> list[str]:
    """The longest word with its third and fourth letters swapped: a slip of the fingers."""
    i = max(range(len(said)), key=lambda k: len(said[k]))
    word = said[i]
    return [*said[:i], word[:2] + word[3] + word[2] + word[4:], *said[i + 1 :]]


@pytest.mark.parametrize(
    "retyped",
    [
        lambda said: said,
        _swapped,  # one word mistyped
        lambda said: [*said, "and"],  # a word too many at the end
    ],
    ids=["as written", "a typo", "a word too many"],
)
def test_remembered_words_find_their_sentence(
    kb: Knowledge, ask: Ask, retyped: Callable[[list[str]], list[str]]
) -> None:
    """`/quote` with words remembered from any sentence shows that sentence first, whether
    the words are typed exactly, with a typo, or with a word that the sentence lacks."""
    missed = []
    cases = _remembered(kb)
    for sid, said in cases:
        result = ask("/quote " + " ".join(retyped(said)))
        first = result.passages[0] if result.passages else None
        start = kb.starts[sid]
        if not first or not (
            first.start <= start < first.end or start <= first.start < kb.ends[sid]
        ):
            missed.append(kb.fb.sentences[sid].text)
    assert len(missed) <= len(cases) // 20, missed  # at most one in twenty


@pytest.mark.parametrize("asked", ['who said "{}"?', '"{}"', "in which article is '{}'?"])
def test_words_in_quotation_marks_find_their_sentence_first(
    kb: Knowledge, ask: Ask, asked: str
) -> None:
    """Words a question puts in quotation marks are a phrase to find word for word, as a
    search engine reads them: the sentence holding them comes first, however the question
    around them reads (a semicolon inside them ends no clause of the question)."""
    missed = []
    cases = _remembered(kb)
    for sid, said in cases:
        result = ask(asked.format(" ".join(said)))
        first = result.passages[0] if result.passages else None
        start = kb.starts[sid]
        if not first or not (
            first.start <= start < first.end or start <= first.start < kb.ends[sid]
        ):
            missed.append(kb.fb.sentences[sid].text)
    assert len(missed) <= len(cases) // 20, missed


def test_a_sum_answers_only_for_whose_it_is(ask: Ask) -> None:
    """A sum is someone's: the US's investment in Kazakhstan answers how much the US has
    invested, not how much Russia has, though Russia is named in the same paragraph."""
    assert ask("how much has the US invested in Kazakhstan?").grade == "answered"
    russia = ask("how much has Russia invested in Kazakhstan?")
    assert russia.grade != "answered"
    assert russia.kind == "not_found" and russia.passages  # the nearest, as context


@pytest.mark.parametrize(
    ("query", "asked", "around"),
    [
        # a lead-in before the clause that asks: searched at a variant's weight, not asked
        ("For a memo on trade: who warned against interference?", {"warn", "interfer"}, {"memo"}),
        # the clause that asks has no topic of its own: the topic is in the lead
        ("Drones: what do the articles say?", {"drone"}, set()),
        ("Border clashes: Caspian-Alpine vs The Diplomat", {"border", "clash"}, set()),
        # a question before the last one asks too
        ("was it a speech or an article? do the sources agree", {"speech"}, set()),
    ],
)
def test_a_lead_in_says_where_the_question_comes_from_not_what_it_asks(
    kb: Knowledge, query: str, asked: set[str], around: set[str]
) -> None:
    q = read(kb, query)
    assert asked <= set(q.terms)
    assert around <= set(q.noted) and not around & set(q.terms)


def test_a_typo_does_not_change_what_is_asked(kb: Knowledge) -> None:
    """The question's form is read with its typos mended: "what resaons did X give" asks
    for X's words, as "what reasons did X give" does."""
    typed = read(kb, "what resaons did kirsanov give for his view")
    meant = read(kb, "what reasons did kirsanov give for his view")
    assert typed.expects == meant.expects == "speech"
    assert typed.speaker == meant.speaker == "kirsanov"


def test_a_timeline_on_a_topic_leads_with_its_events(kb: Knowledge, ask: Ask) -> None:
    """`/timeline` on the three rarest words of any dated sentence shows that sentence's event
    among the first three: events from passages sharing only a common word with the topic
    do not come first for being earlier."""
    idf = kb.sentence_index.idf
    missed = []
    events = list(kb.dated_by_date)
    for event in events:
        text = kb.fb.sentences[event.sentence].text
        said = dict.fromkeys(w for w in re.findall(r"[A-Za-z][a-z]+", text) if len(w) > 3)
        topic = sorted(said, key=lambda w: -idf.get(stem(w.lower()), 0.0))[:3]
        result = ask("/timeline " + " ".join(topic))
        start = kb.starts[event.sentence]
        if not any(p.start <= start < p.end for p in result.passages[:3]):
            missed.append((topic, text))
    assert len(missed) <= len(events) // 20, missed


@pytest.mark.parametrize(
    ("query", "answered"),
    [
        ("the volume of US trade with Kazakhstan in 2023", True),
        ("the volume of Russia's trade with Kazakhstan in 2023", False),
        ("how big was the CSTO's budget 2023", False),
        ("Kazakhstan's defence budget in 2023", False),
        ("what share of Tajikistan's exports go to Russia?", False),  # troops are no share
        ("what proportion of Uzbekistan's arms come from Russia?", False),
    ],
)
def test_a_measure_asked_by_its_noun_is_a_sum_of_whose_it_is(
    ask: Ask, query: str, answered: bool
) -> None:
    """A volume, a budget or a share asked for is someone's sum, as "how much" is: the US's trade
    figure answers for the US, not for Russia named beside it, and a year the question gives
    is when, not what (a trade figure of 2023 is no budget)."""
    result = ask(query)
    assert (result.grade == "answered") is answered
    assert result.passages  # the sum, or the nearest passages as context


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("what's the name of Russia's base in Tajikistan?", True),  # "201st"
        ("name of the treaty signed between the US and the Taliban", True),  # "Doha Agreement"
        ("what's the name of the YouTube channel that asked about Pashinian?", True),
        ("what's the name of the Kazakh parade that was cancelled?", True),
        ("what's the name of the CSTO mission sent to Armenia?", False),  # "a small mission"
        ("what is the name of the deal Kazakhstan sealed with the Turkish company?", False),
    ],
)
def test_a_name_asked_for_is_a_proper_name_beside_the_thing(
    ask: Ask, query: str, named: bool
) -> None:
    """'What's the name of X' is answered by a passage naming X by a proper name, not by one
    that only speaks of X ("a small CSTO mission"); the nearest passages still show."""
    result = ask(query)
    assert (result.grade == "answered") is named
    assert result.passages


def test_a_profile_of_words_no_one_goes_by_shows_where_the_articles_use_them(ask: Ask) -> None:
    """`/actor europe`: no one the articles speak of is Europe, but an article names it; that
    is no "none of the articles answers", it is no profile, with the passage naming it."""
    result = ask("/actor europe")
    assert (result.kind, result.grade) == ("not_found", "not_directly")
    assert any("Europe" in p.text for p in result.passages)
    assert "no profile" in result.notes[0]
    assert ask("/actor football").grade == "declined"  # a word no article uses


@pytest.mark.parametrize(
    ("query", "speaker"),
    [
        ("what did Russia's president say about Eurasia?", "putin"),
        ("what did the president of Russia say about Eurasia?", "putin"),
        ("what did China's leader say about interference?", "xi"),
    ],
)
def test_an_office_of_a_state_speaks_by_whoever_holds_it(
    ask: Ask, query: str, speaker: str
) -> None:
    """ "China's leader said": the articles quote its president; the state itself is never
    quoted, so asking for the state's own words would find none."""
    result = ask(query)
    assert result.kind == "quote"
    assert result.actor is not None and result.actor.id == speaker
    assert result.passages[0].speaker_id == speaker


def test_the_writer_of_a_named_source_is_no_unknown_name(ask: Ask) -> None:
    """ "the Diplomat writer", "the Arab News columnist": whoever wrote that source, not a
    name no article uses; nor is "anyone" a name."""
    for query in (
        "does the Diplomat writer think anyone knows where the CSTO is going?",
        "what did the Arab News columnist say about neutrality?",
    ):
        result = ask(query)
        assert result.grade != "declined", query
        assert result.passages, query


def test_the_leaders_of_two_states_are_the_people_compared(kb: Knowledge) -> None:
    """ "the Chinese and Russian leaders": two people, Xi and Putin, not two states."""
    q = read(kb, "how do the Chinese and Russian leaders see Eurasian security?")
    assert q.actors == ("xi", "putin")
    assert read(kb, "what did Russian officials say about the CSTO?").actors[0] == "russia"


@pytest.mark.parametrize(
    ("query", "actor"),
    [
        ("what did the Glasgow lecturer tell RFE/RL?", "anceschi"),
        ("does the Danish researcher expect a turn to China?", "hansen"),
        ("what did the Russian TV host threaten?", "keosayan"),
        ("who is the Baku outlet?", None),  # the outlet a writer writes for: no writer
        ("the security architecture of Central Asia", None),  # words of a work's title
    ],
)
def test_someone_is_named_by_their_role(kb: Knowledge, query: str, actor: str | None) -> None:
    """ "the Glasgow lecturer": the one person whose curated role has every word and ends in
    that noun; the state an adjective names ("Russian") gives way to the person."""
    people = [a for a in read(kb, query).actors if kb.actors[a].kind == "person"]
    assert people == ([actor] if actor else [])
    if actor == "keosayan":
        assert "russia" not in read(kb, query).actors


def test_the_words_themselves_come_before_reports_of_them(ask: Ask) -> None:
    """`/quote X` and "X's exact words" ask for the quotation: a sentence reporting what X
    warned, however well it matches, comes after X's own words; "what did X warn" does not."""
    for query in ("/quote keosayan consequences", "Keosayan's exact words to the Kazakhs"):
        result = ask(query)
        assert result.kind == "quote", query
        voices = [p.voice for p in result.passages]
        assert "reported" in voices and voices.index("reported") > 0, query
        assert voices[0] != "reported", query


@pytest.mark.parametrize(
    ("query", "actors"),
    [
        ("kz neutrality on the war", ("kazakhstan",)),
        ("why cant the csto settle the kg-tj border", ("csto", "kyrgyzstan", "tajikistan")),
        ("UZB and the CSTO", ("uzbekistan", "csto")),
    ],
)
def test_states_go_by_their_country_codes(
    kb: Knowledge, query: str, actors: tuple[str, ...]
) -> None:
    """ISO 3166 codes as analysts type them, in either case; no code that is an English word."""
    assert read(kb, query).actors == actors
    assert read(kb, "by the way, am I right that Russia leads the CSTO?").actors == (
        "russia",
        "csto",
    )


@pytest.mark.parametrize(
    ("query", "speech"),
    [
        ("for which summit was Tokayev's op-ed written?", False),  # the text was written
        ("what has Tokayev written about the CSTO?", True),  # his words
    ],
)
def test_a_passive_participle_of_speech_asks_for_no_one_s_words(
    kb: Knowledge, query: str, speech: bool
) -> None:
    assert (read(kb, query).expects == "speech") is speech


@pytest.mark.parametrize(
    "query",
    [
        "Hansen vs Khamidov",
        "/compare brussel observer vs oilprice",
        "do Arab News and Caspian-Alpine disagree?",
        "how does the Lennart Meri piece differ from the Diplomat one?",
    ],
)
def test_articles_compared_with_no_topic_show_what_each_argues(
    kb: Knowledge, ask: Ask, query: str
) -> None:
    """Two articles (or their authors) compared and nothing else asked: each one's key
    sentences, the one named first first; never "none of the articles answers" nor one
    author's profile."""
    result = ask(query)
    assert (result.kind, result.grade) == ("compare", "answered")
    sources = list(dict.fromkeys(p.source for p in result.passages))
    assert sources == list(read(kb, query).sources)
    first = key_sentences(kb, sources[0])[0]
    assert kb.fb.sentences[first].text in result.passages[0].text


@pytest.mark.parametrize(
    "query",
    [
        "when was the Hansen article published?",
        "who published the LMC piece?",
        "which outlet ran Aluwaisheg's column?",
    ],
)
def test_where_and_when_an_article_came_out_is_its_record(
    kb: Knowledge, ask: Ask, query: str
) -> None:
    """Asked when, where or by whom a named article was published, the source's record
    answers (outlet, author, date, link): the articles' text seldom says it."""
    result = ask(query)
    assert (result.kind, result.grade) == ("sources", "answered")
    assert [s.file for s in result.sources] == list(read(kb, query).sources)
    assert result.heading.startswith("The article asked about")
    assert ask("what does the Diplomat piece say about Armenia?").kind != "sources"


def test_a_passage_naming_a_part_names_the_whole(kb: Knowledge, ask: Ask) -> None:
    """ "at the UN": the passage says "at the U.N. General Assembly", an organ of the UN (its
    curated membership), and answers; it was "not directly answered"."""
    assert "un" in kb.stands_for["unga"]
    result = ask("did Kazakhstan condemn Russia at the UN?")
    assert result.grade == "answered"
    assert "General Assembly" in result.passages[0].text


def test_short_words_in_quotation_marks_find_the_sentence_holding_them(ask: Ask) -> None:
    """`/quote "friends of all"`: three remembered words an article holds word for word (the
    author's own, in no quotation); not the quotation nearest in words ("a friend of Russia
    into an enemy")."""
    result = ask('/quote "friends of all"')
    assert result.grade == "answered"
    assert "friends of all" in result.passages[0].text
    assert all("friends of all" in p.text for p in result.passages)


@pytest.mark.parametrize(
    ("query", "actor"),
    [
        ("who is Armenia's prime minister?", "pashinian"),  # a title of two words
        ("Uzbekistan's first president and the neighbours", "karimov"),  # the office named
        ("Uzbekistan's president on regional unity", "mirziyoyev"),  # who holds it now
        ("what did Uzbekistan's former president think?", "uzbekistan"),  # no one we know
        ("what did Russia's foreign minister say?", "russia"),  # an office no one holds here
    ],
)
def test_an_office_is_read_as_the_one_holding_it(kb: Knowledge, query: str, actor: str) -> None:
    assert read(kb, query).actors[0] == actor


def test_who_leads_a_state_is_its_leader_s_profile(ask: Ask) -> None:
    """ "who leads Uzbekistan": the one holding its top office now, as the fact base records
    it; it was "not directly answered" for want of a person beside the word "leads"."""
    result = ask("who leads Uzbekistan?")
    assert (result.kind, result.grade) == ("actor", "answered")
    assert result.actor is not None and result.actor.id == "mirziyoyev"


def test_a_count_of_countries_is_answered_first_by_their_list(ask: Ask) -> None:
    """ "how many countries are in the C5": the sentence listing the five counts them, ahead
    of one that only names two countries."""
    first = ask("how many countries are in the C5?").passages[0].text
    assert "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan" in first


@pytest.mark.parametrize(
    ("query", "speakers"),
    [
        ("/compare mardan novruzova", ["mardan", "novruzova"]),
        ("Putin vs Xi", ["putin", "xi"]),
    ],
)
def test_people_compared_with_no_topic_each_speak_in_turn(
    ask: Ask, query: str, speakers: list[str]
) -> None:
    """Two people the articles quote, compared and nothing else asked: each one's own words,
    taking turns, the one named first first."""
    result = ask(query)
    assert result.kind == "compare"
    assert [p.speaker_id for p in result.passages[:2]] == speakers


def test_an_author_compared_with_someone_quoted_gives_both_sides(ask: Ask) -> None:
    """ "do Hansen and Anceschi agree?": Hansen's article argues, Anceschi is quoted in
    another; both sides are shown, not only the one quoted."""
    result = ask("do Hansen and Anceschi agree?")
    assert len({p.source for p in result.passages}) == 2
    assert any(p.speaker_id == "anceschi" for p in result.passages)


def test_who_wrote_it_and_what_they_argue_is_the_author_s_profile(ask: Ask) -> None:
    """ "Could you remind me who the Arab News columnist is and what he argued?": a request
    wrapped round the question, and two asks the author's profile answers together (it was
    read as a yes/no question and not directly answered)."""
    result = ask("Could you remind me who the Arab News columnist is and what he argued?")
    assert (result.kind, result.grade) == ("actor", "answered")
    assert result.actor is not None and result.actor.id == "aluwaisheg"


def test_a_name_after_about_is_spoken_of_not_speaking(kb: Knowledge) -> None:
    """ "What is everyone saying about a Central Asian NATO?": NATO is the topic; answering
    "the articles neither quote NATO" would misread who is asked about."""
    assert read(kb, "What is everyone saying about a Central Asian NATO?").speaker is None
    assert read(kb, "/quote putin on eurasian security").speaker == "putin"


def test_when_a_kind_of_event_is_asked_a_date_of_another_does_not_answer(ask: Ask) -> None:
    """ "when will the CSTO summit take place": the CSTO's dated exercise is no summit, so the
    articles do not answer; a summit they date does ("the sixth consultative meeting")."""
    assert ask("when will the CSTO summit take place?").grade == "not_directly"
    result = ask("when was the sixth consultative meeting of Central Asian leaders?")
    assert result.grade == "answered" and "sixth consultative meeting" in result.passages[0].text


def test_who_are_the_members_asks_for_a_list(kb: Knowledge, ask: Ask) -> None:
    """ "who are the CSTO members": states, listed; "who" asks for no person here, and the
    articles answering with a list of states must not be "not directly answered"."""
    assert read(kb, "who are the CSTO members?").expects == "list"
    result = ask("who are the CSTO members?")
    assert result.grade == "answered"
    assert (
        "Russia, Belarus, Kazakhstan, Kyrgyzstan, Armenia, and Tajikistan"
        in result.passages[0].text
    )


def test_an_article_named_by_its_title_words_has_an_author(ask: Ask) -> None:
    """ "who wrote the Diplomat piece about the strained security architecture?": the title's
    words name the article, they ask nothing of their own; its author's profile answers."""
    result = ask("who wrote the Diplomat piece about the strained security architecture?")
    assert (result.kind, result.grade) == ("actor", "answered")
    assert result.actor is not None and result.actor.id == "khamidov"


def test_the_speaker_stands_by_the_verb_of_speech_not_a_noun_before_it(kb: Knowledge) -> None:
    """ "In their 2021 statement on the CSTO, what did Tashkent say ...": the lead-in's noun
    of speech ("statement") is no verb asking for words; Tashkent, by "say", speaks."""
    q = read(kb, "In their 2021 statement on the CSTO, what did Tashkent say about Afghanistan?")
    assert q.speaker == "uzbekistan"


@pytest.mark.parametrize(
    ("query", "office"),
    [
        ("How did the Kyrgyz and Tajik presidents react to the plan?", "Kyrgyzstan's president"),
        ("What is Turkmenistan's president's view of the CSTO?", "Turkmenistan's president"),
        # an organ of a state no article names ("the Russian Foreign Ministry" is named)
        ("What did the Tajik foreign ministry say?", "Tajikistan's foreign ministry"),
        # an office of an outlet or bloc, which no article names either
        ("What did the director of Haqqin say about the plan?", "Haqqin's director"),
    ],
)
def test_an_office_no_one_holds_or_speaks_of_is_not_answered(
    ask: Ask, query: str, office: str
) -> None:
    """The fact base knows no Kyrgyz president and no article names that office: asked what
    he said or thinks, the articles are silent; the nearest passages are shown as context."""
    result = ask(query)
    assert (result.kind, result.grade) == ("not_found", "not_directly")
    assert office in result.notes[0]


def test_an_office_the_articles_name_is_no_unknown_name(ask: Ask) -> None:
    """ "the Uzbek foreign minister": the articles name a former one (Kamilov); answered."""
    assert ask("what did the Uzbek foreign minister write?").grade == "answered"


def test_an_organ_named_in_full_is_no_office_of_itself(ask: Ask) -> None:
    """ "the Russian Foreign Ministry" is an actor the articles name, not an office of it."""
    asked = "Did Novruzova say Toqaev was above his colleagues at the Russian Foreign Ministry?"
    assert ask(asked).grade == "answered"


@pytest.mark.parametrize(
    "query",
    [
        "Our draft says the Kyrgyz-Tajik dispute is 30 years old - correct?",
        "I said Russia's base in Tajikistan hosts 7,000 troops. Is that right?",
    ],
)
def test_a_claim_to_check_is_the_topic_not_someone_s_words(kb: Knowledge, query: str) -> None:
    """A fact-checker's "our draft says X. Is that right?": X is what is asked about; "our
    draft says" asks for no one's words and "Is that right?" has no topic of its own."""
    q = read(kb, query)
    assert q.expects != "speech"
    assert len(q.terms) >= 2


def test_actors_asked_as_alternatives_need_only_one_named(kb: Knowledge, ask: Ask) -> None:
    """ "Was it Kirsanov or Mardan who blamed MI6?": the passage naming Kirsanov and MI6
    answers; it need not name Mardan too (it was "not directly answered")."""
    assert set(read(kb, "was it Kirsanov or Mardan who blamed MI6?").either) == {
        "kirsanov",
        "mardan",
    }
    result = ask("Was it Kirsanov or Mardan who blamed MI6?")
    assert result.grade == "answered" and "MI6" in result.passages[0].text


def test_two_speakers_joined_by_and_each_speak(kb: Knowledge, ask: Ask) -> None:
    """ "what did Mardan and Kirsanov say about the proposal?": both men's words, in turn,
    not Mardan's alone (with Kirsanov's left to a "not directly answered"); "/quote Xi SCO"
    names a speaker and a topic, no second speaker."""
    result = ask("what did Mardan and Kirsanov say about the proposal?")
    assert (result.kind, result.grade) == ("quote", "answered")
    assert {p.speaker_id for p in result.passages[:2]} == {"mardan", "kirsanov"}
    assert read(kb, "/quote Xi SCO Astana").speakers == ("xi",)


@pytest.mark.parametrize(
    "query",
    [
        "Did Kirsanov and Mardan say the same thing about the proposal?",
        "do Hansen and Khamidov see the CSTO's future the same way?",
        "Hansen and Khamidov both expect a Russian decline; do they give similar reasons?",
        "did Kamilov say the same thing in both articles?",
    ],
)
def test_whether_two_said_the_same_is_a_comparison(kb: Knowledge, query: str) -> None:
    """ "did A and B say the same thing": a comparison of A's and B's words, not a request
    for A's alone (which, silent on the topic, was "not directly answered")."""
    assert read(kb, query).expects == "compare"


def test_who_was_more_so_a_or_b_is_a_comparison(kb: Knowledge) -> None:
    """ "who was more critical, Mardan or Kirsanov?": the two set side by side."""
    assert read(kb, "who was more critical, Mardan or Kirsanov?").expects == "compare"
    assert read(kb, "who is more likely to back the plan?").expects != "compare"


def test_only_a_word_by_the_verb_of_speech_can_be_an_unknown_speaker(kb: Knowledge) -> None:
    """ "For the press pack I need the outlet and the exact headline ...": "pack" stands far
    from the word of speech, so it is no name no article uses; "japarov" by "say" is."""
    long = "For the press pack I need the outlet and the exact headline of Tokayev's op-ed."
    assert "pack" not in read(kb, long).speaker_words
    assert read(kb, "what did japarov say about the csto").speaker_words == ("japarov",)


def test_where_words_were_said_is_no_topic_they_must_name(ask: Ask) -> None:
    """ "what did the Kazakh president write in Kazakhstanskaya Pravda?": the newspaper is
    where he wrote, not what his words must mention; his words answer (they were "not
    directly answered" for not naming the paper)."""
    result = ask("what did the Kazakh president write in Kazakhstanskaya Pravda?")
    assert (result.kind, result.grade) == ("quote", "answered")
    assert result.passages[0].speaker_id == "tokayev"


def test_a_command_may_name_someone_by_a_description_without_the(kb: Knowledge) -> None:
    """`/quote Russian TV host`, `/actor Danish researcher`: commands drop "the"; a free
    question opening with the words is read as typed."""
    assert read(kb, "/quote Russian TV host").speaker == "keosayan"
    assert read(kb, "/actor Danish researcher").actors == ("hansen",)


def test_a_guess_after_the_question_does_not_replace_it(ask: Ask) -> None:
    """ "What did X say about Y? EAEU? CIS?": the guesses after the question are what the
    analyst expects to find, not the question; X's words on Y are still the answer."""
    plain = ask("what did Anceschi say about integration initiatives?")
    guessed = ask("what did Anceschi say about integration initiatives? EAEU? CIS?")
    assert plain.grade == guessed.grade == "answered"
    assert guessed.passages[0].text == plain.passages[0].text


def test_a_comparison_of_measures_needs_a_figure(ask: Ask) -> None:
    """ "Kazakh vs Uzbek defence budgets": the articles speak of both states' defence but give
    no budget, so nothing is compared; a measure they do give (trade, in dollars) is."""
    budgets = ask("/compare Kazakh vs Uzbek defence budgets")
    assert budgets.grade == "not_directly"
    assert any("budgets" in note for note in budgets.notes)
    trade = ask("/compare US vs China trade volume with Kazakhstan")
    assert trade.grade == "answered"
    assert "$4 billion" in trade.passages[0].text


def test_words_of_someone_named_but_no_speaker_are_not_anyones_quotes(ask: Ask) -> None:
    """ "When did the GCC release its vision and what did it stress?": "it" is the GCC, read
    as no speaker; the answer is what the articles say of the GCC, not whichever quotation
    matches the topic best (Tokayev's, on regional security)."""
    result = ask(
        "when did the GCC release its first regional security vision and what did it stress?"
    )
    assert result.grade == "answered"
    assert all(p.speaker is None for p in result.passages[:2])
    assert "GCC" in result.passages[0].text


def test_a_numbered_article_of_a_treaty_is_searched(ask: Ask) -> None:
    """ "the CSTO's Article 4": "article" names a source in most questions, but before a
    number it names a clause, and the sentence quoting that clause comes first."""
    assert "Article 4" in ask("what is the CSTO's Article 4?").passages[0].text


@pytest.mark.parametrize(
    "query", ["strongest quote on the CSTO's weakness", "best quote on Armenia"]
)
def test_a_superlative_before_quote_is_no_speakers_name(ask: Ask, query: str) -> None:
    """ "the strongest quote on X": "strongest" says which quotation, it names no one the
    articles never mention."""
    assert ask(query).grade == "answered"


def test_a_name_opening_before_quote_is_whose_words(ask: Ask) -> None:
    """ "zakharova quote on X": the word before the noun of speech is whose words are asked
    for; a name no article uses is said so, and one they use gets their words."""
    unknown = ask("zakharova quote on the catalogue of security risks")
    assert unknown.grade == "declined" and "zakharova" in unknown.notes[0].lower()
    known = ask("putin quote on eurasian security")
    assert known.grade == "answered" and known.passages[0].speaker == "Vladimir Putin"


def test_offices_of_several_states_no_one_holds_are_not_directly_answered(ask: Ask) -> None:
    """ "the presidents of Turkmenistan and Tajikistan": two offices the articles never name
    a holder of, as "the Turkmen and Tajik presidents" are."""
    result = ask("How did the presidents of Turkmenistan and Tajikistan respond to the proposal?")
    assert result.grade == "not_directly"
    assert "Tajikistan's president" in result.notes[0]


def test_an_office_of_a_led_state_no_one_holds_is_not_directly_answered(ask: Ask) -> None:
    """ "the Kremlin spokesman": Russia has a president the articles name, but no one holds
    that other office in them, so no one's words stand for it."""
    result = ask("what did the Kremlin spokesman say about the proposal?")
    assert result.grade == "not_directly"
    assert "spokesman" in result.notes[0]
    assert ask("what did the Russian president say about Eurasian security?").grade == "answered"


@pytest.mark.parametrize("query", ["kazakhstan population figures", "csto budget number"])
def test_a_measure_asked_by_its_figure_is_a_count(kb: Knowledge, query: str) -> None:
    """ "X population figures": the figures of a measure, a number answers it, as "what is
    X's population" does; "population growth" would be a topic."""
    assert read(kb, query).expects == "count"
    assert read(kb, "kazakhstan population growth").expects != "count"


def test_he_in_a_second_question_is_the_person_named_in_the_first(kb: Knowledge) -> None:
    """ "did Kirsanov blame the British for the plan? what did he write?": whose words are
    asked for is the person the first question named, not no one."""
    assert read(kb, "did Kirsanov blame the British for the plan? what did he write?").speaker == (
        "kirsanov"
    )


def test_a_combining_form_joined_to_a_year_is_a_time_not_a_name(kb: Knowledge) -> None:
    """ "post-2021", "mid-2023": a time, which no passage must name word for word; "zapad-2021"
    is a name of the kind ("Rubezh-2021") the articles would have to use."""
    assert read(kb, "csto cohesion post-2021 and mid-2023").numbered == ()
    assert read(kb, "when was zapad-2021 held").numbered == ("zapad-2021",)


def test_the_askers_own_draft_is_no_speaker(ask: Ask) -> None:
    """ "Draft says X called it ...": the draft is the asker's, never a name no article
    uses; X's words are what is checked."""
    result = ask("Draft says Anceschi called the initiatives empty rhetoric - exact quote?")
    assert result.grade == "answered"
    assert result.passages[0].speaker == "Luca Anceschi"


def test_a_dash_compound_needs_both_its_sides_named_together(ask: Ask, kb: Knowledge) -> None:
    """ "the China–Central Asia summit": a sentence naming both sides holds the place, not
    another summit China attended; "the GCC–Central Asia leaders": their next summit's
    sentence names both. "Russian-led" qualifies a noun; it joins no two sides."""
    assert ask("In which city did the China–Central Asia summit take place?").grade == (
        "not_directly"
    )
    result = ask("where do the GCC–Central Asia leaders meet next?")
    assert result.grade == "answered"
    assert "Samarkand" in result.passages[0].text
    assert read(kb, "US–Kazakhstan trade in 2023").paired[0].heads == ("trade",)
    assert read(kb, "how many states left the Russian-led bloc").paired == ()


def test_an_article_named_by_its_title_is_that_article(ask: Ask, kb: Knowledge) -> None:
    """ "Shifting Sands" (its title's words before the question mark, which no article's text
    runs through) names Hansen's article, as "the Lennart Meri piece" does: a summary gives
    what it argues, "who wrote" its author; a phrase the articles use ("a Central Asian
    defense alliance") names no article, though a title opens with it."""
    hansen = ask("Lennart Meri piece in short").passages[0]
    summary = ask("Shifting Sands, Summarised")
    assert summary.grade == "answered"
    assert summary.passages[0].source == hansen.source
    author = ask("who is the author of 'Shifting Sands?' and where is he based")
    assert author.actor is not None and author.actor.name == "Flemming Splidsboel Hansen"
    assert read(kb, "why is a Central Asian defense alliance premature").sources == ()


def test_a_title_typed_without_its_small_words_still_names_its_article(
    ask: Ask, kb: Knowledge
) -> None:
    """A title typed without its articles and prepositions ("Central Asian Defense Alliance:
    Path to Stability or Risk", with a colon of its own before the question ends) names its
    article as the whole title does: "who wrote" gives the same byline, and a state named
    inside the title is no actor asked about."""
    shortened = 0
    for source in kb.fb.sources:
        kept = [w for w in source.title.split() if w.lower() not in ("a", "an", "the", "for")]
        if len(kept) == len(source.title.split()):
            continue
        shortened += 1
        short, whole = ask(f"who wrote {' '.join(kept)}"), ask(f"who wrote {source.title}")
        assert read(kb, f"who wrote {' '.join(kept)}").about == ()
        assert (short.actor, short.notes) == (whole.actor, whole.notes)
        assert whole.actor is not None or any(source.author in n for n in whole.notes)
    assert shortened >= 3


def test_a_count_qualified_by_an_adjective_counts_its_noun(ask: Ask) -> None:
    """ "how many big challenges": challenges, which "big" only qualifies, listed one by one
    (A; B; C); "how many foreign powers": states, which a list of names counts."""
    challenges = ask("How many big challenges to the CSTO does the Diplomat article list?")
    assert challenges.grade == "answered"
    assert challenges.passages[0].text.count(";") >= 2
    powers = ask(
        "how many foreign powers does the Caspian-Alpine piece name as interested in the region"
    )
    assert powers.grade == "answered"
    assert "Japan" in powers.passages[0].text


def test_did_someone_say_these_words_shows_who_did(ask: Ask) -> None:
    """'did X really say "..."': the words, found word for word, with whoever said them: X
    when X did (not declined for want of a topic), the one who did when X did not."""
    own = ask('did Keosayan really tell the Kazakhs "everything has changed"?')
    assert own.grade == "answered"
    assert own.passages[0].speaker == "Tigran Keosayan"
    other = ask('did Putin say "the world has changed"?')
    assert other.passages[0].speaker == "Tigran Keosayan"


@pytest.mark.parametrize(
    "query",
    [
        "what was the death toll in Kazakhstan's Bloody January?",
        "casualties in the january 2022 kazakh unrest",
    ],
)
def test_a_death_toll_is_a_count_given_as_the_dead(ask: Ask, query: str) -> None:
    """ "death toll", "casualties": a count, which "more than 230 dead" gives in other words."""
    result = ask(query)
    assert result.grade == "answered"
    assert "230 dead" in result.passages[0].text


def test_a_death_toll_the_articles_never_give_is_not_directly_answered(ask: Ask) -> None:
    """The 2023 offensive is named, its dead never counted: no other number stands for it."""
    assert ask("death toll of the 2023 karabakh offensive").grade == "not_directly"


def test_a_death_is_dated_only_by_a_sentence_stating_it(ask: Ask) -> None:
    """Karimov is named beside a year (2016, his successor's coming to power), but no article
    says when he died: that year is no answer."""
    result = ask("In which year did Uzbekistan's first president Karimov die?")
    assert result.grade == "not_directly"


def test_an_ordinal_before_a_long_name_still_picks_one_of_a_series(ask: Ask) -> None:
    """ "the first Gulf Cooperation Council–Central Asia summit": "first" qualifies the summit
    five words on; the articles place only the next one (in Samarkand)."""
    first = ask("Where did the first Gulf Cooperation Council–Central Asia summit take place?")
    assert first.grade == "not_directly"
    following = ask("In which city will the next GCC–Central Asia summit be held?")
    assert following.grade == "answered"
    assert "Samarkand" in following.passages[0].text


def test_a_town_asked_for_is_a_place_no_state_answers(ask: Ask, kb: Knowledge) -> None:
    """ "which Tajik city": a place is asked, with a word between; "in Tajikistan" names the
    state the question names already, no town of it."""
    assert read(kb, "which Tajik city has the base").expects == "place"
    assert ask("In which Tajik city does Russia keep its 201st base?").grade == "not_directly"


def test_a_number_in_a_yes_no_claim_needs_a_number_to_check_it(ask: Ask) -> None:
    """ "were some 3,000 troops sent": the articles never count the troops sent to
    Kazakhstan, so a passage on the intervention does not confirm the figure; the troops at
    the base in Tajikistan they do count."""
    sent = ask("Were some 3,000 Russian troops sent to Kazakhstan in January 2022?")
    assert sent.grade == "not_directly"
    kept = ask("Does Russia keep 7,000 troops in Tajikistan?")
    assert kept.grade == "answered"
    assert "7 000 troops" in kept.passages[0].text


def test_give_stands_for_a_verb_of_speech_when_there_is_none(kb: Knowledge) -> None:
    """ "what reasons did analysts give for thinking Russia would not invade": the analysts
    give them, not Russia, named after the verb."""
    q = read(kb, "what reasons did analysts give for thinking Russia would not invade Ukraine?")
    assert q.speaker is None
    assert q.speaker_words == ("analysts",)


def test_a_clause_setting_the_scene_is_not_what_is_asked(ask: Ask, kb: Knowledge) -> None:
    """ "When Tokayev asked for help, what did the CSTO do?": "asked" says when; the question
    after the comma asks what the CSTO did, not for Tokayev's words."""
    query = "When Tokayev asked for help in January 2022, what did the CSTO do?"
    assert read(kb, query).expects != "speech"
    result = ask(query)
    assert result.grade == "answered"
    assert "intervened" in " ".join(p.text for p in result.passages[:2])
    assert read(kb, "when did Tokayev ask for help, and why?").expects == "date"


def test_a_verb_of_speech_with_a_particle_can_mean_no_words(kb: Knowledge) -> None:
    """ "Kazakhstan called off the parade": cancelled, not spoke; "called for" is still words."""
    assert read(kb, "what happened after Kazakhstan called off its parade?").expects != "speech"
    assert read(kb, "what has Tokayev called for?").expects == "speech"


def test_a_count_of_people_needs_a_number_beside_what_befell_them(ask: Ask) -> None:
    """ "how many people were jailed": the toll of the unrest ("more than 230 dead") counts
    the dead, not the jailed; asked as deaths in other words, it answers."""
    assert ask("how many people were jailed after the january unrest in kazakhstan").grade == (
        "not_directly"
    )
    assert ask("how many people live in kazakhstan").grade == "not_directly"
    for query in (
        "how many people lost their lives in the january unrest in kazakhstan",
        "how many were killed in the unrest in kazakhstan",
    ):
        result = ask(query)
        assert result.grade == "answered", query
        assert "230 dead" in result.passages[0].text, query


def test_a_figure_asked_by_its_noun_is_a_count_or_a_sum(ask: Ask, kb: Knowledge) -> None:
    """ "US direct investment figures for Kazakhstan": a sum answers; "China–Central Asia trade
    figures" are given nowhere (the US's $4 billion trade sits beside a mention of China), nor
    is a route's length in kilometres ("6,500-kilometer") a figure of trade."""
    q = read(kb, "US direct investment figures for Kazakhstan")
    assert (q.expects, q.figure) == ("count", True)
    sums = ask("US direct investment figures for Kazakhstan")
    assert sums.grade == "answered"
    assert "$5 billion" in sums.passages[0].text
    assert ask("china central asia trade figures").grade == "not_directly"
    troops = ask("russian troop numbers in tajikistan")
    assert troops.grade == "answered"
    assert "7 000 troops" in troops.passages[0].text


def test_a_statement_before_the_question_does_not_say_what_is_asked(kb: Knowledge) -> None:
    """ "Mardan says the union is not viable. How many ...?": the sentence that asks says what
    kind of answer is wanted ("says" before it asks for no one's words); two questions in a
    row are read together."""
    statement = "Mardan says the union is not viable. How many people follow him on Telegram?"
    assert read(kb, statement).expects == "count"
    assert read(kb, "what did Mardan say? how many people follow him?").expects == "speech"


def test_a_standfirst_comes_after_the_body_that_says_it_in_full(ask: Ask, kb: Knowledge) -> None:
    """The summary set above an article's byline restates its body: found by the byline or
    credit between it and the next paragraph (not an article's plain first paragraph), and
    shown after the body's passages, which say it in full and in context."""
    leads = {kb.fb.sentences[sid].source[:3] for sid in kb.standfirst}
    assert leads == {"000", "002", "003"}  # 001 and 004 open straight on their body
    result = ask("why are central asian leaders looking nervously over their shoulders")
    first = result.passages[0]
    summary = [kb.fb.sentences[sid] for sid in kb.standfirst]
    assert not any(  # the first passage holds no sentence of a standfirst
        s.source == first.source and s.start < first.end and first.start < s.end for s in summary
    )
    # words quoted that only the standfirst holds: it comes first
    quoted = ask(
        "CSTO divisions with 'serious implications for the region's security architecture'"
    )
    assert "serious implications" in quoted.passages[0].text


def test_two_questions_joined_are_answered_by_the_first_ones_kind(ask: Ask) -> None:
    """ "When did X, and how many Y": the date the first asks is answered; the count the
    second asks, which no article gives, does not make the whole "not directly answered"."""
    result = ask("When did Russia invade Ukraine, and how many Central Asian migrants left Russia?")
    assert result.grade == "answered" and "February 24, 2022" in result.passages[0].text


@pytest.mark.parametrize(
    "query",
    ["What did Mr Kirsanov write about MI6?", "Did Dr. Hansen see China as the heavyweight?"],
)
def test_a_form_of_address_before_a_name_is_no_unknown_name(ask: Ask, query: str) -> None:
    """ "Mr", "Dr" address whoever is named next: never "the articles never mention Mr"."""
    result = ask(query)
    assert result.grade == "answered" and not any("Mr" in n or "Dr" in n for n in result.notes)


def test_the_speaker_is_the_person_before_their_affiliation(ask: Ask) -> None:
    """ "What did X of the University of Y say": X's words, not the university's (it says
    nothing of its own in the articles)."""
    result = ask("What did Anceschi at the University of Glasgow say about reinventing itself?")
    assert result.grade == "answered" and result.actor is not None
    assert result.actor.name == "Luca Anceschi"


def test_a_timeline_of_several_events_asked_in_words_is_dated(ask: Ask) -> None:
    """ "Timeline of X: the A, the B": the dates of many events, as `/timeline` gives them;
    no one passage need state every event named."""
    for query in (
        "timeline of Russia and Kazakhstan: the unrest, the parade and the forum",
        "a chronology please: the parade, the forum and the op-ed",
    ):
        assert ask(query).grade == "answered", query


def test_a_sum_asked_in_dollars_needs_a_sum(ask: Ask) -> None:
    """ "X in dollars" asks for a sum: the articles' sentence naming X without one is shown as
    the nearest, not as the answer; where they give the sum, it answers."""
    assert ask("Central Asia's trade with Turkey in 2023, in dollars?").grade != "answered"
    given = ask("US direct investment in Kazakhstan in 2022, in dollars?")
    assert given.grade == "answered" and "$5 billion" in given.passages[0].text


def test_on_what_date_asks_a_day(ask: Ask) -> None:
    """ "On what date": a month or a year is no answer (a sentence giving only "in September
    2022" is the nearest, and says so); a day the articles give answers."""
    month = ask("On what date did Azerbaijan launch attacks inside Armenia?")
    assert month.grade == "not_directly" and "gives the day" in month.notes[0]
    given = ask("On what date did Russia invade Ukraine?")
    assert given.grade == "answered" and "February 24, 2022" in given.passages[0].text


@pytest.mark.parametrize(
    "query", ["who commanded the CSTO troops in Kazakhstan?", "who is Haqqin's editor"]
)
def test_who_holds_a_post_the_articles_never_fill_is_not_answered(ask: Ask, query: str) -> None:
    """A commander, an owner or an editor asked for: a person. The articles name none, so the
    passages on the topic are the nearest, never the answer."""
    assert ask(query).grade == "not_directly"


def test_how_do_they_each_put_it_compares_the_two_named(ask: Ask) -> None:
    """ "A and B both doubt X: how do they each put it?" sets A's and B's words side by side;
    it is no request for B's article alone (where A is not named)."""
    result = ask("Mardan and the Caspian-Alpine team doubt the alliance: how do they each see it?")
    assert result.kind == "compare" and result.grade == "answered"


def test_whether_two_end_up_agreeing_is_a_comparison(ask: Ask) -> None:
    """ "Do A and B end up agreeing on X" asks whether they agree, as "do A and B agree" does."""
    result = ask("Do Hansen and Khamidov end up agreeing on China's role?")
    assert result.kind == "compare" and result.grade == "answered"


def test_a_profile_shows_its_role_sentence_with_what_goes_on_about_it(ask: Ask) -> None:
    """The sentence the role comes from is shown with the next one when that one goes on
    about it ("This facility ..."), marked as the matched sentence, as other passages are."""
    first = ask("/actor 201st Russian military base").passages[0]
    assert "201st military base hosts" in first.text and "This facility" in first.text
    assert first.focus_start is not None and first.focus_end is not None


def test_an_office_title_before_a_name_is_no_unknown_name(ask: Ask) -> None:
    """ "Chairman Xi": a title no article uses before a name they do is no name of its own;
    the name after it is what decides ("Chairman Mao": Mao, whom no article mentions)."""
    result = ask("what were Chairman Xi's words on interference from outside?")
    assert result.grade == "answered" and result.actor is not None
    assert result.actor.name == "Xi Jinping"
    declined = ask("what did Chairman Mao say about the CSTO")
    assert declined.grade == "declined" and "Mao" in declined.notes[0]
    assert "chairman" not in declined.notes[0].lower()


@pytest.mark.parametrize(
    "query",
    [
        "I covered Moscow in the Brezhnev years. What were Putin's words on the multipolar world?",
        "Putin's words on the multipolar world? Reminds me of Brezhnev.",
    ],
)
def test_a_name_in_a_note_beside_the_question_does_not_decline_it(ask: Ask, query: str) -> None:
    """A name no article uses in a sentence before or after the one that asks is the
    asker's aside: the question is still answered. Asked about, it is declined."""
    assert ask(query).grade == "answered"
    declined = ask("What were Brezhnev's words on the multipolar world?")
    assert declined.grade == "declined" and "Brezhnev" in declined.notes[0]


@pytest.mark.parametrize(
    ("query", "author"),
    [
        ("who wrote the Arab News column about neutrality?", "Abdel Aziz Aluwaisheg"),
        ("who penned the LMC essay on China's pull", "Flemming Splidsboel Hansen"),
    ],
)
def test_what_an_article_is_about_tells_which_article_whose_author_is_asked(
    ask: Ask, query: str, author: str
) -> None:
    """ "Who wrote the X piece on Y": "on Y" says which piece, it is no topic to search, and an
    actor named in it (China) is not asked about; the author's profile answers."""
    result = ask(query)
    assert (result.kind, result.heading) == ("actor", author)


@pytest.mark.parametrize("query", ["csto treaty signing date", "the date of the Astana summit?"])
def test_a_date_asked_by_its_noun_asks_for_a_date(kb: Knowledge, query: str) -> None:
    """ "X date", "the date of X": a date is asked, as "when" asks it; "to date" and "dates
    back" ask none."""
    assert read(kb, query).expects == "date"
    assert read(kb, "what has the CSTO done to date?").expects != "date"


def test_two_words_in_title_case_with_a_common_word_name_no_one(ask: Ask) -> None:
    """ "Sanctions Loopholes": "sanctions" is a word the articles write in lower case, so the
    capitals are title case, and "Loopholes" is no name no article uses (it was declined)."""
    assert ask("Sanctions Loopholes").grade == ask("sanctions loopholes").grade == "answered"
    assert ask("What did Mongolia say?").grade == "declined"  # a name, capitalised alone


def test_the_fullest_list_answers_though_it_holds_no_word_of_the_question(ask: Ask) -> None:
    """ "a list of the member states of the CSTO": the sentence listing all six ("consists of
    Russia, Belarus, ...") holds neither "member" nor "states", and was not among the
    candidates; a list of three that does was shown instead."""
    result = ask("give me a list of the member states of the CSTO")
    assert result.grade == "answered"
    assert "Russia, Belarus, Kazakhstan, Kyrgyzstan, Armenia, and Tajikistan" in (
        result.passages[0].text
    )


def test_how_someone_characterised_something_asks_for_their_words(ask: Ask) -> None:
    """ "How did X characterise Y", "portray", "threaten": X's words are asked, as with
    "describe"; they were read as a topic and a narrator's sentence came first."""
    result = ask("in what terms did Novruzova characterise the Kazakh leader?")
    assert (result.kind, result.grade) == ("quote", "answered")
    assert result.actor is not None and result.actor.id == "novruzova"


def test_where_something_was_published_asks_for_the_outlet_not_a_place(ask: Ask) -> None:
    """ "Where did X's op-ed run": a newspaper answers, which names no place, so the question
    is not checked for one (it was "not directly answered")."""
    result = ask("where did the Kazakh leader's op-ed run?")
    assert result.grade == "answered"
    assert any("Kazakhstanskaya pravda" in p.text for p in result.passages[:2])


@pytest.mark.parametrize(
    "query",
    [
        "caspian-alpine's main argument in one sentence for my intro",
        "the Caspian-Alpine verdict, short version",
    ],
)
def test_the_form_asked_for_an_answer_is_no_topic(ask: Ask, query: str) -> None:
    """ "In one sentence", "short version", "for my intro" say how to answer, not what about:
    the article's gist answers (it was "not directly answered", since the article does not
    use those words)."""
    assert ask(query).grade == "answered"


@pytest.mark.parametrize(
    "query",
    [
        "who is the Baku-based analyst - might invite him",
        "who is the Baku-based analyst? might invite him",
    ],
)
def test_who_is_x_with_a_note_after_is_x_s_profile(ask: Ask, query: str) -> None:
    """A note after a dash or after the question mark asks nothing: "who is X" is still
    X's profile (it was read as a search for the note's words)."""
    result = ask(query)
    assert (result.kind, result.heading) == ("actor", "Fuad Shahbazov")


def test_a_known_name_s_title_runs_one_word_unless_the_articles_use_the_next(ask: Ask) -> None:
    """ "The Tokayev Doctrine": the word after a known name is its title; "the CSTO Security
    Academy": "Academy" after it is a name no article uses, and declines."""
    assert ask("the Tokayev Doctrine").grade == "answered"
    result = ask("what does the CSTO Security Academy teach?")
    assert result.grade == "declined" and "Academy" in result.notes[0]


def test_a_passive_verb_of_speech_asks_for_no_one_s_words_unless_by_someone(ask: Ask) -> None:
    """ "Which threats are described as coming from X": the threats are described, no one's
    words are asked (the state named was read as the speaker); "how is X described by Y":
    Y's."""
    result = ask("which threats to Tajikistan are described as coming from Afghanistan?")
    assert result.grade == "answered" and result.kind == "brief"
    by = ask("how is Tokayev described by Novruzova?")
    assert by.grade == "answered" and by.actor is not None and by.actor.id == "novruzova"


def test_a_command_asks_in_its_first_sentence(ask: Ask) -> None:
    """ "/quote X on Y, if the articles have it. <a note>": a name no article uses in the note
    neither declines it nor becomes the topic; named first, it declines."""
    result = ask("/quote Kirsanov about the British pound, if you have it. Reminds me of Brezhnev.")
    assert result.grade == "answered" and result.actor is not None
    assert result.actor.id == "kirsanov"
    assert ask("/quote Brezhnev about the British pound").grade == "declined"


def test_vs_with_a_stop_joins_the_two_sides(kb: Knowledge) -> None:
    """ "A vs. B - quotes for my memo? thanks": the stop after "vs" ends no sentence, so the
    question is still the comparison (the words after "vs." were read as a question alone)."""
    query = "Kirsanov's words on the proposal vs. Mardan's - quotes for my memo"
    assert read(kb, query).expects == read(kb, f"{query}? thanks").expects == "compare"


@pytest.mark.parametrize(
    "query",
    [
        "timeline: Putin's Eurasian security system, Keosayan's threat and Kamilov's article",
        "tick-tock: Putin's Eurasian security system, Keosayan's threat and Kamilov's article",
    ],
)
def test_a_timeline_of_several_people_s_events_needs_no_passage_naming_them_all(
    ask: Ask, query: str
) -> None:
    """The dates of many events, each someone's: a passage need name one of them, not all
    three (none does; it was "not directly answered"). "Tick-tock" asks for a chronology."""
    result = ask(query)
    assert (result.kind, result.grade) == ("timeline", "answered")
    assert {"Feb 2024", "14 Aug 2024"} <= {p.event_date for p in result.passages}


def test_a_host_city_asks_for_a_place(kb: Knowledge) -> None:
    """ "X summit - host city?": a town is asked, as "which city" asks it."""
    assert read(kb, "the next GCC summit: host city?").expects == "place"


def test_someone_on_a_topic_asks_for_their_words(ask: Ask) -> None:
    """ "X on Y - quote?": X speaks and Y, even an actor, is spoken of, as in `/quote X on Y`
    (it was MI6's words, which the articles never give)."""
    result = ask("Kirsanov on MI6 - quote?")
    assert result.grade == "answered" and result.actor is not None
    assert result.actor.id == "kirsanov"


@pytest.mark.parametrize(
    ("query", "author"),
    [
        ('who wrote the Diplomat "strained security architecture" piece?', "Saadi Khamidov"),
        ('who is the author of the Caspian-Alpine "defense alliance" article', "Caspian-Alpine"),
    ],
)
def test_title_words_in_quotation_marks_name_the_article_whose_author_is_asked(
    ask: Ask, query: str, author: str
) -> None:
    """Words of a named article's title in quotation marks name it; they are no phrase to
    find, so the author's profile answers (it was a briefing on the phrase)."""
    result = ask(query)
    assert (result.kind, result.heading) == ("actor", author)


def test_that_before_a_description_names_whom_it_describes(kb: Knowledge) -> None:
    """ "That Danish researcher", like "the Danish researcher", names the one person whose
    curated role it describes (it named no one, and Russia was read as "the russian tv
    host")."""
    q = read(kb, "what did that Danish researcher write about China?")
    assert q.speaker == "hansen"
    assert read(kb, "that russian tv host - what did he say?").speaker == "keosayan"
