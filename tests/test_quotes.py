"""Who said what: every quotation's speaker, from a reading of the five articles."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.core.answers.topic import cited
from bot.core.knowledge import Knowledge
from bot.core.question import read
from bot.core.rank import Scored
from bot.models import FactBase, Quote

# (seed prefix, distinctive words inside the quotation marks, speaker id or None for a phrase)
SPEECH: list[object] = [
    # 001 Arab News: Tokayev's "He stressed:" and "He added:"
    ("001", "regional security architecture is becoming especially urgent", "tokayev"),
    ("001", "strict adherence to the principles of international law", "tokayev"),
    # 001: Xi only as "the Chinese leader"
    ("001", "consolidate unity and jointly oppose external interference", "xi"),
    # 001: Putin's call, his February line and "he said:" after a previous Putin sentence
    ("001", "new architecture of cooperation, indivisible security", "putin"),
    ("001", "new contour of equal and indivisible security in Eurasia", "putin"),
    ("001", "The multipolar world has become reality", "putin"),
    ("001", "fair world order and are ready to vigorously defend", "putin"),
    # 001: Kamilov
    ("001", "had assumed a special responsibility for the future of Central Asia", "kamilov"),
    ("001", "completely abandoning outdated approaches to establishing relations", "kamilov"),
    # 003: Keosayan's line, interrupted by "said Keosayan"
    ("003", "Look carefully at what is happening in Ukraine", "keosayan"),
    ("003", "imagine that nothing will happen to you, you are mistaken", "keosayan"),
    # 003: the Uzbek authorities
    ("003", "today we see no need for Uzbekistan to rejoin the CSTO", "uzbekistan"),
    # 004 RFE/RL: Anceschi, incl. the line attributed a paragraph earlier and "argued Anceschi"
    ("004", "reinvent itself in a comfortable geopolitical space", "anceschi"),
    ("004", "they are not on Russia’s side in Ukraine, like Belarus", "anceschi"),
    ("004", "perhaps the governments of the region see that space shrinking", "anceschi"),
    ("004", "often very vague about the details", "anceschi"),
    # 004: Komilov (Kamilov transliterated)
    ("004", "has assumed a special responsibility", "kamilov"),
    ("004", "completely abandoning outdated approaches of establishing relations", "kamilov"),
    # 004: Toqaev's op-ed words
    ("004", "defense and security cooperation", "tokayev"),
    ("004", "catalogue of security risks", "tokayev"),
    # 004: Mardan, once via "told ... that" and once via "he said"
    ("004", "forming a defense union in Central Asia cannot be called viable", "mardan"),
    ("004", "many border issues have not been resolved", "mardan"),
    # 004: Kirsanov's toga lines
    ("004", "donned the toga of a political thinker", "kirsanov"),
    ("004", "the tail of a red fox clearly sticks out from under the toga", "kirsanov"),
    # 004: Khod Mysley's author on Pashinian
    ("004", "slowly but surely turning Armenia from a friend of Russia", "khod_mysley"),
    # 004: Novruzova, incl. the "he said" continuation and "Novruzova wrote"
    ("004", "a highly experienced diplomat, significantly above his colleagues", "novruzova"),
    ("004", "entirely logical", "novruzova"),
    ("004", "for the Kremlin elites, the peaceful development of Russia", "novruzova"),
    ("004", "the machine of state aggression has been put into operation", "novruzova"),
    # 004: Shahbazov
    ("004", "gives it more room to manoeuvre", "shahbazov"),
    ("004", "is more energy and logistics", "shahbazov"),
]

# Terms in quotation marks that are nobody's words.
PHRASES = [
    ("000", "indivisible security space"),
    ("000", "catalog of security risks"),
    ("002", "security guarantor"),
    ("004", "Mambet revolution"),
    ("004", "Mambets"),
    ("004", "defense union"),
]


@pytest.mark.parametrize(("prefix", "fragment", "speaker"), SPEECH)
def test_quotation_speaker(
    quotes_with: Callable[[str, str], list[Quote]], prefix: str, fragment: str, speaker: str
) -> None:
    found = quotes_with(prefix, fragment)
    assert found, f"no quotation holds {fragment!r}"
    for q in found:
        assert (q.speaker, q.speech) == (speaker, True), q.text


@pytest.mark.parametrize(("prefix", "fragment"), PHRASES)
def test_phrase_is_nobodys_speech(
    quotes_with: Callable[[str, str], list[Quote]], prefix: str, fragment: str
) -> None:
    found = quotes_with(prefix, fragment)
    assert found, f"no quotation holds {fragment!r}"
    for q in found:
        assert (q.speaker, q.speech) == (None, False), q.text


def test_speakers_are_curated_actors(fb: FactBase) -> None:
    ids = {a.id for a in fb.actors}
    rows = [getattr(row, "values", row) for row in SPEECH]  # a pytest.param keeps its .values
    speakers = {row[2] for row in rows}  # type: ignore[index]
    assert len(rows) >= 20 and speakers <= ids


def test_interrupted_quote_is_two_quotes_not_one(
    quotes_with: Callable[[str, str], list[Quote]],
) -> None:
    """“Look carefully …”, said Keosayan, “if you think …”: the attribution is not quoted."""
    for q in quotes_with("003", "Look carefully"):
        assert "said Keosayan" not in q.text


def test_quotation_marks_are_not_part_of_the_quote(fb: FactBase) -> None:
    for q in fb.quotes:
        assert q.text[0] not in '“”"' and q.text[-1] not in '“”"', q.text


def test_actor_stats_list_each_speakers_quotes(fb: FactBase) -> None:
    stats = {s.actor: s for s in fb.actor_stats}
    for q in fb.quotes:
        if q.speaker:
            assert q.id in stats[q.speaker].quotes
    assert len(stats["anceschi"].quotes) == 4
    assert len(stats["novruzova"].quotes) == 4


@pytest.mark.parametrize(
    ("query", "speech"),
    [
        ("what did putin say when tokayev floated the plan?", True),
        ("what did russia do after kazakhstan called for a bloc?", False),
        ("how did moscow react once astana told it no?", False),
        ("when did putin say it?", True),  # "when" opening the question is no clause
    ],
)
def test_a_verb_of_speech_in_a_subordinate_clause_asks_for_no_ones_words(
    kb: Knowledge, query: str, speech: bool
) -> None:
    assert (read(kb, query).expects == "speech") == speech


@pytest.mark.parametrize(
    ("query", "speaker"),
    [
        ("what did Kazakh President Tokayev say about the sco?", "tokayev"),  # the nearest
        ("what did putin and xi say about the sco?", "putin"),  # the first of a pair
        ("what did russian officials say about the plan?", "russia"),  # the state's voice
        ("what did russian bloggers say about the plan?", None),  # someone else's words
        ("what did tokayev's critics say?", None),
        ("what did putin personally say about it?", "putin"),  # an adverb qualifies no one
    ],
)
def test_the_speaker_is_who_stands_before_the_verb(
    kb: Knowledge, query: str, speaker: str | None
) -> None:
    q = read(kb, query)
    assert q.expects == "speech" and q.speaker == speaker


@pytest.mark.parametrize(
    ("query", "speaker"),
    [
        ("what arguments did putin offer for the plan?", "putin"),
        ("which reasons has kirsanov given", "kirsanov"),
        ("what reasons are there for russia to give up the plan?", None),  # no one's case
    ],
)
def test_reasons_someone_gives_are_their_words(
    kb: Knowledge, query: str, speaker: str | None
) -> None:
    """ "What reasons did X give" asks for X's words as "what did X say" does."""
    q = read(kb, query)
    assert (q.expects == "speech") == (speaker is not None)
    if speaker:
        assert q.speaker == speaker


