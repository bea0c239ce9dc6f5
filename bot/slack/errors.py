"""The one error handler: the user gets a short apology with a reference; the log gets the rest."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Callable
from typing import Any
from urllib.error import URLError

from slack_bolt import App
from slack_sdk import WebClient

from bot.render.blocks import Message, render_apology
from bot.slack.actions import in_thread
from bot.slack.deliver import post, reply, tell

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.error(on_error)


def on_error(error: Exception, body: dict[str, Any], client: WebClient) -> None:
    """Bolt's error handler (a listener failed on the request thread)."""
    apologise(error, body, client)


def apologise(error: Exception, body: dict[str, Any], client: WebClient) -> None:
    """Log the traceback once under a reference id and tell the user that id, through the
    first way still open: the response_url, the thread, their DM with the app.

    A timeout is different: Slack may well have taken the answer and been slow to say so,
    and an apology for an answer that arrived would be false; it is logged, not sent."""
    ref = uuid.uuid4().hex[:8]
    kind = _kind(body)
    if _timed_out(error):
        log.warning(
            "answer outcome unknown (ref %s, type %s): Slack did not reply in time; no apology",
            ref,
            kind,
        )
        return
    log.error("request failed (ref %s, type %s)", ref, kind, exc_info=error)
    apology = render_apology(ref)
    for way in _ways(body, client):
        try:
            if way(apology):
                return
        except Exception as again:  # Slack may be the thing that failed: log once, no traceback
            log.warning("could not deliver the apology for ref %s (%s)", ref, type(again).__name__)
    log.warning("no way left to tell the user about ref %s", ref)


def _ways(body: dict[str, Any], client: WebClient) -> list[Callable[[Message], bool]]:
    """Where an apology can go, best first."""
    ways: list[Callable[[Message], bool]] = []
    url = body.get("response_url")
    if url:
        threaded = in_thread(body)
        ways.append(
            lambda m: reply(
                url,
                m,
                what="apology",
                response_type="ephemeral",
                replace_original=False,
                **threaded,
            )
        )
    event = body.get("event") or {}
    if event.get("type") in ("app_mention", "message") and event.get("channel"):
        ways.append(
            lambda m: post(
                client,
                m,
                channel=event["channel"],
                thread_ts=event.get("thread_ts") or event.get("ts"),
                user=None,
                what="apology",
            )
        )
    user = body.get("user_id") or (body.get("user") or {}).get("id") or event.get("user")
    if isinstance(user, str) and user != event.get("channel"):
        ways.append(lambda m: tell(client, user, m, what="apology"))
    return ways


def _timed_out(error: BaseException) -> bool:
    """A read or connect timeout, however urllib wrapped it."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TimeoutError | socket.timeout):
            return True
        if isinstance(seen, URLError) and isinstance(seen.reason, TimeoutError | socket.timeout):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _kind(body: dict[str, Any]) -> str:
    """What failed, without logging the payload (it holds user text and tokens)."""
    event = body.get("event") or {}
    return str(event.get("type") or body.get("command") or body.get("type") or "unknown")
