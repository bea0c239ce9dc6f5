"""Words as data: one validated lexicon (bot/lexicon.toml) that the build and the core share."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")


class Month(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    names: list[str]


class Lexicon(BaseModel):
    """Word lists as written by hand; whitespace-separated strings read as frozensets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stopwords: frozenset[str]
    determiners: frozenset[str]
    abbreviations: dict[str, str]
    initialisms: dict[str, str]  # matched in capitals only
    question_words: frozenset[str]
    honorifics: frozenset[str]  # "Mr", "Dr": before a name, naming no one
    greetings: list[str]  # "hey, who ...": before a question, asking nothing
    where_to_look: list[str]  # "in the articles": anywhere in a question, asking nothing
    asking_phrases: list[str]  # "can you tell me who ...": asking to be told
    labels: list[str]  # "tl;dr": wherever it stands, asking nothing
    courtesies: list[str]  # "... thanks": after a question
    claim_checks: list[str]  # "X — check", "check: X": after or before a claim to check
    claim_labels: list[str]  # "claim: X": before a claim to check, with a colon or a dash
    claim_openers: list[str]  # "is it true that X": before a claim to check
    combining_forms: frozenset[str]  # "sino" in "Sino-Russian": no name of its own
    derived_endings: frozenset[str]  # "Islamist", "Sinophobia": made from a name, naming none
    likeness_words: frozenset[str]  # how a comparison asks: "do A and B agree", "similarities"
    subordinators: frozenset[str]  # open a clause that sets the scene ("when Y asked")
    state_voices: frozenset[str]  # "Russian officials said": still Russia speaking
    gist_words: frozenset[str]  # asking for what a text argues: "main point", "bottom line"
    author_words: frozenset[str]  # asking who wrote a text: "columnist", "wrote"
    text_kinds: frozenset[str]  # kinds of text a writer signs: "piece", "column"
    answer_forms: frozenset[str]  # the form of answer asked: "in one sentence", "intro"
    role_words: frozenset[str]  # asking what someone does: "job", "affiliation"
    record_words: frozenset[str]  # "when was X published": the source's record answers
    speech_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    speech_participles: frozenset[str]  # passive unless after a perfect auxiliary
    unspoken_particles: frozenset[str]  # "called off": a verb of speech meaning no words
    first_person: frozenset[str]  # "our draft says": the asker speaks
    third_person: frozenset[str]  # "what did he say": the person named before
    own_documents: frozenset[str]  # "draft says ...": the asker's, no one's name
    topic_prepositions: frozenset[str]  # "about NATO": NATO is spoken of
    confirmation_words: frozenset[str]  # "Is that right?" asks nothing of its own
    perfect_auxiliaries: frozenset[str]
    speech_nouns: frozenset[str]
    argument_nouns: frozenset[str]  # the case someone makes: "reasons", "arguments"
    giving_verbs: frozenset[str]  # that make it: "give", "offer", "cite"
    fronting_auxiliaries: frozenset[str]  # "what reasons did ...": the noun is the object
    back_references: frozenset[str]  # phrases of one or more words, opening a sentence
    back_pointers: frozenset[str]  # the same, anywhere early in a sentence
    causal_markers: frozenset[str]  # phrases that give a reason ("because", "due to")
    list_kinds: dict[str, str]  # "countries" -> "state": what a list question asks for
    stance_for: frozenset[str]
    stance_against: frozenset[str]
    stance_acts: frozenset[str]  # of those, acts done to something
    stance_objects: frozenset[str]  # what a stance is taken on, besides the topic
    reaction_words: frozenset[str]  # "how did X react": X's own words or acts
    negations: frozenset[str]
    turns: frozenset[str]  # what follows the last of them is the stance
    presence_words: frozenset[str]  # what places a sentence at an occasion
    ordinals: dict[str, int]  # "sixth" -> 6; "next" -> 0, any place after the first
    event_kinds: list[str]  # one kind of event a "when" question names, its word forms each
    duration_units: frozenset[str]
    numerals: dict[str, int]  # "five": 5
    length_units: frozenset[str]
    measure_nouns: frozenset[str]  # a sum of money or a headcount: what a number answers
    figure_words: frozenset[str]  # "population number": asks for the measure's figure
    # "death toll": a count of people the articles give in other words ("230 dead")
    counted_by: dict[str, frozenset[str]]
    named_things: frozenset[str]  # "which company", "which model": a proper name answers
    office_titles: frozenset[str]  # "the name of X's minister" asks who holds one
    top_office_words: frozenset[str]  # "China's leader": whoever holds its top office
    part_nouns: frozenset[str]  # "organ of", "ministry of": a part of the actor
    past_qualifiers: frozenset[str]  # "former president": not the holder now
    leading_verbs: frozenset[str]  # "who leads X": its top office's holder
    superlatives: frozenset[str]  # "the largest population" asks which, not how many
    month: list[Month]
    spellings: list[tuple[str, str]]  # British and American endings, read both ways

    @field_validator(
        "stopwords",
        "determiners",
        "question_words",
        "honorifics",
        "likeness_words",
        "subordinators",
        "combining_forms",
        "derived_endings",
        "state_voices",
        "gist_words",
        "author_words",
        "text_kinds",
        "answer_forms",
        "role_words",
        "record_words",
        "speech_verbs",
        "naming_verbs",
        "speech_nouns",
        "speech_participles",
        "unspoken_particles",
        "first_person",
        "third_person",
        "own_documents",
        "topic_prepositions",
        "confirmation_words",
        "perfect_auxiliaries",
        "argument_nouns",
        "giving_verbs",
        "fronting_auxiliaries",
        "duration_units",
        "length_units",
        "measure_nouns",
        "figure_words",
        "superlatives",
        "named_things",
        "office_titles",
        "top_office_words",
        "part_nouns",
        "past_qualifiers",
        "leading_verbs",
        "stance_for",
        "stance_against",
        "stance_acts",
        "reaction_words",
        "stance_objects",
        "negations",
        "turns",
        "presence_words",
        mode="before",
    )
    @classmethod
    def _split(cls, value: object) -> object:
        return frozenset(value.lower().split()) if isinstance(value, str) else value

    @field_validator("counted_by", mode="before")
    @classmethod
    def _split_each(cls, value: object) -> object:
        return (
            {k: frozenset(v.lower().split()) for k, v in value.items()}
            if isinstance(value, dict)
            else value
        )

    @property
    def events(self) -> tuple[frozenset[str], ...]:
        """Each kind of event's word forms (event_kinds), as sets."""
        return tuple(frozenset(kind.lower().split()) for kind in self.event_kinds)

    @property
    def months(self) -> dict[str, int]:
        """Month name or abbreviation -> 1..12."""
        return {name: n for n, m in enumerate(self.month, start=1) for name in m.names}


def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    return Lexicon.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


WORDS = load_lexicon()
