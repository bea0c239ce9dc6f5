"""Names as people type them resolve to one actor; ordinary words never do."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.core.aliases import AliasMatcher
from bot.core.knowledge import Knowledge
from bot.models import FactBase

SPELLINGS = [
    # transliterations and full names
    ("Tokayev", "tokayev"),
    ("Toqaev", "tokayev"),
    ("Tokaev", "tokayev"),
    ("Kassym-Jomart Tokayev", "tokayev"),
    ("Qasym-Zhomart Toqaev", "tokayev"),
    ("Toqaev’s", "tokayev"),
    ("Mirziyoyev", "mirziyoyev"),
    ("Mirziyoev", "mirziyoyev"),
    ("Kamilov", "kamilov"),
    ("Komilov", "kamilov"),
    ("Pashinian", "pashinian"),
    ("Pashinyan", "pashinian"),
    ("the Chinese leader", "xi"),
    ("Lukashenko", "lukashenko"),
    ("the Kremlin", "russia"),
    ("Moscow", "russia"),
    ("Collective Security Treaty Organization", "csto"),
    ("csto", "csto"),
    ("Uzbek", "uzbekistan"),
    ("TURKMENISTAN", "turkmenistan"),
    # typos
    ("ancheschi", "anceschi"),
    ("kyrgystan", "kyrgyzstan"),
    ("CTSO", "csto"),
    ("shahbazof", "shahbazov"),
    ("Keosyan", "keosayan"),
    ("novruzva", "novruzova"),
    ("Kirsanoff", "kirsanov"),
    ("kazakstan", "kazakhstan"),
    ("Tadjikistan", "tajikistan"),
    ("Mardna", "mardan"),  # two letters swapped: one edit
    ("Rusisa", "russia"),
    # inside a question
    ("what did putin say?", "putin"),
    ("WHAT IS RUSSIA'S ROLE?", "russia"),  # a possessive in capitals
    ("who is tokaev", "tokayev"),
]


@pytest.mark.parametrize(("text", "actor"), SPELLINGS)
def test_spelling_resolves_to_actor(kb: Knowledge, text: str, actor: str) -> None:
    found = kb.resolver.find(text)
    assert found, f"{text!r} resolved to nothing"
    assert found[0].actor == actor


NOT_NAMES = [
    "security",
    "alliance",
    "tell us about the war",
    "army",
    "trade",
    "border",
    "west of",
    "drones",
    "the",
    "military exercises",
    "president",
    "neutral",
    "who is it",
    "cenral asian",  # a typo of two words, not of "Central Asian five" missing a word
    "",
]


@pytest.mark.parametrize("text", NOT_NAMES)
def test_ordinary_words_resolve_to_nobody(kb: Knowledge, text: str) -> None:
    assert kb.resolver.find(text) == []


def test_found_offsets_point_at_the_name(kb: Knowledge) -> None:
    text = "what did Toqaev and Mardan say?"
    found = kb.resolver.find(text)
    assert [(f.actor, text[f.start : f.end]) for f in found] == [
        ("tokayev", "Toqaev"),
        ("mardan", "Mardan"),
    ]
    assert all(f.exact for f in found)


def test_hyphenated_compound_names_each_actor(kb: Knowledge) -> None:
    """As the build's alias matcher reads article text: "Uzbek-Turkmen" names both."""
    text = "uzbek-turkmen trade and the kassym-jomart tokayev plan"
    found = kb.resolver.find(text)
    assert [(f.actor, text[f.start : f.end]) for f in found] == [
        ("uzbekistan", "uzbek"),
        ("turkmenistan", "turkmen"),
        ("tokayev", "kassym-jomart tokayev"),
    ]


