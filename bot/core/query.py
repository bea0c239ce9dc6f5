"""One grammar for Slack and the console: clean what was typed, then read the command."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from bot.lexicon import WORDS

MAX_QUERY = 1000
Command = Literal["brief", "actor", "quote", "timeline", "sources", "help", "free"]
COMMANDS: tuple[Command, ...] = ("brief", "actor", "quote", "timeline", "sources", "help")

_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^|>]*\|([^>]*)>")
_SLACK_BARE_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)>")
_SLACK_TOKEN = re.compile(r"<[@#!][^>]*>")
# "@secbot what did ...": a name typed after "@" that Slack did not make a mention still
# addresses someone (the bot, a colleague), and asks nothing
_ADDRESSED = re.compile(r"^(?:@[\w.-]+[\s,:;]*)+")
_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+'-]*[a-z][a-z0-9_+'-]*:(?![\w:])")  # ":wave:"
_MARKUP = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")
_SPACE = re.compile(r"\s+")


def _alternatives(phrases: list[str]) -> str:
    """Phrases as one regular-expression alternation, longest first, spaces loose."""
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


# What wraps a question and asks nothing (the lexicon's greetings, asking phrases, courtesies):
# "hey, can you tell me who warned ... thanks" is "who warned ...". An asking phrase goes only
# before a question word: "tell me about X" is a request of its own.
_OPENING = re.compile(
    rf"^(?:(?:{_alternatives([*WORDS.greetings, *WORDS.where_to_look])})\b[\s,.:;!-]*)*"
    rf"(?:(?:{_alternatives(WORDS.asking_phrases)})\s*,?\s+"
    r"(?=(?:who|whom|whose|what|which|when|where|why|how|whether|if)\b))?",
    re.I,
)
# "who is the GCC in these articles and ...": where to look, inside the question
_WHERE = re.compile(rf",?\s+(?:{_alternatives(WORDS.where_to_look)})\b(?=[\s,.?!]|$)", re.I)
_LABEL = re.compile(rf"[\s,]*(?<![\w;])(?:{_alternatives(WORDS.labels)})(?![\w;]):?", re.I)
# one or more: "... quote pls? thanks" closes with two
_CLOSINGS = _alternatives([*WORDS.courtesies, *WORDS.claim_checks])
_CLOSING = re.compile(rf"(?:[\s,.;:!—–-]*\b(?:{_CLOSINGS})[\s.!?]*)+$", re.I)
# "claim: X — check", "is it true that X?": X is asked
_CLAIM = re.compile(
    rf"^(?:(?:{_alternatives([*WORDS.claim_labels, *WORDS.claim_checks])})\s*[:—–-]\s*|"
    rf"(?:{_alternatives(WORDS.claim_openers)})\b[\s,:]*)",
    re.I,
)
_CHECK = re.compile(rf"[\s,.;:!—–-]\s*(?:{_alternatives(WORDS.claim_checks)})\W*$", re.I)

_SHORTHAND = re.compile(
    rf"(?<![\w'’.&-])(?:{_alternatives(list(WORDS.abbreviations))})(?![\w'’.&-])", re.I
)
_INITIALISM = re.compile(rf"(?<![\w'’.&-])(?:{_alternatives(list(WORDS.initialisms))})(?![\w&-])")

# Letters of other scripts (Cyrillic "Токаев", "ОДКБ"; not Latin with accents, not
# punctuation): the articles are in English, so such words are searched as transliterated.
_OTHER_SCRIPT = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f\s]+")
_NOT_SPELLED = re.compile(r"[^\w'\s-]")  # what a letter's transliteration may hold
_BRIEF_LEAD = re.compile(r"^(?:me\s+)?(?:on|about)\s+", re.I)
_SEQUENCE_START = re.compile(r"<(?=[@#!])")
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners


@dataclass(frozen=True)
class Query:
    """What the user asked, cleaned: the command and its argument."""

    raw: str
    command: Command
    text: str
    truncated: bool = False
    claim: bool = False  # put to be checked ("claim: X — check"): a yes or no is asked


def unescape(text: str) -> str:
    """Undo Slack's escaping of user text ("&amp;" is searched as "&"); renderers escape again."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def visible(text: str, keep: str = _JOINERS) -> str:
    """Text without control or format characters (NUL, ESC, bidi overrides, lone surrogates),
    which could disguise a restated question; the zero-width joiners of emoji and Persian stay
    unless `keep` says otherwise."""
    return "".join(
        " " if unicodedata.category(ch).startswith("C") and ch not in keep else ch for ch in text
    )


