"""Signed slash commands against the real `python -m bot serve`, over loopback.

The server starts as the Procfile starts it, its Web API pointed at the tests' stand-in for
Slack (tests/slack/slackfakes.py, reused, not copied). Two figures, pooled over every command sent:
the HTTP round trip until Bolt's ack, and until the answer reaches the response_url (what the
analyst waits).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.stats import RoundTrips, summarise

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "slack"))
import slackfakes  # type: ignore[import-not-found,unused-ignore]  # noqa: E402

START_TIMEOUT = 30.0


def measure(factbase: Path, commands: Sequence[tuple[str, str]], repeat: int) -> RoundTrips:
    """Post every (command, text) `repeat` times, one at a time, as Slack would."""
    fake: Any = slackfakes.FakeSlack()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="c5-bench-home-") as home,
            slackfakes.launch(
                fake.api_url,
                Path(home),
                timeout=START_TIMEOUT,
                FACTBASE_PATH=str(factbase),
                LOG_LEVEL="WARNING",
            ) as server,
        ):
            for command, text in commands[:3]:  # warm-up: first imports, first connections
                _post(fake, server, command, text)
            acks, answers = [], []
            for _ in range(repeat):
                for command, text in commands:
                    ack, answered = _post(fake, server, command, text)
                    acks.append(ack)
                    answers.append(answered)
    finally:
        fake.close()
    return RoundTrips(summarise(acks), summarise(answers))


def _post(fake: Any, server: Any, command: str, text: str) -> tuple[float, float]:
    response_url = fake.response_url()
    status, _, started = server.signed_form(slackfakes.slash_command(command, text, response_url))
    acked = time.perf_counter()
    if status != 200:
        raise RuntimeError(f"{command} {text!r}: HTTP {status}")
    [call] = fake.wait_for(fake.to(response_url.removeprefix(fake.url)))
    return acked - started, call.at - started
