"""Slack text -> the query string the answer engine shares with the console."""

from __future__ import annotations

import re

# The core reads the first 1,000 characters and says so; this only bounds the work before it
# (a DM may hold 40,000 characters).
MAX_INPUT = 4000


def unescape(text: str) -> str:
    """Undo Slack's escaping of user text so "&amp;" is searched as "&"; escape again on output."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def command_query(command: str, text: str) -> str:
    """`/brief csto` -> "/brief csto"; `/brief help` -> "help" (every command answers help)."""
    words = unescape(text).strip()
    if words.lower() == "help":
        return "help"
    return _cap(f"{command} {words}".strip())


def free_query(text: str, bot_user_id: str | None) -> str:
    """A mention or DM: drop the bot's own @-mention; an empty question asks for help."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    words = " ".join(unescape(text).split())
    return _cap(words) if words else "help"


def _cap(query: str) -> str:
    return query[:MAX_INPUT]