def test_typo_is_marked_inexact(kb: Knowledge) -> None:
    found = kb.resolver.find("Keosyan")
    assert found and not found[0].exact


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("the us-central asia summit", "usa"),  # "us" joined by a hyphen: no pronoun
        ("tell us about it", None),
        ("the caspain alpine article", "caspian_alpine"),  # a typo in one word
        ("flemming hansn", "hansen"),
        ("the caspian pipeline consortium", None),  # close as a whole, not word by word
    ],
)
def test_names_typed_loosely(kb: Knowledge, text: str, actor: str | None) -> None:
    found = [f.actor for f in kb.resolver.find(text)]
    assert found == ([actor] if actor else [])


def test_suggest_offers_a_near_name(kb: Knowledge) -> None:
    assert "tokayev" in kb.resolver.suggest("Tokayv")


# --- alias mentions in the fact base ----------------------------------------------------------


def test_possessive_counts_for_the_actor(
    fb: FactBase, seed_texts: dict[str, str], seed_file: Callable[[str], str]
) -> None:
    source = seed_file("000")
    at = seed_texts[source].index("Kazakhstan’s President Kassym-Jomart Tokayev proposed")
    actors_at = {m.actor for m in fb.mentions if m.source == source and m.start == at}
    assert actors_at == {"kazakhstan"}


def test_accents_and_case_do_not_matter(fb: FactBase) -> None:
    matcher = AliasMatcher(fb.actors)
    hits = matcher.find("Türkiye, turkiye and TURKEY; kazakhstan’s army")
    assert [h.actor for h in hits] == ["turkey", "turkey", "turkey", "kazakhstan"]


def test_alias_inside_a_word_is_no_mention(fb: FactBase) -> None:
    matcher = AliasMatcher(fb.actors)
    # "Iran" in "Iranian" is Iran, but not in "Tirana"; "Xi" not in "taxi"; "US" not in "USB"
    actors = [h.actor for h in matcher.find("Tirana taxi USB discuss Armenianism")]
    assert actors == []


def test_acronyms_match_case_sensitively(fb: FactBase) -> None:
    matcher = AliasMatcher(fb.actors)
    assert [h.actor for h in matcher.find("the US told us")] == ["usa"]
    assert [h.actor for h in matcher.find("the UN and un-")] == ["un"]


def test_no_united_states_mention_at_lowercase_us(fb: FactBase, seed_texts: dict[str, str]) -> None:
    said = [seed_texts[m.source][m.start : m.end] for m in fb.mentions if m.actor == "usa"]
    assert said, "the articles do name the United States"
    assert "us" not in said and "Us" not in said


# (seed, actor, how many times the body text names the actor), counted by reading
MENTION_COUNTS = [
    ("001", "usa", 4),  # The US, the US, America’s, US direct investments
    ("003", "uzbekistan", 4),  # Uzbekistan, The Uzbek authorities, Uzbekistan, the Uzbeks
    ("001", "putin", 4),
    ("003", "keosayan", 2),
    ("004", "anceschi", 3),
    ("004", "shahbazov", 3),
    ("002", "belarus", 3),
    ("004", "uzbekistan", 8),
    ("004", "kamilov", 1),
]


@pytest.mark.parametrize(("prefix", "actor", "count"), MENTION_COUNTS)
def test_mention_counts(
    fb: FactBase, seed_file: Callable[[str], str], prefix: str, actor: str, count: int
) -> None:
    stats = {s.actor: s for s in fb.actor_stats}
    assert stats[actor].mentions.get(seed_file(prefix), 0) == count


def test_uzbekistan_is_not_double_counted(
    fb: FactBase, seed_texts: dict[str, str], seed_file: Callable[[str], str]
) -> None:
    """“Uzbekistan” holds “Uzbek”: one name, one mention."""
    source = seed_file("001")
    said = [seed_texts[source][m.start : m.end] for m in fb.mentions if m.source == source]
    body = "\n".join(p.text for p in fb.paragraphs if p.source == source)
    assert said.count("Uzbekistan") == len(re.findall(r"\bUzbekistan\b", body))
    assert said.count("Uzbek") == len(re.findall(r"\bUzbek\b", body))
    assert "Uzbek" in said and "Uzbekistan" in said
