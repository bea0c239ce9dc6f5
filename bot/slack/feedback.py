"""👍/👎 under every answer (Slack's feedback buttons), and the optional "what was wrong?".

A vote is stored at once with the answer's id; a 👎 also opens a small form (a modal) whose
one field is optional. Closing it is fine: the vote is already kept.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (
    Block,
    ContextActionsBlock,
    FeedbackButtonObject,
    FeedbackButtonsElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.slack.logcontext import query_log
from bot.slack.runner import defer

FEEDBACK = "c5_feedback"
COMMENT = "c5_feedback_comment"  # the modal's callback_id
COMMENT_BLOCK, COMMENT_INPUT = "comment", "text"
COMMENT_CHARS = 1000
_VALUE = re.compile(r"(up|down) ([0-9a-f]{32})")

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.action(FEEDBACK)(on_feedback)
    app.view(COMMENT)(on_comment)


def feedback_block(query_id: str) -> Block:
    """The context actions block with 👍 and 👎; each value names the vote and the answer.

    Built from a template checked once by slack_sdk's own validators (`_TEMPLATE`): under every
    answer, building and validating the block anew cost more than the rest of the log's hook."""
    block = copy.deepcopy(_TEMPLATE)
    buttons = block["elements"][0]
    buttons["positive_button"]["value"] = f"up {query_id}"
    buttons["negative_button"]["value"] = f"down {query_id}"
    return _Ready(block)


class _Ready(Block):
    """A block already in Slack's JSON form: to_dict() hands it over as it is."""

    def __init__(self, value: dict[str, Any]) -> None:
        super().__init__(type=value["type"])
        self._value = value

    def to_dict(self) -> dict[str, Any]:
        return self._value


_TEMPLATE: dict[str, Any] = ContextActionsBlock(
    elements=[
        FeedbackButtonsElement(
            action_id=FEEDBACK,
            positive_button=FeedbackButtonObject(
                text="👍", accessibility_label="This answer helped", value=f"up {'0' * 32}"
            ),
            negative_button=FeedbackButtonObject(
                text="👎",
                accessibility_label="This answer was wrong or unhelpful",
                value=f"down {'0' * 32}",
            ),
        )
    ]
).to_dict()


def comment_view(query_id: str) -> View:
    return View(
        type="modal",
        callback_id=COMMENT,
        private_metadata=query_id,
        title=PlainTextObject(text="What was wrong?"),
        submit=PlainTextObject(text="Send"),
        close=PlainTextObject(text="Skip"),
        blocks=[
            InputBlock(
                block_id=COMMENT_BLOCK,
                optional=True,
                label=PlainTextObject(text="Thanks. What was wrong with this answer? (optional)"),
                hint=PlainTextObject(text="Only the team that curates the articles reads this."),
                element=PlainTextInputElement(
                    action_id=COMMENT_INPUT, multiline=True, max_length=COMMENT_CHARS
                ),
            )
        ],
    )


def on_feedback(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    """Record the job and ack at once; answer_feedback keeps the vote and opens the form."""
    defer(context, "feedback", body, ack)


def answer_feedback(body: dict[str, Any], context: BoltContext) -> None:
    client = context.client
    querylog = query_log(context)
    action = (body.get("actions") or [{}])[0]
    found = _VALUE.fullmatch(str(action.get("value", "")))
    if querylog is None or found is None:
        return
    vote, query_id = found.groups()
    querylog.vote(query_id, querylog.user_key(context.team_id, context.user_id), vote)
    trigger = body.get("trigger_id")
    if vote == "down" and isinstance(trigger, str):
        try:
            client.views_open(trigger_id=trigger, view=comment_view(query_id))
        except SlackApiError as error:  # e.g. expired_trigger_id: the vote is kept anyway
            log.warning("feedback: could not ask what was wrong (%s)", error.response.get("error"))


def on_comment(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    ack()
    querylog = query_log(context)
    query_id = str(view.get("private_metadata", ""))
    if querylog is None or not re.fullmatch(r"[0-9a-f]{32}", query_id):
        return
    value = (
        view.get("state", {}).get("values", {}).get(COMMENT_BLOCK, {}).get(COMMENT_INPUT, {})
    ).get("value")
    text = " ".join(str(value or "").split())[:COMMENT_CHARS]
    if text:
        key = querylog.user_key(context.team_id, context.user_id)
        querylog.vote(query_id, key, None, comment=text)