def clean(raw: str) -> tuple[str, bool]:
    """Drop Slack control sequences, emoji codes, markup and control characters; cap the
    length.

    Text arrives as Slack sends it (entities escaped) and is unescaped here, once."""
    text = unescape(raw)
    text = _SLACK_LINK.sub(r"\1", text)
    text = _SLACK_BARE_LINK.sub(r"\1", text)
    text = _SLACK_TOKEN.sub(" ", text)
    text = _EMOJI.sub(" ", text)
    text = visible(text, keep="")  # searched, never shown: no joiners needed
    if not text.isascii() and _OTHER_SCRIPT.search(text):  # "Токаев" is searched "Tokaev"
        from anyascii import anyascii  # 11 ms to import: only for the rare question that needs it

        def latin(m: re.Match[str]) -> str:  # letters only: "＜!channel＞" stays as typed
            said = "".join(anyascii(c) if unicodedata.category(c)[0] in "LM" else c for c in m[0])
            return _NOT_SPELLED.sub("", said)

        text = _OTHER_SCRIPT.sub(latin, text)
    text = _SEQUENCE_START.sub(" ", text)  # the start of a control sequence left unclosed
    text = _MARKUP.sub(" ", text)
    text = _ADDRESSED.sub("", _SPACE.sub(" ", text).strip())
    if len(text) > MAX_QUERY:
        return text[:MAX_QUERY].rsplit(" ", 1)[0], True
    return text, False


def parse(raw: str) -> Query:
    """Read `/brief TOPIC`, `/actor NAME`, `/quote X`, `/timeline [X]`, `/sources`, `help`."""
    text, truncated = clean(raw)
    match = re.match(r"^/?(\w+)\b\s*(.*)$", text, re.DOTALL)
    if match:
        word, rest = match.group(1).lower(), match.group(2).strip()
        slashed = text.startswith("/")
        if word in COMMANDS and (slashed or (word in ("help", "sources") and not rest)):
            command: Command = word  # type: ignore[assignment,unused-ignore]
            if rest.lower() in ("help", "?"):
                return Query(raw, "help", rest, truncated)
            return Query(raw, command, _argument(command, rest), truncated)
    if text.lower() in ("?", "commands"):
        return Query(raw, "help", "", truncated)
    opened = _opened(text)
    inner = unwrapped(opened)
    if text and not inner:  # "hey", "thanks": nothing asked; what the bot can do
        return Query(raw, "help", "", truncated)
    claim = _CLAIM.match(opened) is not None or _CHECK.search(text) is not None
    return Query(raw, "free", written_out(inner), truncated, claim)


def _argument(command: Command, rest: str) -> str:
    """A command's argument without the courtesy after it ("/brief the CSTO, thanks") or,
    for /brief, the words that only lead to its topic ("/brief me on the CSTO")."""
    kept = _CLOSING.sub("", _LABEL.sub("", rest), count=1).strip() or rest
    if command == "brief":
        kept = _BRIEF_LEAD.sub("", kept, count=1) or kept
    # shorthand written out ("/brief intl orgs in CA": international organizations), but not
    # in remembered words, which are found as written
    return kept if command == "quote" else written_out(kept)


def written_out(text: str) -> str:
    """Shorthands written out ("wat r the csto's aims" is "what are ..."): read as the words
    they stand for, by the grammar and the search alike."""
    text = _INITIALISM.sub(lambda m: WORDS.initialisms[m.group()], text)
    return _SHORTHAND.sub(_spelled_out, text)


def _spelled_out(m: re.Match[str]) -> str:
    """A shorthand's words, capitalised as it was ("Mil Ties" in a title: "Military Ties")."""
    out = WORDS.abbreviations[m.group().lower()]
    return out[:1].upper() + out[1:] if m.group()[:1].isupper() else out


def unwrapped(opened: str) -> str:
    """A free question without the greeting, "can you tell me" or "thanks" around it, which
    would otherwise be read as words of the question (a name no article uses: "hey"); "" when
    nothing else is left. `opened`: the text with its opening taken off (`_opened`)."""
    inner = _CLOSING.sub("", _CLAIM.sub("", opened, count=1), count=1).strip()
    inner = _WHERE.sub("", inner)
    return inner if re.search(r"\w", inner) else ""


def _opened(text: str) -> str:
    """The text without labels and the greeting or asking phrase that opens it."""
    return _OPENING.sub("", _LABEL.sub("", text).lstrip(), count=1)
