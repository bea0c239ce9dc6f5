"""Follow-up questions: "and what did Russia say?" read with the question before it.

Deterministic and free of Slack, so the console could use it too. A question is read as a
subject (the actors it is about) and a topic (other actors it asks about, and its content
words). A follow-up keeps what it names and takes what it lacks from the previous reading:
no actors of its own, the previous subject; no topic of its own, the previous topic (or,
when that was empty, the previous subject it does not repeat). The result is the query the
core answers, plus the reading to show ("Russia on: CSTO") and to carry to the next follow-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.knowledge import Knowledge
from bot.core.query import parse
from bot.core.text import STOPWORDS, fold

# Words that give a question its form, never its topic.
_FORM = frozenset(
    "say said says saying tell told think thinks thought write wrote written quote quotes "
    "quoted argue argued claim claimed comment commented stress stressed warn warned view "
    "views position stance opinion me us please thanks thank ok okay else too also more "
    "brief summary summarise summarize explain anything something".split()
)
_SPEECH = frozenset(
    "say said says saying tell told think thinks thought write wrote quote quoted argue "
    "argued claim claimed comment commented stress stressed warn warned".split()
)
# After one of these, a name is what the question is about, not who it is about.
_MARKERS = _SPEECH | {"on", "about", "regarding", "re", "concerning", "towards", "toward"}
_CONJUNCTION = re.compile(r"^(?:(?:and|but|so|also|then|ok|okay|well)\b[\s,]*)+", re.I)
_SHIFT = re.compile(r"^(?:what|how)\s+about\b\s*", re.I)  # "what about X": X is the topic
_ASKS = re.compile(r"\b(?:why|how|when|where|who|what|which|whose)\b", re.I)
_PRONOUN = re.compile(r"\b(he|she|they|him|her|them|it|his|their|its)\b", re.I)
_JOINING = frozenset({"on", "about", "regarding", "and", "the"})  # allowed in a bare follow-up
_POSSESSIVE = frozenset({"his", "their", "its"})
_WORD = re.compile(r"[\w'’-]+")
_KEEPS_FORM = ("brief", "quote", "timeline")  # commands whose form a bare follow-up reuses


@dataclass(frozen=True)
class Reading:
    """How a question was understood: the query the core answers, who and what it is about."""

    query: str
    subject: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    command: str = "free"
    speech: bool = False
    carried: bool = False  # something came from the previous question

    def as_dict(self) -> dict[str, object]:
        """Compact enough to ride along with an answer (Slack message metadata)."""
        return {
            "q": self.query[:1000],
            "s": list(self.subject),
            "t": list(self.topic),
            "c": self.command,
            "v": self.speech,
        }

    @classmethod
    def from_dict(cls, data: object) -> Reading | None:
        """The reading `as_dict` wrote, or None for anything else (a foreign or older shape)."""
        if not isinstance(data, dict):
            return None
        query, command, speech = data.get("q"), data.get("c", "free"), data.get("v", False)
        subject, topic = _names(data.get("s")), _names(data.get("t"))
        if not isinstance(query, str) or not isinstance(command, str):
            return None
        if subject is None or topic is None:
            return None
        return cls(query, subject, topic, command, speech is True)

    @property
    def understood(self) -> str | None:
        """What to tell the reader ("Russia on: CSTO"), when the reading leaned on context."""
        if not self.carried:
            return None
        who, what = ", ".join(self.subject), ", ".join(self.topic)
        if who and what:
            return f"{who} on: {what}"
        return f"On: {what}" if what else f"About: {who}" if who else None


def read(kb: Knowledge, text: str) -> Reading:
    """A question on its own: its subject and topic, the query unchanged."""
    query = parse(text)
    subject, topic, speech, _ = _split(kb, query.text)
    return Reading(text, tuple(subject), tuple(topic), query.command, speech)


def follow_up(kb: Knowledge, previous: Reading, text: str) -> Reading:
    """Read `text` as a follow-up to `previous`; a question that stands alone comes back as is."""
    query = parse(text)
    if query.command != "free" or previous.command in ("help", "sources"):
        return read(kb, text)
    said = _CONJUNCTION.sub("", query.text).strip(" ?!.,;:")
    subject, topic, speech, _ = _split(kb, said)  # "what about X" marks X as the topic
    body = _SHIFT.sub("", said)
    bare = _split(kb, body)[3]
    if subject and topic:
        return read(kb, text)
    if not (subject or topic or _PRONOUN.search(body) or _ASKS.search(said)):
        return read(kb, text)  # "thanks", "ok": nothing to read with context
    if not previous.subject and not previous.topic:
        return read(kb, text)
    new_subject = subject or list(previous.subject)
    if topic:
        new_topic = topic
    elif previous.topic:
        new_topic = [t for t in previous.topic if t not in new_subject]
    else:
        new_topic = [s for s in previous.subject if s not in new_subject]
    if new_subject == subject and new_topic == topic:
        return read(kb, text)
    speech = speech or (bare and previous.speech)
    built = _query(body, previous, subject, new_subject, new_topic, speech, bare)
    command = parse(built).command
    return Reading(built, tuple(new_subject), tuple(new_topic), command, speech, carried=True)


def _query(
    body: str,
    previous: Reading,
    own_subject: list[str],
    subject: list[str],
    topic: list[str],
    speech: bool,
    bare: bool,
) -> str:
    """The words the core answers: the follow-up with what it lacked written in."""
    who, what = " and ".join(subject), " ".join(topic)
    if bare:  # only names and topic words: the previous question's form, with them
        if previous.command in _KEEPS_FORM:
            return f"/{previous.command} {' '.join(subject)} {what}".strip()
        if speech and who:
            return f"what did {who} say about {what}".strip()
        return f"{who} on {what}".strip() if who and what else f"{who}{what}"
    if not own_subject and who:
        pronoun = _PRONOUN.search(body)
        if pronoun:
            name = who + ("'s" if pronoun.group(1).lower() in _POSSESSIVE else "")
            body = body[: pronoun.start()] + name + body[pronoun.end() :]
            who = ""
    carried_topic = [t for t in topic if fold(t) not in fold(body)]
    tail = " ".join(carried_topic)
    joined = body if own_subject else f"{body} {who}".strip()
    if tail:
        joined += (" about " if speech else " on ") + tail
    return joined


def _split(kb: Knowledge, text: str) -> tuple[list[str], list[str], bool, bool]:
    """Subject actors, topic (actors after "on"/"about"/a speech verb, then content words),
    whether it asks for someone's words, and whether it is bare (names and topic words only)."""
    found = kb.resolver.find(text)
    tokens = [(m.start(), m.end(), fold(m.group(0))) for m in _WORD.finditer(text)]
    speech = any(t in _SPEECH for _, _, t in tokens)
    subject: list[str] = []
    topic: list[str] = []
    seen: set[str] = set()
    for f in found:
        if f.actor in seen:  # "Russia ... Moscow": one actor, named once
            continue
        seen.add(f.actor)
        marked = any(t in _MARKERS for _, end, t in tokens if end <= f.start)
        (topic if marked else subject).append(_shown(kb, f.actor, text[f.start : f.end]))
    spans = [(f.start, f.end) for f in found]
    words = [
        (start, text[start:end], token)
        for start, end, token in tokens
        if not any(s <= start < e for s, e in spans)
    ]
    content = [w for _, w, t in words if t not in STOPWORDS and t not in _FORM and len(t) > 1]
    topic += [w for w in content if w not in topic]
    bare = all(t not in _FORM and (t not in STOPWORDS or t in _JOINING) for _, _, t in words)
    return subject, topic, speech, bare and bool(found or content)


def _names(value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(value)


def _shown(kb: Knowledge, actor_id: str, typed: str) -> str:
    """An actor as the reader typed it, in the alias's own case ("csto" -> "CSTO")."""
    actor = kb.actors[actor_id]
    key = fold(typed).strip(".")
    for alias in (actor.name, *actor.aliases):
        if fold(alias).strip(".") == key:
            return alias
    return actor.name
