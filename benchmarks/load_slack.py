"""Load: signed Slack requests at fixed concurrency against the production server, on loopback.

The server is started as the Procfile starts it (`python -m bot serve`, gunicorn, several
workers) on 127.0.0.1, its Web API pointed at the tests' loopback stand-in for Slack
(tests/slack/slackfakes.py, reused). The mix: slash commands, channel mentions, DMs, assistant
panel messages, follow-ups in threads C5 answered (each reads the thread through
conversations.replies), message shortcuts, button clicks, and Slack's retries of events
already sent (same event_id, X-Slack-Retry-Num).

Checks and prints: HTTP errors, lost answers (a request whose answer never reached the stand-in)
and doubled answers (one that arrived twice; a retry must add none), p50/p99 latency to the
acknowledgement and to the answer, and the server's memory (RSS of master plus workers) after
the first and after the last batch of 500. Bounded in count and time; stops by itself.

    .venv/bin/python benchmarks/load_slack.py            # 2,000 requests at concurrency 20
    .venv/bin/python benchmarks/load_slack.py --requests 400 --deadline 60
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "slack"))
import slackfakes  # type: ignore[import-not-found,unused-ignore]  # noqa: E402
from slackfakes import BOT_USER, FakeSlack, Server  # type: ignore[import-not-found,unused-ignore]  # noqa: E402

from benchmarks.stats import proc_status_kb, summarise  # noqa: E402
from bot.core.knowledge import Knowledge, load  # noqa: E402
from bot.followup import follow_up, read  # noqa: E402
from bot.render.blocks import MORE, SHARE, SUGGEST, click_value, escape  # noqa: E402
from bot.slack.commands import COMMANDS  # noqa: E402
from bot.slack.threads import metadata  # noqa: E402

BATCH = 500
RETRY_SHARE = 0.05  # of requests: a retry of one of the last 50 events sent (any batch)
TOPICS = [
    "csto",
    "Tokayev",
    "Afghanistan",
    "indivisible security",
    "Russia and China in Central Asia",
    "why is a Central Asian alliance premature?",
    "water disputes",
    "Kazakhstan defence",
    "Shanghai Cooperation Organisation",
    "border conflict Kyrgyzstan Tajikistan",
]


@dataclass
class Job:
    """One signed request and where its answer must land (a response_url path or a channel)."""

    kind: str
    body: str
    content_type: str
    key: str
    headers: dict[str, str] = field(default_factory=dict)
    answers: bool = True  # False for a retry: the answer is the original's, counted once
    payload: dict[str, Any] | None = None
    reads_as: str | None = None  # a follow-up: how the answer must say it read the question


@dataclass
class Result:
    job: Job
    status: int
    started: float
    acked: float


MIX = (  # kind, share of requests (event retries, RETRY_SHARE, come on top of the first)
    ("slash", 0.25),
    ("mention", 0.15),
    ("dm", 0.12),
    ("panel", 0.12),
    ("followup", 0.12),
    ("shortcut", 0.10),
    ("click", 0.09),
)
CLAIMS = [  # messages the shortcut is chosen on: some the articles bear on, some not
    "Tokayev proposed a Central Asian defence union.",
    "Russia still dominates the CSTO, whatever its members say.",
    "The water dispute between Kyrgyzstan and Tajikistan is settled.",
    "Lunch is at noon in the blue kitchen.",
]


def plan(count: int, fake: FakeSlack, rng: random.Random, kb: Knowledge) -> list[Job]:
    """A deterministic mix (MIX), with 5% Slack retries of events already sent."""
    jobs: list[Job] = []
    events: list[Job] = []
    kinds, weights = zip(*MIX, strict=True)
    for _ in range(count):
        topic = rng.choice(TOPICS)
        if rng.random() < RETRY_SHARE and events:
            original = rng.choice(events[-50:])
            assert original.payload is not None
            body = json.dumps(original.payload)
            jobs.append(
                Job(
                    "retry",
                    body,
                    "application/json",
                    original.key,
                    answers=False,
                    headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
                )
            )
            continue
        job = _job(rng.choices(kinds, weights)[0], topic, fake, rng, kb)
        jobs.append(job)
        if job.payload is not None:
            events.append(job)
    return jobs


def _job(kind: str, topic: str, fake: FakeSlack, rng: random.Random, kb: Knowledge) -> Job:
    """One request of `kind` and the key its one answer is found under at the stand-in."""
    if kind in ("slash", "click", "shortcut"):
        url = fake.response_url()
        if kind == "slash":
            command = rng.choice(COMMANDS)
            fields = slackfakes.slash_command(command, "" if command == "/sources" else topic, url)
            return Job(kind, slackfakes.form(fields), slackfakes.FORM, _path(fake, url))
        if kind == "shortcut":
            payload = slackfakes.message_shortcut(rng.choice(CLAIMS), url)
        else:
            action, value = rng.choice(
                [
                    (MORE, click_value("/timeline", 1)),
                    (MORE, click_value(f"/brief {topic}", 1)),
                    (f"{SUGGEST}_0", click_value(f"/actor {topic}")),
                    (SHARE, click_value(f"/brief {topic}")),
                ]
            )
            payload = slackfakes.block_actions(action, value, url, ephemeral=False)
        return Job(kind, slackfakes.interactive(payload), slackfakes.FORM, _path(fake, url))
    channel = slackfakes.unique("D" if kind in ("dm", "panel") else "C")
    thread = slackfakes.later_ts() if kind in ("panel", "followup") else None
    reads_as = None
    if kind == "followup":  # C5 answered in this thread before: its reading rides on the answer
        earlier = read(kb, f"/brief {topic}")
        answered = {"type": "message", "user": BOT_USER, "bot_id": "B0LOAD", "ts": thread}
        fake.add_message(channel, {**answered, "text": topic, "metadata": metadata(earlier)})
        text = rng.choice(["and what did Russia say?", "why?", "and China?", "what about water?"])
        reads_as = follow_up(kb, earlier, text).understood
        event = slackfakes.mention(
            f"<@{BOT_USER}> {text}", channel, ts=slackfakes.later_ts(), thread_ts=thread
        )
    elif kind == "mention":
        event = slackfakes.mention(f"<@{BOT_USER}> {topic}", channel)
    else:  # a DM; in the assistant panel, in its thread
        extra = {"thread_ts": thread, "ts": slackfakes.later_ts()} if thread else {}
        event = slackfakes.dm(topic, channel, **extra)
    payload = slackfakes.event_callback(event)
    body = json.dumps(payload)
    return Job(kind, body, "application/json", channel, payload=payload, reads_as=reads_as)


def send(server: Server, job: Job) -> Result:
    headers = {**slackfakes.signed_headers(job.body), **job.headers}
    started = time.perf_counter()
    try:
        status, _, _ = server.post(job.body, headers, job.content_type)
    except OSError:
        status = -1
    return Result(job, status, started, time.perf_counter())


def rss_mb(server: Server) -> tuple[float, int]:
    """Resident memory of the master and its workers, in MB (Linux /proc), and how many.

    A worker recycled (WORKER_MAX_REQUESTS) since server.pids() is gone: not counted."""
    found = [kb for pid in server.pids() if (kb := proc_status_kb(pid, "VmRSS")) is not None]
    return sum(found) / 1024, len(found)


def answers_by_key(fake: FakeSlack) -> dict[str, list[slackfakes.Call]]:
    found: dict[str, list[slackfakes.Call]] = defaultdict(list)
    for call in fake.matching(lambda c: c.status == 200):
        if call.path.startswith("/respond/"):
            found[call.path].append(call)
        elif call.method == "chat.postMessage":
            found[str(call.body.get("channel"))].append(call)
    return found


def wait_answered(fake: FakeSlack, keys: set[str], deadline: float) -> None:
    while time.monotonic() < deadline:
        if keys <= set(answers_by_key(fake)):
            return
        time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds for the whole run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="server setting to try, e.g. WEB_CONCURRENCY=3 or LISTENER_THREADS=5",
    )
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.set)
    count = max(1, min(args.requests, 20_000))
    stop_at = time.monotonic() + args.deadline
    fake = FakeSlack()
    jobs = plan(count, fake, random.Random(args.seed), load(slackfakes.FACTBASE))
    results: list[Result] = []
    memory: list[tuple[int, tuple[float, int]]] = []
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="c5load-") as home,
        slackfakes.launch(fake.api_url, Path(home), **{"LOG_LEVEL": "WARNING", **extra}) as server,
    ):
        time.sleep(1.0)  # every worker booted
        mb, processes = rss_mb(server)
        print(
            f"server: {server.url} {extra or '(default sizes)'}: {processes} processes, {mb:.1f} MB"
        )
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            for first in range(0, count, BATCH):
                if time.monotonic() > stop_at:
                    print("deadline reached; stopping early")
                    break
                batch = jobs[first : first + BATCH]
                results += pool.map(lambda j: send(server, j), batch)
                keys = {j.key for j in batch if j.answers}
                wait_answered(fake, keys, min(stop_at, time.monotonic() + 60))
                memory.append((first + len(batch), rss_mb(server)))
        time.sleep(1.0)  # let any late duplicate arrive before counting
        log_tail = server.log.read_text(errors="replace")
        if extra.get("KEEP_LOG"):
            Path(extra["KEEP_LOG"]).write_text(log_tail)
    elapsed = time.perf_counter() - started
    fake.close()
    return report(results, answers_by_key(fake), memory, elapsed, log_tail)


def report(
    results: list[Result],
    answered: dict[str, list[slackfakes.Call]],
    memory: list[tuple[int, tuple[float, int]]],
    elapsed: float,
    log: str,
) -> int:
    kinds = Counter(r.job.kind for r in results)
    errors = [r for r in results if r.status != 200]
    keys = {r.job.key for r in results if r.job.answers}
    lost = sorted(k for k in keys if not answered.get(k))
    doubled = sorted(k for k in keys if len(answered.get(k, [])) > 1)
    acks = [r.acked - r.started for r in results]
    first_answer = {k: min(c.at for c in calls) for k, calls in answered.items()}
    waits = [
        first_answer[r.job.key] - r.started
        for r in results
        if r.job.key in first_answer and r.job.answers
    ]
    rate = len(results) / elapsed
    print(f"requests: {len(results)} in {elapsed:.1f} s ({rate:.0f}/s); mix {dict(kinds)}")
    print(
        f"errors (non-200 or no response): {len(errors)} {Counter(r.status for r in errors) or ''}"
    )
    print(f"answers expected: {len(keys)}; lost: {len(lost)}; answered twice: {len(doubled)}")
    if acks:
        ack = summarise(acks)
        print(
            f"ack latency: p50 {ack.median * 1000:.1f} ms, p99 {ack.p99 * 1000:.1f} ms, "
            f"max {max(acks) * 1000:.1f} ms"
        )
    if waits:
        wait = summarise(waits)
        print(
            f"answer latency (request -> answer at the stand-in): "
            f"p50 {wait.median * 1000:.1f} ms, p99 {wait.p99 * 1000:.1f} ms"
        )
    for done, (mb, processes) in memory:
        print(f"server RSS after {done} requests: {mb:.1f} MB ({processes} processes)")
    if len(memory) >= 2:
        first, last = memory[0][1][0], memory[-1][1][0]
        growth = last - first
        print(
            f"RSS after the first 500 -> after the last 500: "
            f"{first:.1f} MB -> {last:.1f} MB ({growth:+.1f} MB)"
        )
    followups = [r.job for r in results if r.job.reads_as]
    unread = [
        j.key
        for j in followups
        if not any(f"Read as: *{escape(j.reads_as or '')}*" in c.raw for c in answered[j.key])
    ]
    print(
        f"follow-ups answered as read with their thread: {len(followups) - len(unread)}"
        f"/{len(followups)}"
    )
    tracebacks = log.count("Traceback")
    print(f"server log: {tracebacks} tracebacks, {log.count(' ERROR ')} ERROR lines")
    if lost[:3] or doubled[:3]:
        print(f"examples: lost {lost[:3]}, doubled {doubled[:3]}")
    return 1 if errors or lost or doubled or tracebacks or unread else 0


def _path(fake: FakeSlack, url: str) -> str:
    return url.removeprefix(fake.url)


if __name__ == "__main__":
    sys.exit(main())
