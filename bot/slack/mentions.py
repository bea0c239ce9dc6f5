"""`@C5 Brief <question>` in a channel: the answer goes in the thread of the mention.

A mention inside a thread where C5 already answered is a follow-up, read with the thread's
earlier question (bot/slack/threads.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.core.answer import answer
from bot.render.blocks import render
from bot.slack.asked import begin
from bot.slack.context import knowledge
from bot.slack.deliver import post
from bot.slack.queries import free_query, replayable
from bot.slack.runner import defer
from bot.slack.threads import metadata, understand

# Messages people write that carry a subtype: a file with its text, a thread reply also sent
# to the channel. Every other subtype (edits, joins, bots) is not a question.
PEOPLE_SUBTYPES = ("file_share", "thread_broadcast")
BOT_USER = "c5_bot_user_id"  # the bot's own user id, kept with the job for its @-mention


def register(app: App) -> None:
    app.event("app_mention")(on_mention)


def on_mention(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    if event.get("bot_id") or event.get("subtype") not in (None, *PEOPLE_SUBTYPES):
        return
    defer(context, "mention", body)


def answer_mention(body: dict[str, Any], context: BoltContext) -> None:
    event = body["event"]
    client = context.client
    kb = knowledge(context)
    query = free_query(event.get("text", ""), context.bot_user_id)
    reading, _ = understand(
        client,
        kb,
        query,
        channel=event["channel"],
        thread_ts=event.get("thread_ts"),
        ts=event.get("ts"),
        bot_user_id=context.bot_user_id,
        im=False,
    )
    asked = begin(context, "mention", reading.query)
    result = answer(kb, reading.query)
    post(
        client,
        asked.attach(
            render(result, query=replayable(reading.query), understood=reading.understood)
        ),
        channel=event["channel"],
        thread_ts=event.get("thread_ts") or event["ts"],
        user=event.get("user"),
        what="app_mention",
        metadata=metadata(reading),
    )
    asked.done(result)
