"""Buttons: More (next page), Did you mean (answer the suggestion), Share in channel.

A button carries only the query and page; the answer is computed again on click.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.core.answer import answer
from bot.render.blocks import MORE, SHARE, SUGGEST, read_click, render
from bot.slack.context import knowledge

STALE = "This button no longer works. Please ask again."


def register(app: App) -> None:
    app.action(MORE)(on_page)
    app.action(re.compile(rf"^{SUGGEST}_\d+$"))(on_page)
    app.action(SHARE)(on_share)


def on_page(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """Private messages (ephemeral, DM) change in place; a public one gets a private reply."""
    ack()
    click = read_click(action.get("value", ""))
    if click is None:
        respond(text=STALE, response_type="ephemeral", replace_original=False)
        return
    in_place = bool(body.get("container", {}).get("is_ephemeral")) or _is_dm(body)
    public = not _is_dm(body)
    reply = render(
        answer(knowledge(context), click.q), page=click.p, restate=public, shareable=public
    )
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="ephemeral",
        replace_original=in_place,
        unfurl_links=False,
        unfurl_media=False,
    )


def on_share(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, context: BoltContext
) -> None:
    """Post the same answer for everyone, naming who asked, then remove the private copy."""
    ack()
    click = read_click(action.get("value", ""))
    if click is None:
        respond(text=STALE, response_type="ephemeral", replace_original=False)
        return
    reply = render(
        answer(knowledge(context), click.q),
        page=click.p,
        asked_by=body.get("user", {}).get("id"),
        restate=True,
    )
    respond(
        text=reply.text,
        blocks=reply.blocks,
        response_type="in_channel",
        replace_original=False,
        unfurl_links=False,
        unfurl_media=False,
    )
    if body.get("container", {}).get("is_ephemeral"):
        respond(delete_original=True)


def _is_dm(body: dict[str, Any]) -> bool:
    channel = body.get("channel") or {}
    return str(channel.get("id", "")).startswith("D")
