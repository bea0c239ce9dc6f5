"""Query in, Answer out: read the question once, route it by what it expects, grade the answer.

Each answer kind lives in its own module under bot.core.answers; none calls another as a
fallback, and "not answered" is a graded value, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core import messages
from bot.core.answers.actor import actor_answer
from bot.core.answers.common import declined, not_directly
from bot.core.answers.compare import compare_answer
from bot.core.answers.gist import (
    asks_author,
    asks_gist,
    asks_record,
    asks_role,
    author_answer,
    byline,
    compares_gists,
    gist_answer,
)
from bot.core.answers.listing import help_answer, overview_answer, sources_answer
from bot.core.answers.speech import speech_answer
from bot.core.answers.timeline import timeline_answer
from bot.core.answers.topic import checked, cited, topic_answer
from bot.core.evidence import place_named
from bot.core.knowledge import Knowledge
from bot.core.question import Expect, Question, read
from bot.core.unknown import unknown_names, unnamed_offices
from bot.models import Answer, Page

# Each route gets the page asked for (0, the first); answers that list more than a page
# (the overview, sources, timelines, quotes) build only that page's passages.
Route = Callable[[Knowledge, Question, int], Answer]
NEAREST = 3  # passages shown under "not directly answered"


def _actor(kb: Knowledge, q: Question) -> Answer:
    """`/actor X`, 'who is X': the profile. Words no one goes by that the articles use
    (`/actor europe`) are not "none of the articles answers": no profile, but the passages
    that speak of them, as context."""
    if q.actors:
        return actor_answer(kb, q)
    ordered, _ = checked(kb, q)
    if not ordered:
        return declined(kb, q, messages.not_found(q.text))
    return not_directly(
        kb, q, cited(kb, ordered[:NEAREST]), ordered, reason=messages.no_profile(q.text)
    )


def _whole(build: Callable[[Knowledge, Question], Answer]) -> Route:
    """A route whose answer is all on one page: the page asked for does not change it."""
    return lambda kb, q, page: build(kb, q)


ROUTES: dict[Expect, Route] = {
    "overview": lambda kb, q, page: overview_answer(kb, q.text, page),
    "actor": _whole(_actor),
    "speech": speech_answer,
    "date": timeline_answer,
    "compare": _whole(compare_answer),
    **{
        expects: _whole(topic_answer)
        for expects in ("count", "duration", "place", "list", "person", "name", "yesno", "topic")
    },
}


def answer(kb: Knowledge, raw: str, page: int = 0) -> Answer:
    """Answer one query from the fact base, page `page` of it (0, the first: a page beyond
    the last gives the last); never raises on odd input."""
    q = read(kb, raw)
    result = route(kb, q, page)
    if result.page.total == 0:  # an answer on one page: all of it
        result.page = Page(total=result.items())
    if q.truncated:
        result.notes.insert(0, messages.TRUNCATED)
    return result


def route(kb: Knowledge, q: Question, page: int = 0) -> Answer:
    if q.command == "help":
        return help_answer(q.text or "help")
    if q.command == "sources":
        return sources_answer(kb, q.text or "/sources", page)
    if q.command == "timeline" and not q.text:
        return timeline_answer(kb, q, page)
    if not q.text:
        return help_answer(q.raw.strip()[:200] or "", note=messages.EMPTY)
    if not q.keys and not q.actors and q.expects not in ("overview", "date") and not q.phrase:
        # "how do the articles differ?", "what do the articles say?": no topic to answer on
        note = messages.COMPARE_WHAT if q.expects == "compare" else messages.ABOUT_WHAT
        return help_answer(q.text, note=note)
    unknown = unknown_names(kb, q)
    if unknown:
        return declined(kb, q, messages.unknown_names(unknown))
    offices = unnamed_offices(kb, q)
    if offices:  # "how did the Kyrgyz president react": no one the articles speak of
        ordered, _ = checked(kb, q)
        reason = messages.offices_unnamed(offices)
        return not_directly(kb, q, cited(kb, ordered[:NEAREST]), ordered, reason=reason)
    if compares_gists(kb, q):  # "Hansen vs Khamidov": what each of their articles argues
        return compare_answer(kb, q)
    if asks_record(kb, q):  # "when was the Hansen article published": its record
        return sources_answer(kb, q.text, files=q.sources)
    if asks_author(kb, q):  # "who is the Arab News columnist": its byline
        return author_answer(kb, q)
    if asks_gist(kb, q):  # "summary of the Diplomat piece": what it argues
        return actor_answer(kb, q) if q.command == "actor" and q.actors else gist_answer(kb, q)
    if q.expects != "overview" and asks_role(q):
        return _author_alone(kb, q)  # "where is <author> from": about the author alone
    if q.expects != "overview" and q.known_share(kb) == 0:
        return declined(kb, q, messages.not_found(q.text))  # no word any article uses
    return ROUTES[q.expects](kb, q, page)


def _author_alone(kb: Knowledge, q: Question) -> Answer:
    """The profile of an author or outlet asked about alone. "Where is X from" asks for a
    place, "what is X's job" for a role: a profile whose role evidence gives neither (a bare
    byline, "By X") does not answer, so it is shown as the nearest, not as the answer."""
    profile = actor_answer(kb, q)
    role = profile.profile.role_evidence if profile.profile else None
    if q.terms:  # words asking what they do: the role line must say more than a name
        gives = (
            role is not None
            and profile.actor is not None
            and not byline(kb, profile.actor.id, role.text)
        )
    else:
        gives = q.expects != "place" or (role is not None and place_named(kb, q, role.text))
    return profile if gives else not_directly(kb, q, profile.passages[:NEAREST])
