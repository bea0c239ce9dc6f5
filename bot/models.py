"""The single schema of every thing C5 Brief knows: curated input, built fact base, answers.

Curated models forbid unknown keys so a typo in a hand-written TOML file fails the build loudly.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 2  # 2: source aliases

ActorKind = Literal["person", "state", "organisation", "group", "outlet"]
Precision = Literal["day", "month", "year"]


# Strict about keys (a misspelt field is an error, not ignored) and immutable once read.
# Schemas are built when a model is first used, not at import: a process answering from the
# store never validates curated input or a whole fact base, and starts that much sooner.
_STRICT = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Curated(BaseModel):
    """Base for anything a person writes by hand."""

    model_config = _STRICT


class Evidence(Curated):
    """A verbatim quotation from a seed that a curated statement rests on."""

    seed: str
    text: str
    start: int | None = Field(
        default=None, description="where the text first stands in the seed: set by the build"
    )


class Membership(Curated):
    """An affiliation or membership, with the text that states it."""

    of: str = Field(description="actor id of the group, state or organisation")
    relation: str = "member of"
    evidence: Evidence


class Source(Curated):
    """One article: the facts SOURCES.md gives about it."""

    id: str
    file: str
    title: str
    outlet: str
    original_outlet: str | None = None
    aliases: tuple[str, ...] = Field(default=(), description="outlet names readers use")
    author: str
    date: date
    date_precision: Precision
    date_note: str | None = None
    url: str
    url_verified: bool
    url_note: str | None = None


class Actor(Curated):
    """A person, state, organisation, group or outlet the articles name."""

    id: str
    name: str
    kind: ActorKind
    aliases: list[str] = Field(default_factory=list)
    role: str
    evidence: list[Evidence] = Field(min_length=1)
    memberships: list[Membership] = Field(default_factory=list)


class Occasion(Curated):
    """A named occasion the articles date only indirectly ("the summit in Astana", which one
    article places about a month before a proposal made last week): words said "at" it carry
    its date. The date rests on the evidence, as the curator reads it (`reading`)."""

    id: str
    names: list[str] = Field(min_length=1, description="how the articles name it, as written")
    date: datetime.date
    precision: Precision
    reading: str = Field(description="how the evidence gives the date")
    evidence: list[Evidence] = Field(min_length=1)


class Curation(Curated):
    """Everything in knowledge/*.toml, validated together."""

    sources: list[Source]
    actors: list[Actor]
    occasions: list[Occasion] = Field(default_factory=list)


class Frozen(BaseModel):
    """Base for the build's report and the whole fact base as the build validates it."""

    model_config = _STRICT


# Built records are plain slotted dataclasses, not one pydantic model each: a large fact base
# holds hundreds of thousands of them (bot.core.store reads them from SQLite rows without
# validating again). Pydantic still validates them once, inside FactBase, at build.
@dataclass(frozen=True, slots=True)
class Span:
    """Text cited by character offsets: seeds/<source>[start:end] == text."""

    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph(Span):
    id: int


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    id: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Mention:
    actor: str
    source: str
    start: int
    end: int
    sentence: int


@dataclass(frozen=True, slots=True)
class Quote(Span):
    """Words in quotation marks that someone says, or None as speaker when the text won't say.

    `speech` is False for a term in quotation marks, not anyone's words."""

    id: int
    sentence: int
    speaker: str | None
    speech: bool


@dataclass(frozen=True, slots=True)
class Event:
    """A sentence that dates something, with the date normalised where it can be.

    `date` is an ISO date; year or month precision still uses a full date."""

    id: int
    sentence: int
    expression: str
    date: str | None
    precision: Precision | None
    relative: bool
    actors: list[str]


@dataclass(frozen=True, slots=True)
class ActorStats:
    """An actor's counts and ids; from the store, the id lists are packed arrays."""

    actor: str
    mentions: dict[str, int]
    co_mentions: dict[str, int]
    quotes: Sequence[int]
    sentences: Sequence[int]


@dataclass(frozen=True, slots=True)
class SourceDigest:
    source: str
    summary: list[int]


class BuildReport(Frozen):
    counts: dict[str, int]
    unmatched_names: dict[str, int]
    quotes_without_speaker: list[str]


class FactBase(Frozen):
    schema_version: int
    sources: list[Source]
    actors: list[Actor]
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    mentions: list[Mention]
    quotes: list[Quote]
    events: list[Event]
    actor_stats: list[ActorStats]
    digests: list[SourceDigest]
    report: BuildReport


# --- Answers: what the core returns and every renderer reads. -------------------------------

AnswerKind = Literal[
    "brief", "actor", "quote", "timeline", "compare", "sources", "help", "not_found"
]
# answered; not_directly: the articles speak of the subject but don't answer (nearest passages
# shown, kind "not_found"); declined: positive evidence of absence (nothing shown).
Grade = Literal["answered", "not_directly", "declined"]
Voice = Literal["own", "quoted", "reported"]


class AnswerModel(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ActorRef(AnswerModel):
    id: str
    name: str
    kind: str
    aliases: list[str]


class Cited(AnswerModel):
    """A passage shown as a source's words: verbatim seed slice plus everything to cite it."""

    source: str = Field(description="seed file name")
    start: int
    end: int
    text: str
    url: str | None
    speaker: str | None = Field(default=None, description="canonical name when it is speech")
    speaker_id: str | None = None
    voice: Voice | None = Field(
        default=None,
        description="how the speaker's words stand in the passage: the quotation itself (own), "
        "a sentence quoting them (quoted), or the article reporting them (reported)",
    )
    title: str
    outlet: str
    date: str = Field(description="the source's date as a reader should see it, e.g. 'Aug 2024'")
    url_verified: bool
    event_date: str | None = Field(default=None, description="for timelines: the dated moment")
    said_date: str | None = Field(
        default=None, description="when the words were said, where the article says"
    )
    author: str = Field(default="", description="the source's author")
    score: float = 0.0
    focus_start: int | None = Field(
        default=None, description="where the sentence that matched starts, when context is shown"
    )
    focus_end: int | None = None

    def key(self) -> str:
        """`seed:start-end`: the passage's id in the query log, stable across rebuilds."""
        return f"{self.source}:{self.start}-{self.end}"

    def focus(self) -> str:
        """The sentence that matched (the whole passage when no context is shown)."""
        if self.focus_start is None or self.focus_end is None:
            return self.text
        return self.text[self.focus_start - self.start : self.focus_end - self.start]


class SourceCount(AnswerModel):
    source: str
    title: str
    count: int


class Profile(AnswerModel):
    """What an actor answer says beyond its passages."""

    role: str
    role_evidence: Cited | None
    mentions: list[SourceCount]  # the sources that name the actor most, most first (capped)
    sources_count: int  # every source that names the actor, listed or not
    memberships: list[str]
    quotes_count: int
    wrote: list[str] = Field(default_factory=list, description="articles the actor wrote")

    @property
    def unlisted_sources(self) -> int:
        return self.sources_count - len(self.mentions)


class SourceInfo(AnswerModel):
    file: str
    title: str
    outlet: str
    original_outlet: str | None
    author: str
    date: str
    date_note: str | None
    url: str
    url_verified: bool
    url_note: str | None


class HelpEntry(AnswerModel):
    command: str
    example: str
    description: str


class Page(AnswerModel):
    """Which part of a long answer this is: its passages (its sources, for /sources) are
    items `start + 1` to `start + len(...)` of `total`. Asking again with page `next` gives
    the following ones; `next` is None on the last page."""

    number: int = Field(default=0, description="0 for the first page")
    start: int = Field(default=0, description="items on the pages before this one")
    total: int = Field(default=0, description="items in the whole answer, on every page")
    next: int | None = None

    def paged(self, shown: int) -> bool:
        """Whether the answer holds more than this page's `shown` items."""
        return self.total > shown or self.number > 0


class Answer(AnswerModel):
    """The one result of any query; renderers turn it into text, JSON or Block Kit."""

    kind: AnswerKind
    grade: Grade = "answered"
    query: str
    heading: str
    bottom_line: str | None = Field(
        default=None, description="one line first: how many sources speak to it, and when"
    )
    actor: ActorRef | None = None
    profile: Profile | None = None
    passages: list[Cited] = Field(default_factory=list)
    contrast: list[Cited] = Field(
        default_factory=list,
        description="two passages of different sources that lean opposite ways on the topic, "
        "shown side by side (compare answers; empty when no two do)",
    )
    related: list[ActorRef] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
    sources: list[SourceInfo] = Field(default_factory=list)
    help: list[HelpEntry] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    age: str | None = Field(
        default=None, description="e.g. 'sources: May 2022 to Aug 2024', of what this page shows"
    )
    page: Page = Field(default_factory=Page)

    def items(self) -> int:
        """How many items this page shows: sources for /sources, else passages."""
        return len(self.sources) if self.kind == "sources" else len(self.passages)
