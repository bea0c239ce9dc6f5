"""`@C5 Brief <question>` in a channel: the answer goes in the thread of the mention."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.core.answer import answer
from bot.render.blocks import render
from bot.slack.asked import begin
from bot.slack.context import knowledge
from bot.slack.deliver import post
from bot.slack.queries import free_query, replayable


def register(app: App) -> None:
    app.event("app_mention")(on_mention)


def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if event.get("bot_id") or event.get("subtype"):
        return
    query = free_query(event.get("text", ""), context.bot_user_id)
    asked = begin(context, "mention", query)
    result = answer(knowledge(context), query)
    post(
        client,
        asked.attach(render(result, query=replayable(query))),
        channel=event["channel"],
        thread_ts=event.get("thread_ts") or event["ts"],
        user=event.get("user"),
        what="app_mention",
    )
    asked.done(result)
