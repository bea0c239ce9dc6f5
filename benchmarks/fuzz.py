"""Fuzz: generated inputs through the query router and every renderer, as Slack would send them.

Each input is built from the fact base's own words, command prefixes and hostile pieces
(Slack control sequences, entities, unmatched quotes, emoji, right-to-left text, control
characters; tests/slack/slackfakes.HOSTILE_BITS), at lengths up to past the 1,000-character cut.
It goes through the Slack listeners' query functions, `bot.core.answer.answer`, then every page
of the Block Kit renderer (with the restated question and buttons), the plain-text fallback,
the console and JSON renderers, and the input read as a follow-up in a thread that began with
`/brief csto` (bot/followup.py) and rendered with its reading. A failure is an exception or
anything `bot.render.checks` finds (a Slack limit broken, a `<`, `>` or `&` let through).
Seeded, bounded in count and time.

    .venv/bin/python benchmarks/fuzz.py                  # 10,000 inputs
    .venv/bin/python benchmarks/fuzz.py --inputs 500 --seed 3
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "slack"))
from slackfakes import BOT_USER, HOSTILE_BITS  # type: ignore[import-not-found,unused-ignore]  # noqa: E402

from benchmarks.stats import summarise  # noqa: E402
from bot.core.answer import answer  # noqa: E402
from bot.core.knowledge import Knowledge, load  # noqa: E402
from bot.followup import follow_up, read  # noqa: E402
from bot.render import json as json_render  # noqa: E402
from bot.render import text as text_render  # noqa: E402
from bot.render.blocks import paginate, read_click, render, render_home, render_plain  # noqa: E402
from bot.render.checks import control_sequences, problems  # noqa: E402
from bot.slack.commands import COMMANDS  # noqa: E402
from bot.slack.queries import command_query, free_query, replayable  # noqa: E402

PREFIXES = [*COMMANDS, ""]  # "": free text, as in a mention or a DM


def generate(rng: random.Random, words: list[str], names: list[str]) -> tuple[str, str]:
    """(command, text): a mix of real words and names, hostile pieces and random code points."""
    pieces: list[str] = []
    for _ in range(rng.choice([1, 2, 3, 5, 8, 13, 40, 300])):
        roll = rng.random()
        if roll < 0.45:
            pieces.append(rng.choice(words))
        elif roll < 0.6:
            pieces.append(rng.choice(names))
        elif roll < 0.85:
            pieces.append(rng.choice(HOSTILE_BITS))
        else:
            pieces.append("".join(chr(rng.randrange(1, 0x2FFFF)) for _ in range(rng.randint(1, 6))))
        pieces.append(rng.choice([" ", " ", "", "\n", ", ", "?"]))
    return rng.choice(PREFIXES), "".join(pieces)


def check(kb: Knowledge, command: str, text: str) -> list[str]:
    """Everything wrong with how this input is answered and rendered; [] when all is well."""
    query = command_query(command, text) if command else free_query(text, BOT_USER)
    ans = answer(kb, query)
    found: list[str] = []
    for page in range(len(paginate(ans))):
        for options in ({"question": f"{command} {text}", "restate": True, "shareable": True}, {}):
            message = render(ans, page=page, query=replayable(query), **options)  # type: ignore[arg-type]
            blocks = [b.to_dict() for b in message.blocks]
            found += problems(blocks, message.text)
            found += problems([], render_plain(message).text)
            for value in _button_values(blocks):
                click = read_click(value)
                if click is None or control_sequences(click.q):
                    found.append(f"button value {value[:60]!r}")
    text_render.render(ans)
    json.loads(json_render.render(ans))
    # the same text as a follow-up in a thread that began with /brief csto
    reading = follow_up(kb, read(kb, "/brief csto"), query)
    message = render(
        answer(kb, reading.query),
        query=replayable(reading.query),
        understood=reading.understood,
    )
    found += problems([b.to_dict() for b in message.blocks], message.text)
    return found


def _button_values(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        str(element.get("value", ""))
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=600.0, help="stop after this long")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    kb = load(ROOT / "knowledge" / "factbase.json")
    words = sorted({w for s in kb.fb.sentences for w in s.text.split()})
    names = sorted({n for a in kb.fb.actors for n in (a.name, *a.aliases)})
    rng = random.Random(args.seed)
    home = render_home(kb.fb.sources, kb.fb.actors)
    failures: list[tuple[str, str, str]] = []
    failures += [
        ("", "home", p) for p in problems([b.to_dict() for b in home], "C5", max_blocks=100)
    ]
    kinds: Counter[str] = Counter()
    lengths: list[int] = []
    timings: list[float] = []
    deadline = time.monotonic() + args.seconds
    done = 0
    while done < min(args.inputs, 1_000_000):
        done += 1
        command, text = generate(rng, words, names)
        lengths.append(len(text))
        started = time.perf_counter()
        try:
            found = check(kb, command, text)
        except Exception:
            found = [traceback.format_exc(limit=3)]
        timings.append(time.perf_counter() - started)
        kinds[command or "free text"] += 1
        failures += [(command, text, f) for f in found]
        if time.monotonic() > deadline:
            print("time limit reached; stopping early")
            break
    over = sum(1 for n in lengths if n > 1000)
    print(f"inputs: {done} (seed {args.seed}); by command {dict(kinds)}")
    if timings:
        per_input = summarise(timings)
        print(f"lengths: max {max(lengths)} characters, {over} over the 1,000-character cut")
        print(
            f"time per input (answer + every page rendered and checked): "
            f"p50 {per_input.median * 1000:.1f} ms, "
            f"p99 {per_input.p99 * 1000:.1f} ms, total {sum(timings):.1f} s"
        )
    print(f"failures: {len(failures)}")
    for command, text, problem in failures[:5]:
        print(f"  {command} {text[:80]!r}: {problem[:300]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
