"""The curator's short report in App Home: the last week's figures and what to look at first."""

from __future__ import annotations

import logging
import time

from slack_bolt import BoltContext
from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock, SectionBlock

from bot.core.knowledge import Knowledge
from bot.querylog.report import Report, build
from bot.render.blocks import escape
from bot.slack.logcontext import is_curator, query_log

WEEK = 7 * 86_400
SHOWN = 5

log = logging.getLogger(__name__)


def curator_blocks(context: BoltContext, kb: Knowledge) -> list[Block]:
    """For a user listed in CURATORS: the week's report, short; nothing for anyone else, and
    nothing (logged) when the log cannot be read, so the Home tab still opens."""
    querylog = query_log(context)
    if querylog is None or not is_curator(context):
        return []
    try:
        report = build(querylog.store, kb, time.time() - WEEK)
    except Exception as error:  # the database: the ordinary Home tab is still worth showing
        log.warning("curator report unavailable (%s)", type(error).__name__)
        return []
    return render_curator(report)


def render_curator(report: Report) -> list[Block]:
    grades = report.grades
    lines = [
        f"*{report.questions}* questions: {grades['answered']} answered, "
        f"{grades['not_directly']} not directly, {grades['declined']} declined. "
        f"Feedback: {report.thumbs_up} 👍, {report.thumbs_down} 👎."
    ]

    def top(title: str, items: list[tuple[str, int]]) -> None:
        if items:
            shown = "\n".join(f"• {escape(label[:200])} ({n})" for label, n in items[:SHOWN])
            lines.append(f"*{title}*\n{shown}")

    top("Not answered", [(c.label, c.count) for c in report.unanswered])
    top("Marked 👎", [(d.query, d.votes) for d in report.disliked])
    top("Names no article uses", [(c.label, c.count) for c in report.unknown_names])
    lines.append("_The whole report: `python -m bot report --since 7d`._")
    return [
        DividerBlock(),
        HeaderBlock(text="Curator's report: last 7 days"),
        *[SectionBlock(text=line) for line in lines],  # each well under Slack's 3,000 characters
    ]
