"""The one error handler: the user gets a short apology with a reference; the log gets the rest."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.render.blocks import render_apology
from bot.slack.actions import in_thread
from bot.slack.deliver import post, reply

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.error(on_error)


def on_error(error: Exception, body: dict[str, Any], client: WebClient) -> None:
    """Log the traceback once under a reference id and tell the user that id, where we can."""
    ref = uuid.uuid4().hex[:8]
    kind = _kind(body)
    log.error("request failed (ref %s, type %s)", ref, kind, exc_info=error)
    apology = render_apology(ref)
    try:
        if body.get("response_url"):
            reply(
                body["response_url"],
                apology,
                what=f"apology {ref}",
                response_type="ephemeral",
                replace_original=False,
                **in_thread(body),
            )
            return
        event = body.get("event") or {}
        if event.get("type") in ("app_mention", "message") and event.get("channel"):
            post(
                client,
                apology,
                channel=event["channel"],
                thread_ts=event.get("thread_ts") or event.get("ts"),
                user=None,
                what=f"apology {ref}",
            )
    except Exception as again:  # Slack may be the thing that failed: log once, no traceback
        log.warning("could not deliver the apology for ref %s (%s)", ref, type(again).__name__)


def _kind(body: dict[str, Any]) -> str:
    """What failed, without logging the payload (it holds user text and tokens)."""
    event = body.get("event") or {}
    return str(event.get("type") or body.get("command") or body.get("type") or "unknown")
