"""The assistant panel (Bolt's Assistant): suggested prompts when a thread starts; for each
message a status while answering, then the answer, read with the thread's earlier question.

Bolt's Assistant takes every DM message that has a thread_ts, so a reply in the thread of a
DM answer is answered here too, as a follow-up."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Assistant, BoltContext
from slack_bolt.context.set_status import SetStatus
from slack_bolt.context.set_title import SetTitle
from slack_sdk.errors import SlackApiError

from bot.core.answer import answer
from bot.render.blocks import render
from bot.slack.asked import begin
from bot.slack.context import knowledge
from bot.slack.deliver import post
from bot.slack.queries import free_query, replayable
from bot.slack.runner import defer
from bot.slack.threads import metadata, understand

STATUS = "is reading the articles…"
PROMPTS_TITLE = "Ask about Central Asia's security, answered from five articles"
PROMPTS = (
    {"title": "A brief: the CSTO", "message": "/brief csto"},
    {"title": "An actor: Tokayev", "message": "/actor Tokayev"},
    {"title": "A quote: indivisible security", "message": "/quote indivisible security"},
    {"title": "A comparison: Russia and China", "message": "Russia and China in Central Asia"},
)
TITLE_CHARS = 80

log = logging.getLogger(__name__)


def register(app: App) -> None:
    assistant = Assistant()
    assistant.thread_started(on_thread_started)
    assistant.thread_context_changed(on_context_changed)
    assistant.user_message(on_panel_message)
    app.assistant(assistant)


def on_thread_started(set_suggested_prompts: Callable[..., Any]) -> None:
    """The four kinds of question C5 answers, one tap each."""
    set_suggested_prompts(prompts=list(PROMPTS), title=PROMPTS_TITLE)


def on_context_changed() -> None:
    """The channel the user is viewing does not change an answer: nothing to save (Bolt's
    default would write it into a message of the thread)."""


def on_panel_message(payload: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
    """Quick: record the job (the event is acknowledged by Bolt); answer_panel does the work."""
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip() or payload.get("subtype"):
        return
    defer(context, "panel", body)


def answer_panel(body: dict[str, Any], context: BoltContext) -> None:
    """A status while answering, the thread's title on its first question, then the answer."""
    payload = body["event"]
    client = context.client
    kb = knowledge(context)
    channel, thread_ts = payload["channel"], payload["thread_ts"]
    _quietly(SetStatus(client, channel, thread_ts), STATUS)
    query = free_query(payload["text"], context.bot_user_id)
    reading, threaded = understand(
        client,
        kb,
        query,
        channel=channel,
        thread_ts=thread_ts,
        ts=payload.get("ts"),
        bot_user_id=context.bot_user_id,
        im=True,
    )
    if not threaded:  # the thread's first question names it in the panel's history
        _quietly(SetTitle(client, channel, thread_ts), _title(query))
    asked = begin(context, "panel", reading.query)
    result = answer(kb, reading.query)
    post(
        client,
        asked.attach(
            render(result, query=replayable(reading.query), understood=reading.understood)
        ),
        channel=channel,
        thread_ts=thread_ts,
        user=payload.get("user"),
        what="panel",
        metadata=metadata(reading),
    )
    asked.done(result)


def _title(query: str) -> str:
    words = " ".join(replayable(query).split())
    return words if len(words) <= TITLE_CHARS else words[: TITLE_CHARS - 1] + "…"


def _quietly(call: Callable[..., Any], value: str) -> None:
    """Status and title are niceties: a DM thread outside the panel refuses them; answer anyway."""
    try:
        call(value)
    except SlackApiError as error:
        code = error.response.get("error") if error.response is not None else None
        log.info("assistant thread call refused (%s)", code)
