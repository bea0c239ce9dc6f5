"""App Home: the Home tab shows what the bot knows, built from the fact base."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.core.knowledge import Knowledge
from bot.render.blocks import render_home
from bot.slack.runner import defer


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)


def on_home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """Publish on every open of the Home tab; opening the Messages tab needs nothing."""
    if event.get("tab") == "home":
        defer(context, "home", body)


def publish_home(body: dict[str, Any], kb: Knowledge, client: WebClient) -> None:
    event = body["event"]
    view = View(type="home", blocks=render_home(kb.fb.sources, kb.fb.actors))
    client.views_publish(user_id=event["user"], view=view)
