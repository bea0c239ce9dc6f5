"""Direct messages: questions are answered in the DM; any other message event is ignored."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.render.blocks import render
from bot.slack.deliver import post
from bot.slack.mentions import BOT_USER, PEOPLE_SUBTYPES
from bot.slack.queries import free_query, replayable
from bot.slack.runner import defer


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
        defer(context, "dm", {**body, BOT_USER: context.bot_user_id})


def answer_message(body: dict[str, Any], kb: Knowledge, client: WebClient) -> None:
    event = body["event"]
    query = free_query(event["text"], body.get(BOT_USER))
    post(
        client,
        render(answer(kb, query), query=replayable(query)),
        channel=event["channel"],
        thread_ts=event.get("thread_ts"),
        user=event.get("user"),
        what="message.im",
    )
