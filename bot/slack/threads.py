"""A question asked in a thread where C5 answered is read with that thread's earlier question.

The earlier question comes from the thread itself (conversations.replies), not from a store of
our own: every answer C5 posts carries its reading in the message's metadata, so any process
on any host finds it, it survives restarts and redeploys, and it covers answers whose message
id we never learn (a shared slash answer is posted through a response_url). The price is one
Web API call per threaded question and the history scopes to read threads (see the manifest).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.knowledge import Knowledge
from bot.followup import Reading, follow_up, read
from bot.slack.queries import free_query, replayable

METADATA_TYPE = "c5_answer"
PAGE = 200  # messages per conversations.replies call
PAGES = 5  # a thread's first 1,000 messages are read at most (Slack returns oldest first)

log = logging.getLogger(__name__)


def metadata(reading: Reading) -> dict[str, Any]:
    """Message metadata for an answer: how its question was read, for the next follow-up.

    The query as the core reads it, so no `<!channel>` typed into a question is sent back to
    Slack, even where nobody sees it."""
    payload = {**reading.as_dict(), "q": replayable(reading.query)}
    return {"event_type": METADATA_TYPE, "event_payload": payload}


def understand(
    client: WebClient,
    kb: Knowledge,
    query: str,
    *,
    channel: str,
    thread_ts: str | None,
    ts: str | None,
    bot_user_id: str | None,
    im: bool,
) -> tuple[Reading, bool]:
    """How to read `query`: as a follow-up when it sits in a thread with an earlier question
    to C5, else on its own. The flag says whether the thread held such a question."""
    if not thread_ts:
        return read(kb, query), False
    before = previous(client, kb, channel, thread_ts, ts, bot_user_id, im=im)
    if before is None:
        return read(kb, query), False
    return follow_up(kb, before, query), True


def previous(
    client: WebClient,
    kb: Knowledge,
    channel: str,
    thread_ts: str,
    ts: str | None,
    bot_user_id: str | None,
    *,
    im: bool,
) -> Reading | None:
    """The latest question in the thread before `ts`: C5's last answer's reading (metadata),
    else the last question a person put to C5 there (in a DM every message is one)."""
    messages: list[Any] = []
    cursor = None
    try:
        for _ in range(PAGES):
            response = client.conversations_replies(
                channel=channel, ts=thread_ts, include_all_metadata=True, limit=PAGE, cursor=cursor
            )
            page = response.get("messages")
            messages += page if isinstance(page, list) else []
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not (response.get("has_more") and cursor):
                break
    except SlackApiError as error:  # no history scope, or the thread is gone: answer alone
        code = error.response.get("error") if error.response is not None else None
        log.warning("thread history unavailable in %s (%s); answered alone", channel, code)
        return None
    for message in reversed(messages):
        if not isinstance(message, dict) or not _before(message.get("ts"), ts):
            continue
        found = _reading(kb, message, bot_user_id, im)
        if found is not None:
            return found
    return None


def _reading(
    kb: Knowledge, message: dict[str, Any], bot_user_id: str | None, im: bool
) -> Reading | None:
    data = message.get("metadata") or {}
    if isinstance(data, dict) and data.get("event_type") == METADATA_TYPE:
        return Reading.from_dict(data.get("event_payload"))
    text = message.get("text")
    person = not message.get("bot_id") and not message.get("subtype")
    if not person or not isinstance(text, str) or message.get("user") == bot_user_id:
        return None
    asked = im or (bot_user_id is not None and f"<@{bot_user_id}" in text)
    return read(kb, free_query(text, bot_user_id)) if asked and text.strip() else None


def _before(message_ts: object, ts: str | None) -> bool:
    """Whether a message came before the one being answered (Slack ts order as decimals)."""
    if ts is None:
        return True
    try:
        return float(str(message_ts)) < float(ts)
    except ValueError:
        return False
