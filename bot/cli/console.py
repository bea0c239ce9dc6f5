"""An interactive prompt on the same answer path as Slack: what `make run` starts offline."""

from __future__ import annotations

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.render.text import render

BANNER = (
    "C5 Brief console (no Slack credentials set). Type a question or a command such as\n"
    "/brief csto, /actor toqaev, /quote indivisible security, /timeline, /sources, help.\n"
    "Ctrl-D or 'quit' leaves."
)


def run_console(kb: Knowledge) -> int:
    print(BANNER)
    while True:
        try:
            line = input("\nc5> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if line.strip().lower() in ("quit", "exit"):
            return 0
        print(render(answer(kb, line)))
