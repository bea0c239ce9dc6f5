"""`@C5 Brief <question>` in a channel: the answer goes in the thread of the mention."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.render.blocks import render
from bot.slack.deliver import post
from bot.slack.queries import free_query, replayable
from bot.slack.runner import defer

# Messages people write that carry a subtype: a file with its text, a thread reply also sent
# to the channel. Every other subtype (edits, joins, bots) is not a question.
PEOPLE_SUBTYPES = ("file_share", "thread_broadcast")
BOT_USER = "c5_bot_user_id"  # the bot's own user id, kept with the job for its @-mention


def register(app: App) -> None:
    app.event("app_mention")(on_mention)


def on_mention(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    if event.get("bot_id") or event.get("subtype") not in (None, *PEOPLE_SUBTYPES):
        return
    defer(context, "mention", {**body, BOT_USER: context.bot_user_id})


def answer_mention(body: dict[str, Any], kb: Knowledge, client: WebClient) -> None:
    event = body["event"]
    query = free_query(event.get("text", ""), body.get(BOT_USER))
    post(
        client,
        render(answer(kb, query), query=replayable(query)),
        channel=event["channel"],
        thread_ts=event.get("thread_ts") or event["ts"],
        user=event.get("user"),
        what="app_mention",
    )
