"""Slack text -> the query string the answer engine shares with the console."""

from __future__ import annotations

import re

from bot.core.query import clean, visible

# The core reads the first 1,000 characters and says so; this only bounds the work before it
# (a DM may hold 40,000 characters).
MAX_INPUT = 4000


def command_query(command: str, text: str) -> str:
    """`/brief csto` -> "/brief csto"; `/brief help` -> "help" (every command answers help).

    Slack's entities stay escaped: the core's clean() unescapes them, once."""
    words = " ".join(visible(text).split())
    if words.lower() == "help":
        return "help"
    return _cap(f"{command} {words}".strip())


def free_query(text: str, bot_user_id: str | None) -> str:
    """A mention or DM: drop the bot's own @-mention; an empty question asks for help."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    words = " ".join(visible(text).split())
    return _cap(words) if words else "help"


def _cap(query: str) -> str:
    return query[:MAX_INPUT]


def replayable(query: str) -> str:
    """The query a button carries: as the core reads it, so no `<!channel>` or `<@U…>` rides
    along in a button value, and a click gives the same answer."""
    words = clean(query)[0].replace("<", " ").replace(">", " ")  # no sequence re-forms
    return " ".join(words.split()) or "help"
