"""Direct messages: questions are answered in the DM; any other message event is ignored.

Replies in a DM thread (and the assistant panel's messages) reach bot/slack/assistant.py:
Bolt's Assistant middleware takes every DM message that has a thread_ts."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.core.answer import answer
from bot.followup import read
from bot.render.blocks import render
from bot.slack.asked import begin
from bot.slack.context import knowledge
from bot.slack.deliver import post
from bot.slack.mentions import PEOPLE_SUBTYPES
from bot.slack.queries import free_query, replayable
from bot.slack.runner import defer
from bot.slack.threads import metadata


def register(app: App) -> None:
    # One listener for every message event, so edits, deletions and bot posts get a 200
    # (an unhandled event gets 404 and Slack delivers it again).
    app.event("message")(on_message)


def is_question(event: dict[str, Any], bot_user_id: str | None) -> bool:
    """A person's new message in a DM (with a file, or sent to the channel from a thread, too):
    not an edit, deletion, join or any other subtype."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in (None, "", *PEOPLE_SUBTYPES)
        and not event.get("bot_id")
        and event.get("user") not in (None, bot_user_id)
        and bool(event.get("text", "").strip())
    )


def on_message(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    if is_question(event, context.bot_user_id):
        defer(context, "dm", body)


def answer_message(body: dict[str, Any], context: BoltContext) -> None:
    event = body["event"]
    client = context.client
    kb = knowledge(context)
    query = free_query(event["text"], context.bot_user_id)
    asked = begin(context, "dm", query)
    result = answer(kb, query)
    post(
        client,
        asked.attach(render(result, query=replayable(query))),
        channel=event["channel"],
        thread_ts=event.get("thread_ts"),
        user=event.get("user"),
        what="message.im",
        metadata=metadata(read(kb, query)),  # a reply in this answer's thread follows up on it
    )
    asked.done(result)
