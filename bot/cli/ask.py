"""`ask "QUERY"` prints one answer (a page of a long one: `--page N`, or `--all` of them);
`ask --json` with no query answers stdin line by line."""

from __future__ import annotations

import os
import sys

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.models import Answer
from bot.render import json as json_render
from bot.render import text as text_render


def run_ask(
    kb: Knowledge, query: str | None, *, as_json: bool, page: int = 1, every: bool = False
) -> int:
    try:
        return _ask(kb, query, as_json=as_json, page=page, every=every)
    except BrokenPipeError:
        # `ask … | head`: the reader has gone; stop quietly, as Unix tools do.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0


def _ask(kb: Knowledge, query: str | None, *, as_json: bool, page: int, every: bool) -> int:
    if query is None:
        if not as_json:
            print("ask: give a query, or use --json to read one query per line", file=sys.stderr)
            return 2
        for line in sys.stdin:
            print(json_render.render(answer(kb, line.rstrip("\n"))), flush=True)
        return 0
    result = answer(kb, query, max(page, 1) - 1)
    _print(result, as_json)
    while every and result.page.next is not None:
        result = answer(kb, query, result.page.next)
        _print(result, as_json)
    if not every and not as_json and result.page.next is not None:
        print(f"\n(next page: ask --page {result.page.next + 1}, or --all for every page)")
    return 0


def _print(result: Answer, as_json: bool) -> None:
    print(json_render.render(result) if as_json else text_render.render(result), flush=True)
