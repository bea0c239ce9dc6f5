"""The message shortcut "Check against articles": on any message, the passages of the five
articles that bear on its claims, answered privately with a Share button; when the articles
answer it only indirectly, the nearest passages under the engine's "Not directly answered";
when nothing in them bears on it, a private note that says so."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.core.answer import answer
from bot.core.query import unescape, visible
from bot.render.blocks import Message, escape, render
from bot.slack.asked import begin
from bot.slack.context import knowledge
from bot.slack.deliver import reply
from bot.slack.queries import free_query, replayable
from bot.slack.runner import defer

CALLBACK_ID = "c5_check_message"
NAME = "Check against articles"  # Slack allows 24 characters
NOTHING = "Nothing in the five articles bears on this message."
NO_TEXT = "This message has no text to check against the articles."
EXCERPT_CHARS = 200


def register(app: App) -> None:
    app.message_shortcut(CALLBACK_ID)(on_check)


def on_check(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Record the job and ack at once (Slack waits 3 s); answer_check does the work."""
    defer(context, "shortcut", body, ack)


def answer_check(shortcut: dict[str, Any], context: BoltContext) -> None:
    """Answer through the response_url, privately."""
    message = shortcut.get("message") or {}
    raw = message.get("text")
    text = raw if isinstance(raw, str) else ""
    shown = _excerpt(text)
    thread = message.get("thread_ts")
    where: dict[str, Any] = {"thread_ts": thread} if isinstance(thread, str) and thread else {}
    if not shown:
        reply_to = _note(NO_TEXT, None)
    else:
        query = free_query(text, context.bot_user_id)
        asked = begin(context, "shortcut", query)
        result = answer(knowledge(context), query)
        # "Not directly answered" keeps its nearest passages, headed as such (as on every
        # surface); only a message the articles have nothing on gets the short note.
        if result.grade == "declined" or not result.passages:
            reply_to = _note(NOTHING, shown)
        else:
            reply_to = asked.attach(
                render(
                    result,
                    query=replayable(query),
                    question=f"Check: {shown}",
                    restate=True,
                    shareable=True,
                )
            )
        asked.done(result)
    reply(
        shortcut.get("response_url"),
        reply_to,
        what="shortcut",
        response_type="ephemeral",
        replace_original=False,
        unfurl_links=False,
        unfurl_media=False,
        **where,
    )


def _excerpt(text: str) -> str:
    """The message as a reader saw it, one line, shortened (it is restated, never searched)."""
    words = " ".join(visible(unescape(text)).split())
    return words if len(words) <= EXCERPT_CHARS else words[: EXCERPT_CHARS - 1] + "…"


def _note(line: str, checked: str | None) -> Message:
    text = line if checked is None else f"{line}\nChecked: “{escape(checked)}”"
    return Message(
        blocks=[SectionBlock(text=MarkdownTextObject(text=text, verbatim=True))], text=text
    )
