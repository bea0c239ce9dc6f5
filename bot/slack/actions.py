"""Buttons: More (next page), Did you mean (answer the suggestion), Share in channel.

A button carries only the query and page; the answer is computed again on click.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.render.blocks import MORE, SHARE, SUGGEST, read_click, render, render_stale
from bot.slack.deliver import remove_original, reply
from bot.slack.runner import defer


def register(app: App) -> None:
    app.action(MORE)(on_page)
    app.action(re.compile(rf"^{SUGGEST}_\d+$"))(on_page)
    app.action(SHARE)(on_share)


def on_page(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    defer(context, "page", body, ack)


def on_share(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    defer(context, "share", body, ack)


def answer_page(body: dict[str, Any], kb: Knowledge, client: WebClient) -> None:
    """Private messages (ephemeral, DM) change in place; a public one gets a private reply."""
    action = _action(body)
    url = body.get("response_url")
    click = read_click(action.get("value", ""))
    if click is None:
        reply(url, render_stale(), what="button", response_type="ephemeral", replace_original=False)
        return
    in_place = bool(body.get("container", {}).get("is_ephemeral")) or _is_dm(body)
    public = not _is_dm(body)
    message = render(
        answer(kb, click.q),
        query=click.q,
        page=click.p,
        restate=public,
        shareable=public,
    )
    reply(
        url,
        message,
        what=action.get("action_id", "button"),
        client=client,
        user=_user(body),
        response_type="ephemeral",
        replace_original=in_place,
        unfurl_links=False,
        unfurl_media=False,
    )


def answer_share(body: dict[str, Any], kb: Knowledge, client: WebClient) -> None:
    """Post the same answer for everyone, naming who asked, then remove the private copy."""
    action = _action(body)
    url = body.get("response_url")
    click = read_click(action.get("value", ""))
    if click is None:
        reply(url, render_stale(), what="share", response_type="ephemeral", replace_original=False)
        return
    message = render(
        answer(kb, click.q),
        query=click.q,
        page=click.p,
        asked_by=body.get("user", {}).get("id"),
        restate=True,
    )
    shared = reply(
        url,
        message,
        what="share",
        client=client,
        user=_user(body),
        response_type="in_channel",
        replace_original=False,
        unfurl_links=False,
        unfurl_media=False,
    )
    if shared and body.get("container", {}).get("is_ephemeral"):
        remove_original(url, what="share")


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
