"""Slack text -> the query string the answer engine shares with the console."""

from __future__ import annotations

import re
import unicodedata

from bot.core.query import clean

# The core reads the first 1,000 characters and says so; this only bounds the work before it
# (a DM may hold 40,000 characters).
MAX_INPUT = 4000
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners: parts of emoji and Persian words


def unescape(text: str) -> str:
    """Undo Slack's escaping of user text so "&amp;" is searched as "&"; escape again on output."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def visible(text: str) -> str:
    """Text without control or format characters (NUL, ESC, bidi overrides, lone surrogates):
    they would reach Slack in the restated question and could disguise it. Emoji joiners stay."""
    return "".join(
        " " if unicodedata.category(ch).startswith("C") and ch not in _JOINERS else ch
        for ch in text
    )


def command_query(command: str, text: str) -> str:
    """`/brief csto` -> "/brief csto"; `/brief help` -> "help" (every command answers help)."""
    words = " ".join(visible(unescape(text)).split())
    if words.lower() == "help":
        return "help"
    return _cap(f"{command} {words}".strip())


def free_query(text: str, bot_user_id: str | None) -> str:
    """A mention or DM: drop the bot's own @-mention; an empty question asks for help."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    words = " ".join(visible(unescape(text)).split())
    return _cap(words) if words else "help"


def _cap(query: str) -> str:
    return query[:MAX_INPUT]


def replayable(query: str) -> str:
    """The query a button carries: as the core reads it, so no `<!channel>` or `<@U…>` rides
    along in a button value, and a click gives the same answer."""
    words = clean(query)[0].replace("<", " ").replace(">", " ")  # no sequence re-forms
    return " ".join(words.split()) or "help"
