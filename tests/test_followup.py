"""Follow-ups read with the question before them (bot/followup.py), on the real fact base."""

from __future__ import annotations

import pytest

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.followup import Reading, follow_up, read


def chain(kb: Knowledge, *questions: str) -> Reading:
    reading = read(kb, questions[0])
    for question in questions[1:]:
        reading = follow_up(kb, reading, question)
    return reading


@pytest.mark.parametrize(
    ("questions", "query", "understood"),
    [
        # a speaker and no topic: the previous subject becomes the topic
        (
            ("/brief csto", "and what did Russia say?"),
            "what did Russia say about CSTO",
            "Russia on: CSTO",
        ),
        # a bare name after that: the same form, the topic kept
        (
            ("/brief csto", "and what did Russia say?", "and China?"),
            "what did China say about CSTO",
            "China on: CSTO",
        ),
        # no name: a pronoun stands for the previous subject
        (
            ("/actor Tokayev", "what did he propose?"),
            "what did Tokayev propose",
            "Tokayev on: propose",
        ),
        # "what about X" after a command: X is the topic, the command and its subject stay
        (
            ("/quote Tokayev", "what about Afghanistan?"),
            "/quote Tokayev Afghanistan",
            "Tokayev on: Afghanistan",
        ),
        (
            ("what did Tokayev say about the CSTO?", "and Mirziyoyev?"),
            "what did Mirziyoyev say about CSTO",
            "Mirziyoyev on: CSTO",
        ),
        # neither a name nor a topic: both carried
        (("/brief csto", "why?"), "why CSTO", "About: CSTO"),
    ],
)
def test_a_follow_up_carries_what_it_lacks(
    kb: Knowledge, questions: tuple[str, ...], query: str, understood: str
) -> None:
    reading = chain(kb, *questions)
    assert (reading.query, reading.understood) == (query, understood)


@pytest.mark.parametrize(
    ("previous", "question"),
    [
        ("/brief csto", "what did Tokayev propose about a Central Asian alliance?"),  # its own
        ("/brief csto", "/quote Tokayev"),  # a command is never a follow-up
        ("/sources", "Tokayev"),  # nothing to carry from a list of sources
        ("csto", "thanks"),  # no question at all
        ("help", "csto"),
    ],
)
def test_a_question_that_stands_alone_is_left_alone(
    kb: Knowledge, previous: str, question: str
) -> None:
    reading = follow_up(kb, read(kb, previous), question)
    assert reading == read(kb, question) and reading.understood is None


def test_the_answer_is_about_the_carried_over_topic(kb: Knowledge) -> None:
    """Russia on the CSTO: every passage shown is Russia's or names Russia, and the CSTO is
    among what they name (the topic carried over from the thread)."""
    reading = chain(kb, "/brief csto", "and what did Russia say?")
    top = answer(kb, reading.query).passages[:3]
    assert top
    named: set[str] = set()
    for passage in top:
        actors = {f.actor for f in kb.resolver.find(passage.text)} | {passage.speaker_id or ""}
        assert "russia" in actors, passage.text
        named |= actors
    assert "csto" in named
    alone = answer(kb, "and what did Russia say?").passages[:3]
    assert [p.text for p in alone] != [p.text for p in top]  # the thread changed the answer


def test_names_are_shown_as_the_reader_typed_them_in_the_aliases_case(kb: Knowledge) -> None:
    assert read(kb, "csto").subject == ("CSTO",)
    assert read(kb, "what did tokayev say about odkb").subject == ("Tokayev",)


def test_a_reading_survives_its_round_trip_through_message_metadata(kb: Knowledge) -> None:
    reading = chain(kb, "/brief csto", "and what did Russia say?")
    again = Reading.from_dict(reading.as_dict())
    assert again is not None
    assert (again.query, again.subject, again.topic) == (reading.query, ("Russia",), ("CSTO",))
    assert follow_up(kb, again, "and China?").understood == "China on: CSTO"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "x",
        {},
        {"q": 1, "s": [], "t": []},
        {"q": "x", "s": "Russia", "t": []},
        {"q": "x", "s": [1], "t": []},
    ],
)
def test_foreign_metadata_is_not_a_reading(data: object) -> None:
    assert Reading.from_dict(data) is None


def test_one_actor_named_twice_is_one_subject(kb: Knowledge) -> None:
    assert read(kb, "did Russia and the Kremlin agree?").subject == ("Russia",)
