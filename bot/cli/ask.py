"""`ask "QUERY"` prints one answer; `ask --json` with no query answers stdin line by line."""

from __future__ import annotations

import os
import sys

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.render import json as json_render
from bot.render import text as text_render


def run_ask(kb: Knowledge, query: str | None, *, as_json: bool) -> int:
    try:
        return _ask(kb, query, as_json=as_json)
    except BrokenPipeError:
        # `ask … | head`: the reader has gone; stop quietly, as Unix tools do.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0


def _ask(kb: Knowledge, query: str | None, *, as_json: bool) -> int:
    if query is None:
        if not as_json:
            print("ask: give a query, or use --json to read one query per line", file=sys.stderr)
            return 2
        for line in sys.stdin:
            print(json_render.render(answer(kb, line.rstrip("\n"))), flush=True)
        return 0
    result = answer(kb, query)
    print(json_render.render(result) if as_json else text_render.render(result))
    return 0
