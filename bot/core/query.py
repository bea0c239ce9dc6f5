"""One grammar for Slack and the console: clean what was typed, then read the command."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

MAX_QUERY = 1000
Command = Literal["brief", "actor", "quote", "timeline", "sources", "help", "free"]
COMMANDS: tuple[Command, ...] = ("brief", "actor", "quote", "timeline", "sources", "help")

_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^|>]*\|([^>]*)>")
_SLACK_BARE_LINK = re.compile(r"<((?:https?|mailto):[^>|]*)>")
_SLACK_TOKEN = re.compile(r"<[@#!][^>]*>")
_MARKUP = re.compile(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)")
_SPACE = re.compile(r"\s+")

_SEQUENCE_START = re.compile(r"<(?=[@#!])")
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners


@dataclass(frozen=True)
class Query:
    """What the user asked, cleaned: the command and its argument."""

    raw: str
    command: Command
    text: str
    truncated: bool = False


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
    """Drop Slack control sequences, markup and control characters; cap the length.

    Text arrives as Slack sends it (entities escaped) and is unescaped here, once."""
    text = unescape(raw)
    text = _SLACK_LINK.sub(r"\1", text)
    text = _SLACK_BARE_LINK.sub(r"\1", text)
    text = _SLACK_TOKEN.sub(" ", text)
    text = visible(text, keep="")  # searched, never shown: no joiners needed
    text = _SEQUENCE_START.sub(" ", text)  # the start of a control sequence left unclosed
    text = _MARKUP.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
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
            return Query(raw, command, rest, truncated)
    if text.lower() in ("?", "commands"):
        return Query(raw, "help", "", truncated)
    return Query(raw, "free", text, truncated)
