"""The query log's one hook for listeners: `begin` when a question arrives, `attach` the
feedback buttons to the message, `done` once it is sent.

    asked = begin(context, "slash", query)
    result = answer(kb, query)
    reply(url, asked.attach(render(result, page=page, ...)), ...)
    asked.done(result)  # logs the row, with the passages of the message attached

Without a query log (Socket Mode tests, QUERY_LOG=false) all three do nothing, and no
feedback buttons are shown, since a vote would have nowhere to go.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from slack_bolt import BoltContext

from bot.models import Answer
from bot.querylog import QueryLog
from bot.render.blocks import MESSAGE_BLOCKS, Message
from bot.slack.feedback import feedback_block
from bot.slack.logcontext import query_log

log = logging.getLogger(__name__)


@dataclass
class Asked:
    """One question on its way to an answer."""

    querylog: QueryLog | None
    id: str
    surface: str
    query: str
    user_key: str
    started: float
    shown: tuple[str, ...] = field(default=())

    def attach(self, message: Message) -> Message:
        """The message with 👍/👎 under it (when there is a log and room for one more block);
        the passages it shows are the ones the log records."""
        self.shown = message.shown
        if self.querylog is None or len(message.blocks) >= MESSAGE_BLOCKS:
            return message
        return Message(
            blocks=[*message.blocks, feedback_block(self.id)], text=message.text, shown=self.shown
        )

    def done(self, answer: Answer) -> None:
        """Log the answer and the passages of the message attached (none when no answer was
        shown); never raises, so the log cannot break an answer."""
        if self.querylog is None:
            return
        latency_ms = (time.perf_counter() - self.started) * 1000
        try:
            self.querylog.record(
                self.id, self.surface, self.user_key, self.query, answer, latency_ms, self.shown
            )
        except Exception:  # a bug here must cost a log row, not the user's answer
            log.exception("query log: could not queue a row")


def begin(context: BoltContext, surface: str, query: str) -> Asked:
    """Start timing a question from the user and team in Bolt's context."""
    querylog = query_log(context)
    key = querylog.user_key(context.team_id, context.user_id) if querylog is not None else ""
    return Asked(querylog, QueryLog.new_id(), surface, query, key, time.perf_counter())
