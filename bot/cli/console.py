"""An interactive prompt on the same answer path as Slack: what `make run` starts offline."""

from __future__ import annotations

import getpass
import time

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.querylog import QueryLog
from bot.render.text import render

MORE = "more"
BANNER = (
    "C5 Brief console (no Slack credentials set). Type a question or a command such as\n"
    "/brief csto, /actor toqaev, /quote indivisible security, /timeline, /sources, help.\n"
    "'more' shows the next page of a long answer. Ctrl-D or 'quit' leaves."
)


def run_console(kb: Knowledge, querylog: QueryLog | None = None) -> int:
    """Answer lines until Ctrl-D; each answer goes to the query log (surface `console`)."""
    print(BANNER)
    user = querylog.user_key("console", getpass.getuser()) if querylog is not None else ""
    last: tuple[str, int] | None = None  # the query whose next page 'more' shows, and that page
    try:
        while True:
            try:
                line = input("\nc5> ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if line.strip().lower() in ("quit", "exit"):
                return 0
            started = time.perf_counter()
            if line.strip().lower() == MORE and last is not None:
                line, page = last
            else:
                page = 0
            result = answer(kb, line, page)
            print(render(result))
            last = (line, result.page.next) if result.page.next is not None else None
            if last is not None:
                print(f"\n(type '{MORE}' for the next page)")
            if querylog is not None and line.strip():
                latency = (time.perf_counter() - started) * 1000
                querylog.record(QueryLog.new_id(), "console", user, line, result, latency)
    finally:
        if querylog is not None:
            querylog.close()
