"""Every user-visible sentence the core says in its own voice, kept in one place."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import HelpEntry, Source

TRUNCATED = "Your question was over 1,000 characters; I read only the first 1,000."
EMPTY = "Ask me something: a topic, a name or a phrase. Here is what I can do."
ABOUT_WHAT = (
    "About what? Name a topic, an actor or words from an article, e.g. `/brief csto` or "
    "“why is a Central Asian alliance premature?”."
)
COMPARE_WHAT = (
    "Compare the articles on what? Name a topic or an actor, e.g. `/compare china russia` or "
    "“how do the articles differ on the CSTO?”."
)
NOT_IN_BODY = "The articles name this actor only outside their body text (byline or credits)."
OVERVIEW_HEADING = "What C5 Brief knows"
SOURCES_HEADING = "The articles C5 Brief answers from"


def record_heading(count: int) -> str:
    """Over the record of the articles a question names: where, when and by whom."""
    noun = "The article" if count == 1 else "The articles"
    return f"{noun} asked about: outlet, author, date and link"


HELP_HEADING = "C5 Brief: verifiable briefings on Central Asia's security architecture"
NOT_FOUND_HEADING = "The articles don't answer that"
NOT_DIRECTLY_HEADING = "Not directly answered"
CONTRAST_HEADING = "Leaning opposite ways, side by side"


def showing(first: int, last: int, total: int) -> str:
    """Where a page of a long answer stands: 'Showing 51–100 of 38,474'."""
    return f"Showing {first:,}–{last:,} of {total:,}"


def more_sources(count: int) -> str:
    """The tail of a profile's capped source list."""
    if count <= 0:
        return ""
    return f" and {count:,} more source{'' if count == 1 else 's'}"


HELP = [
    HelpEntry(
        command="/brief TOPIC",
        example="/brief csto",
        description="A short briefing built only from the articles' sentences, each cited.",
    ),
    HelpEntry(
        command="/actor NAME",
        example="/actor toqaev",
        description="Who a person, state or organisation is, what they said, where.",
    ),
    HelpEntry(
        command="/quote PHRASE-OR-SPEAKER",
        example="/quote indivisible security",
        description="Verbatim quotations with speaker and link.",
    ),
    HelpEntry(
        command="/timeline [ACTOR-OR-TOPIC]",
        example="/timeline uzbekistan",
        description="Dated events in order, each with its sentence.",
    ),
    HelpEntry(
        command="/sources",
        example="/sources",
        description="The articles: outlet, author, date and link.",
    ),
    HelpEntry(
        command="a question",
        example="why is a Central Asian alliance premature?",
        description="Mention me or DM me; 'brief me' gives an overview.",
    ),
]


def no_profile(text: str) -> str:
    return (
        f"No one the articles speak of goes by “{text[:200]}”, so there is no profile; the "
        "articles do use the words. The passages that do follow: read them as context."
    )


def not_found(text: str) -> str:
    return (
        f"None of the articles answers “{text[:200]}”. "
        "Nothing is shown rather than something unrelated; try one of these instead."
    )


def no_quotes(name: str) -> str:
    return f"The articles quote no words of {name}. They do mention them: see the profile."


def offices_unnamed(offices: list[str]) -> str:
    shown = offices[:3]
    listed = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
    which = "that office" if len(shown) == 1 else "those offices"
    return (
        f"The articles never name {listed}, nor say who holds {which}, so they can't "
        "answer this. The nearest passages on the topic follow: read them as context."
    )


def unknown_names(names: list[str]) -> str:
    listed = ", ".join(names[:3])
    return (
        f"The articles never mention {listed}, so they can't answer this. "
        "Nothing is shown rather than something unrelated; try one of these instead."
    )


def no_quotes_on(name: str, topic: str) -> str:
    return f"The articles quote {name}, but not on “{topic[:200]}”. Here is what they do have."


def no_quote_match(text: str) -> str:
    return f"No quotation in the articles matches “{text[:200]}”."


def quotes_by(name: str) -> str:
    return f"What {name} said"


def quotes_matching(text: str) -> str:
    return f"Quotations matching “{text[:200]}”"


def timeline_heading(subject: str) -> str:
    return f"Timeline: {subject[:200]}"


def overview_note(sources: int, actors: int) -> str:
    return (
        f"I answer from {sources} articles and know {actors} people, states and organisations. "
        "Every passage is verbatim with its link."
    )


# What a passage lacked, by what the question expected: said instead of a bare "no answer".
LACKING = {
    "count": "gives the number asked for",
    "date": "dates it",
    "duration": "says how long",
    "place": "says where",
    "person": "names who",
    "name": "gives the name",
    "list": "lists them",
    "day": "gives the day",
}


def not_directly(text: str, expects: str = "", counted: str = "") -> str:
    lacking = LACKING.get(expects, "answers it directly")
    if expects == "count" and counted:
        lacking = f"gives a number of {counted}"
    return (
        f"The articles speak of what “{text[:200]}” is about, but none of their passages "
        f"{lacking}. The nearest passages follow: read them as context, not as the answer."
    )


def author_note(name: str, count: int, total: int, verb: str = "wrote") -> str:
    what = "it argues" if count == 1 else "they argue"
    return (
        f"{name} {verb} {count} of the {total} articles C5 Brief answers from; below, what {what}."
    )


def no_words(name: str) -> str:
    return f"The articles neither quote {name} nor report what {name} said."


def no_words_nearest(name: str) -> str:
    return (
        f"{no_words(name)} The nearest passages on the topic follow: read them as context, "
        f"not as {name}'s words."
    )


def speech_off_topic(name: str, topic: str) -> str:
    return (
        f"The articles report what {name} said, but not on “{topic[:200]}”. "
        f"Nearest: {name}'s words, then passages on the topic."
    )


def compare_heading(text: str) -> str:
    return f"How the articles see: {text[:200]}"


def home_more_sources(count: int) -> str:
    """Below the sources the Home tab lists, in a large library."""
    return f"…and {count:,} more: `/sources` lists them all, oldest first."


SILENT_SHOWN = 5  # sources named as silent on a comparison's topic


def silent(titles: list[str]) -> str:
    return "Silent on this: " + "; ".join(titles[:SILENT_SHOWN]) + "."


def named_silent(titles: Sequence[str]) -> str:
    named = " or ".join(f"“{t}”" for t in titles)
    return (
        f"None of the question's words is in {named}. What the article argues follows as "
        "context, not as the answer."
    )


def never_counted(word: str) -> str:
    return (
        f"None of the articles uses the word “{word}”, so none says how many in those "
        "words. The nearest passages follow: read them as context, not as the answer."
    )


def no_figure(measure: str) -> str:
    return (
        f"None of the articles gives a figure for “{measure}”, so there is nothing to compare. "
        "The nearest passages follow: read them as context, not as the answer."
    )


def bylines(sources: Sequence[Source]) -> str:
    """Who wrote each source, as its record gives it."""
    return "; ".join(f"{s.title} ({s.outlet}): by {s.author}" for s in sources)
