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
    .venv/bin/python benchmarks/load_slack.py --compare-log --rounds 5   # query log off and on
    .venv/bin/python benchmarks/load_slack.py --compare-log aa --rounds 5   # both off: the noise
    .venv/bin/python benchmarks/load_slack.py --hosts 2       # two hosts, Redis + Postgres

`--compare-log` starts two servers at once, QUERY_LOG=false and true, sends each the same
plan interleaved, and prints both answer latencies, `--rounds` times (a new plan each), then
each round's p99 ratio and their median; `--compare-log aa` does the same with the log off on
both, which shows how far two identical servers differ; `--compare-log turns` runs them one
after the other instead (off, on, on, off; `--rounds`) and prints the median p99 of each.
`--hosts 2` starts real Redis and Postgres servers (tests/slack/realstores.py) and two server
processes as two hosts on them; each event goes to one host and its retries to the
other, and the query log is counted at the end (one row per answer).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import random
import statistics
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
import realstores  # type: ignore[import-not-found,unused-ignore]  # noqa: E402
import slackfakes  # type: ignore[import-not-found,unused-ignore]  # noqa: E402
from slackfakes import BOT_USER, FakeSlack, Server  # type: ignore[import-not-found,unused-ignore]  # noqa: E402

from benchmarks.stats import proc_status_kb, summarise  # noqa: E402
from bot.core.knowledge import Knowledge, load  # noqa: E402
from bot.followup import follow_up, read  # noqa: E402
from bot.querylog import open_store  # noqa: E402
from bot.render.blocks import MORE, SHARE, SUGGEST, click_value, escape  # noqa: E402
from bot.slack.commands import COMMANDS  # noqa: E402
from bot.slack.threads import metadata  # noqa: E402

BATCH = 500
FEEDBACK_SHARE = 0.1  # of answers delivered: 👍/👎 clicked under them after the run
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
    host: int = 0  # which host gets it (--hosts 2): a retry goes to the other one


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


def plan(
    count: int, fake: FakeSlack, rng: random.Random, kb: Knowledge, hosts: int = 1
) -> list[Job]:
    """A deterministic mix (MIX), with 5% Slack retries of events already sent; with `hosts`
    the requests alternate between them, each retry to another host than its original."""
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
                    host=(original.host + 1) % hosts,
                )
            )
            continue
        job = _job(rng.choices(kinds, weights)[0], topic, fake, rng, kb)
        job.host = len(jobs) % hosts
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


def send(servers: list[Server], job: Job) -> Result:
    headers = {**slackfakes.signed_headers(job.body), **job.headers}
    started = time.perf_counter()
    try:
        status, _, _ = servers[job.host].post(job.body, headers, job.content_type)
    except OSError:
        status = -1
    return Result(job, status, started, time.perf_counter())


def rss_mb(servers: list[Server]) -> tuple[float, int]:
    """Resident memory of the masters and their workers, in MB (Linux /proc), and how many.

    A worker recycled (WORKER_MAX_REQUESTS) since server.pids() is gone: not counted."""
    pids = [pid for server in servers for pid in server.pids()]
    found = [kb for pid in pids if (kb := proc_status_kb(pid, "VmRSS")) is not None]
    return sum(found) / 1024, len(found)