@pytest.mark.parametrize(
    ("query", "speech"),
    [
        ("what did putin urge the sco to do?", True),
        ("what did tokayev announce?", True),
        ("explain the csto", False),  # asked of the bot
    ],
)
def test_base_forms_of_reporting_verbs_ask_for_words(
    kb: Knowledge, query: str, speech: bool
) -> None:
    assert (read(kb, query).expects == "speech") == speech


def test_he_said_reports_the_words_of_the_person_before(kb: Knowledge) -> None:
    """ "He said that the proposed new Eurasian security pact should be open to all ...":
    Putin's words, reported; the sentence before names him alone as the one speaking."""
    reported = [kb.fb.sentences[sid].text for sid in kb.reported["putin"]]
    assert any(t.startswith("He said that the proposed new Eurasian") for t in reported)
    assert not any(
        kb.fb.sentences[sid].text.startswith("He said") for sid in kb.reported["tokayev"]
    )


@pytest.mark.parametrize(
    ("text", "reports"),
    [
        ("However, argues Fuad Shahbazov, a Baku-based analyst, no one is looking.", True),
        ("Fuad Shahbazov argued that no one is looking.", True),
        ("Analysts argue, and Fuad Shahbazov agrees, that no one is looking.", False),
        ("The columnist warned Fuad Shahbazov about it.", False),  # spoken to, not speaking
    ],
)
def test_a_reporting_verb_before_its_speaker_reports_their_words(
    kb: Knowledge, text: str, reports: bool
) -> None:
    """'..., argues X, ...': the speaker after the verb, set off by commas, is still speaking."""
    from bot.core.describe import reporter

    assert reporter(kb.actors["shahbazov"])(text) is reports


def test_a_quotation_of_several_sentences_is_its_speakers_in_each(kb: Knowledge) -> None:
    """A passage matched on the second sentence of a quotation is still shown as the
    speaker's words, though the quotation opened in the sentence before."""
    checked = 0
    for x in kb.fb.quotes:
        if not (x.speech and x.speaker):
            continue
        later = [
            sid
            for sid in range(x.sentence + 1, len(kb.fb.sentences))
            if kb.starts[sid] < x.end and kb.paragraph_of[sid] == kb.paragraph_of[x.sentence]
        ]
        for sid in later:
            shown = cited(kb, [Scored(sid, 1.0)])
            assert shown[0].speaker == kb.actors[x.speaker].name, kb.fb.sentences[sid].text
            checked += 1
    assert checked >= 3  # the articles hold several such quotations
