"""Slash commands: a private (ephemeral) answer that restates the question and can be shared."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core.answer import answer
from bot.core.query import unescape, visible
from bot.render.blocks import render
from bot.slack.asked import begin
from bot.slack.context import knowledge
from bot.slack.deliver import reply
from bot.slack.queries import command_query, replayable
from bot.slack.runner import defer

COMMANDS = ("/brief", "/actor", "/quote", "/timeline", "/sources")


def register(app: App) -> None:
    for name in COMMANDS:
        app.command(name)(on_command)


def on_command(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Record the job and ack at once (Slack waits 3 s); the answer goes to the response_url."""
    defer(context, "command", body, ack)


def answer_command(command: dict[str, Any], context: BoltContext) -> None:
    client = context.client
    query = command_query(command["command"], command.get("text", ""))
    typed = " ".join(visible(unescape(f"{command['command']} {command.get('text', '')}")).split())
    asked = begin(context, "slash", query)
    result = answer(knowledge(context), query)
    message = render(
        result,
        query=replayable(query),
        question=typed,
        restate=True,
        shareable=True,
    )
    reply(
        command.get("response_url"),
        asked.attach(message),
        what=command["command"],
        client=client,
        user=command.get("user_id"),
        response_type="ephemeral",
        unfurl_links=False,
        unfurl_media=False,
    )
    asked.done(result)
