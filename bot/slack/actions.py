"""Buttons: More (next page), Did you mean (answer the suggestion), Share in channel.

A button carries only the query and page (the answer's page and the Slack page within it);
the answer's page is computed again on click.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.core.answer import answer
from bot.followup import read
from bot.render.blocks import MORE, SHARE, SUGGEST, read_click, render, render_stale
from bot.slack.asked import begin
from bot.slack.context import knowledge
from bot.slack.deliver import remove_original, reply
from bot.slack.runner import defer
from bot.slack.threads import metadata


def register(app: App) -> None:
    app.action(MORE)(on_page)
    app.action(re.compile(rf"^{SUGGEST}_\d+$"))(on_page)
    app.action(SHARE)(on_share)


def on_page(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    defer(context, "page", body, ack)


def on_share(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    defer(context, "share", body, ack)


def answer_page(body: dict[str, Any], context: BoltContext) -> None:
    """Private messages (ephemeral, DM) change in place; a public one gets a private reply."""
    client = context.client
    action = _action(body)
    url = body.get("response_url")
    click = read_click(action.get("value", ""))
    if click is None:
        reply(
            url,
            render_stale(),
            what="button",
            response_type="ephemeral",
            replace_original=False,
            **in_thread(body),
        )
        return
    in_place = bool(body.get("container", {}).get("is_ephemeral")) or _is_dm(body)
    public = not _is_dm(body)
    asked = begin(context, "button", click.q)
    result = answer(knowledge(context), click.q, click.a)
    message = render(
        result,
        query=click.q,
        page=click.p,
        restate=public,
        shareable=public,
    )
    reply(
        url,
        asked.attach(message),
        what=action.get("action_id", "button"),
        client=client,
        user=_user(body),
        response_type="ephemeral",
        replace_original=in_place,
        unfurl_links=False,
        unfurl_media=False,
        **in_thread(body),
    )
    asked.done(result)


def answer_share(body: dict[str, Any], context: BoltContext) -> None:
    """Post the same answer for everyone, naming who asked, then remove the private copy."""
    client = context.client
    action = _action(body)
    url = body.get("response_url")
    click = read_click(action.get("value", ""))
    if click is None:
        reply(
            url,
            render_stale(),
            what="share",
            response_type="ephemeral",
            replace_original=False,
            **in_thread(body),
        )
        return
    kb = knowledge(context)
    asked = begin(context, "button", click.q)
    result = answer(kb, click.q, click.a)
    message = render(
        result,
        query=click.q,
        page=click.p,
        asked_by=body.get("user", {}).get("id"),
        restate=True,
    )
    shared = reply(
        url,
        asked.attach(message),
        what="share",
        client=client,
        user=_user(body),
        response_type="in_channel",
        replace_original=False,
        unfurl_links=False,
        unfurl_media=False,
        metadata=metadata(read(kb, click.q)),  # a mention in its thread follows up on it
        **in_thread(body),
    )
    asked.done(result)
    if shared and body.get("container", {}).get("is_ephemeral"):
        remove_original(url, what="share")


def in_thread(body: dict[str, Any]) -> dict[str, Any]:
    """`thread_ts` of the message the button was on, when it was in a thread: without it
    Slack may post the reply in the channel instead of the thread."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    thread_ts = container.get("thread_ts") or message.get("thread_ts")
    return {"thread_ts": thread_ts} if isinstance(thread_ts, str) and thread_ts else {}


def _is_dm(body: dict[str, Any]) -> bool:
    channel = body.get("channel") or {}
    return str(channel.get("id", "")).startswith("D")


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    first: dict[str, Any] = actions[0]
    return first


def _user(body: dict[str, Any]) -> str | None:
    user = (body.get("user") or {}).get("id")
    return user if isinstance(user, str) else None
