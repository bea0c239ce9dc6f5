"""App Home: the Home tab shows what the bot knows, built from the fact base."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk.models.views import View

from bot.render.blocks import HOME_BLOCKS, render_home
from bot.slack.context import knowledge
from bot.slack.curator import curator_blocks
from bot.slack.runner import defer


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)


def on_home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """Publish on every open of the Home tab; opening the Messages tab needs nothing."""
    if event.get("tab") == "home":
        defer(context, "home", body)


def publish_home(body: dict[str, Any], context: BoltContext) -> None:
    event = body["event"]
    client = context.client
    kb = knowledge(context)
    blocks = render_home(kb.fb.sources, kb.fb.actors)
    extra = curator_blocks(context, kb)
    if len(blocks) + len(extra) <= HOME_BLOCKS:
        blocks = [*blocks, *extra]
    view = View(type="home", blocks=blocks)
    client.views_publish(user_id=event["user"], view=view)