def cpu_seconds(server: Server) -> float:
    """CPU time the server's processes have used so far (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in server.pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


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
    parser.add_argument("--hosts", type=int, choices=(1, 2), default=1)
    parser.add_argument(
        "--compare-log",
        nargs="?",
        const="side",
        choices=("side", "turns", "aa"),
        help="query log off and on: two servers at once (side, the default), or runs in turns; "
        "aa: both off, the same comparison with nothing to find (its noise)",
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="--compare-log: side-by-side runs, or runs of each"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="server setting to try, e.g. WEB_CONCURRENCY=3 or LISTENER_THREADS=5",
    )
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.set)
    if not args.compare_log:
        return run(args, extra)[0]
    if args.compare_log in ("side", "aa"):
        return rounds_side_by_side(args, extra)
    # Rounds in ABBA order (off, on, on, off, ...): a machine that gets busier or quieter during
    # the run weighs on both settings alike.
    p99s: dict[str, list[float]] = {"false": [], "true": []}
    status = 0
    for i in range(2 * args.rounds):
        setting = "false" if i % 4 in (0, 3) else "true"
        print(f"--- round {i + 1}: QUERY_LOG={setting}")
        code, p99 = run(args, {**extra, "QUERY_LOG": setting})
        status = status or code
        if p99 is not None:
            p99s[setting].append(p99)
    if p99s["false"] and p99s["true"]:
        off, on = statistics.median(p99s["false"]), statistics.median(p99s["true"])
        rounds = ", ".join(
            f"{k} {' / '.join(f'{v * 1000:.1f}' for v in vs)} ms" for k, vs in p99s.items()
        )
        print(f"answer latency p99 by round: QUERY_LOG={rounds}")
        print(
            f"answer latency p99 (median of rounds): query log off {off * 1000:.1f} ms, "
            f"on {on * 1000:.1f} ms ({(on / off - 1) * 100:+.1f}%)"
        )
    return status


def run(args: argparse.Namespace, extra: dict[str, str]) -> tuple[int, float | None]:
    """One whole run; its exit status and answer latency p99 (seconds)."""
    count = max(1, min(args.requests, 20_000))
    stop_at = time.monotonic() + args.deadline
    fake = FakeSlack()
    jobs = plan(count, fake, random.Random(args.seed), load(slackfakes.FACTBASE), args.hosts)
    results: list[Result] = []
    memory: list[tuple[int, tuple[float, int]]] = []
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        homes = [Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="c5load-")))]
        settings = {"LOG_LEVEL": "WARNING", **extra}
        database = None
        if args.hosts == 2:
            homes.append(Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="c5load-"))))
            settings["REDIS_URL"] = stack.enter_context(realstores.redis_server())
            database = stack.enter_context(realstores.postgres_server()).database()
            settings |= {"DATABASE_URL": database, "QUERY_LOG_SECRET": "load-test"}
        servers = [
            stack.enter_context(slackfakes.launch(fake.api_url, home, **settings)) for home in homes
        ]
        time.sleep(1.0)  # every worker booted
        mb, processes = rss_mb(servers)
        urls = " ".join(s.url for s in servers)
        print(f"server: {urls} {extra or '(default sizes)'}: {processes} processes, {mb:.1f} MB")
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            for first in range(0, count, BATCH):
                if time.monotonic() > stop_at:
                    print("deadline reached; stopping early")
                    break
                batch = jobs[first : first + BATCH]
                results += pool.map(lambda j: send(servers, j), batch)
                keys = {j.key for j in batch if j.answers}
                wait_answered(fake, keys, min(stop_at, time.monotonic() + 60))
                memory.append((first + len(batch), rss_mb(servers)))
        logged = voted = None
        if extra.get("QUERY_LOG", "true").lower() not in ("false", "0", "off", "no"):
            voted = _vote(servers, fake, random.Random(args.seed), args.concurrency)
        time.sleep(1.0)  # let any late duplicate arrive before counting
        votes = 0
        if voted is not None:
            logged = _logged(database, homes[0] / "run", sum(r.job.answers for r in results))
            votes = _votes(database, homes[0] / "run", voted[0])
        log_tail = "".join(s.log.read_text(errors="replace") for s in servers)
        if extra.get("KEEP_LOG"):
            Path(extra["KEEP_LOG"]).write_text(log_tail)
    elapsed = time.perf_counter() - started
    fake.close()
    status, p99 = report(results, answers_by_key(fake), memory, elapsed, log_tail)
    if logged is not None and voted is not None:
        rows, expected = logged
        print(f"query log: {rows} rows for {expected} answers")
        sent, refused = voted
        print(f"feedback: {sent} clicks (👍/👎), {refused} not acknowledged, {votes} stored")
        status = status or int(rows != expected or refused > 0 or votes != sent)
    return status, p99


def rounds_side_by_side(args: argparse.Namespace, extra: dict[str, str]) -> int:
    """`--rounds` side-by-side runs (a new plan each); each round's p99 ratio, and their median:
    one run's p99 swings by about 10% by itself on a shared 2-core machine."""
    settings = ("false", "false") if args.compare_log == "aa" else ("false", "true")
    status, ratios = 0, []
    for i in range(max(1, args.rounds)):
        print(f"=== round {i + 1} of {args.rounds}: QUERY_LOG={' / '.join(settings)}")
        seeded = argparse.Namespace(**{**vars(args), "seed": args.seed + i})
        code, off, on = side_by_side(seeded, extra, settings)
        status = status or code
        if off and on:
            ratios.append(on / off - 1)
    if ratios:
        each = ", ".join(f"{r * 100:+.1f}%" for r in ratios)
        print(
            f"answer latency p99, second server against first ({' / '.join(settings)}), "
            f"{len(ratios)} rounds: {each}; median {statistics.median(ratios) * 100:+.1f}%"
        )
    return status


def side_by_side(
    args: argparse.Namespace, extra: dict[str, str], settings: tuple[str, str] = ("false", "true")
) -> tuple[int, float | None, float | None]:
    """Two servers at the same time, query log off and on, each sent the same plan of requests
    (fresh channels and response_urls), interleaved one for one, `concurrency` in flight in all:
    the machine's other load falls on both alike. (The on server's writer thread also takes CPU
    from the off server, which hides a little of its cost; benchmarks/querylog.py measures it.)
    """
    count = max(1, min(args.requests, 20_000))
    fake = FakeSlack()
    kb = load(slackfakes.FACTBASE)
    plans = [plan(count, fake, random.Random(args.seed), kb) for _ in ("off", "on")]
    for job in plans[1]:
        job.host = 1
    # One for one, which goes first alternating: the second of a pair waits a little longer.
    pairs = zip(*plans, strict=True)
    jobs = [job for i, pair in enumerate(pairs) for job in (pair if i % 2 else pair[::-1])]
    results: list[Result] = []
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        homes = [
            Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="c5load-"))) for _ in plans
        ]
        servers = [
            stack.enter_context(
                slackfakes.launch(
                    fake.api_url, home, **{"LOG_LEVEL": "WARNING", **extra, "QUERY_LOG": setting}
                )
            )
            for home, setting in zip(homes, settings, strict=True)
        ]
        time.sleep(1.0)  # every worker booted
        print(f"servers: QUERY_LOG={settings[0]} {servers[0].url}, {settings[1]} {servers[1].url}")
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            for first in range(0, len(jobs), 2 * BATCH):
                batch = jobs[first : first + 2 * BATCH]
                results += pool.map(lambda j: send(servers, j), batch)
                keys = {j.key for j in batch if j.answers}
                wait_answered(fake, keys, time.monotonic() + 60)
        time.sleep(1.0)  # let any late duplicate arrive before counting
        cpu = [cpu_seconds(s) for s in servers]
        answered = sum(r.job.answers for r in results if r.job.host == 1)
        logging = settings[1] == "true"
        rows, expected = _logged(None, homes[1] / "run", answered) if logging else (0, 0)
        logs = [s.log.read_text(errors="replace") for s in servers]
    elapsed = time.perf_counter() - started
    fake.close()
    answers = answers_by_key(fake)
    status, p99s = 0, []
    for host, setting in enumerate(settings):
        print(f"--- server {host + 1}: QUERY_LOG={setting}")
        mine = [r for r in results if r.job.host == host]
        code, p99 = report(mine, answers, [], elapsed, logs[host])
        status = status or code
        p99s.append(p99)
    if logging:
        print(f"query log: {rows} rows for {expected} answers")
    print(
        f"server CPU for the run (master and workers, user + system): {settings[0]} "
        f"{cpu[0]:.2f} s, {settings[1]} {cpu[1]:.2f} s ({(cpu[1] / cpu[0] - 1) * 100:+.1f}%)"
    )
    off, on = p99s
    if off and on:
        print(
            f"answer latency p99, same run: QUERY_LOG={settings[0]} {off * 1000:.1f} ms, "
            f"{settings[1]} {on * 1000:.1f} ms ({(on / off - 1) * 100:+.1f}%)"
        )
    return status or int(rows != expected), off, on


def _vote(
    servers: list[Server], fake: FakeSlack, rng: random.Random, concurrency: int
) -> tuple[int, int]:
    """👍 or 👎 (4 to 1) on FEEDBACK_SHARE of the answers delivered, as people click them under
    the answer; returns the clicks sent and those not acknowledged with 200."""
    values = []
    for calls in answers_by_key(fake).values():
        blocks = calls[0].body.get("blocks") or []
        if (
            any(b.get("type") == "context_actions" for b in blocks)
            and rng.random() < FEEDBACK_SHARE
        ):
            up, down = slackfakes.feedback_values(blocks)
            values.append(down if rng.random() < 0.2 else up)

    def click(value: str) -> int:
        payload = slackfakes.feedback_click(value, fake.response_url(), slackfakes.unique("U"))
        return servers[0].signed_action(payload)[0]

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        statuses = list(pool.map(click, values))
    return len(values), sum(s != 200 for s in statuses)


def _votes(database: str | None, run_dir: Path, expected: int) -> int:
    """Votes in the query log once the writers caught up (bounded wait)."""
    store = open_store(database, run_dir, upgrade=False)
    deadline = time.monotonic() + 30
    while (votes := store.count()[1]) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    store.engine.dispose()
    return votes


def _logged(database: str | None, run_dir: Path, expected: int) -> tuple[int, int]:
    """Rows in the query log once the writers caught up (bounded wait)."""
    store = open_store(database, run_dir, upgrade=False)
    deadline = time.monotonic() + 30
    while (rows := store.count()[0]) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
    store.engine.dispose()
    return rows, expected


def report(
    results: list[Result],
    answered: dict[str, list[slackfakes.Call]],
    memory: list[tuple[int, tuple[float, int]]],
    elapsed: float,
    log: str,
) -> tuple[int, float | None]:
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
    p99 = None
    if waits:
        wait = summarise(waits)
        p99 = wait.p99
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
    return (1 if errors or lost or doubled or tracebacks or unread else 0), p99


def _path(fake: FakeSlack, url: str) -> str:
    return url.removeprefix(fake.url)


if __name__ == "__main__":
    sys.exit(main())
