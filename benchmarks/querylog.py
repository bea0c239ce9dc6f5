"""The query log's own cost, in one process: what each answer pays for the hook (begin, the
feedback block, done) beside what answering and rendering cost; the CPU a DM costs the
listener's thread through Bolt's whole dispatch and the post to a loopback stand-in for Slack,
log off and on in turns; and how fast the background writer puts rows into SQLite, and into
Postgres with --postgres (a real server, started here).

Whole-server latency (benchmarks/load_slack.py --compare-log) swings by more than the log
costs when the machine is shared; these figures do not depend on other processes' requests.

    .venv/bin/python benchmarks/querylog.py
    .venv/bin/python benchmarks/querylog.py --postgres --rows 20000
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "slack"))
import realstores  # type: ignore[import-not-found,unused-ignore]  # noqa: E402
import slackfakes  # type: ignore[import-not-found,unused-ignore]  # noqa: E402
from slack_bolt import BoltContext, BoltRequest  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from benchmarks.load_slack import TOPICS  # noqa: E402
from benchmarks.stats import summarise  # noqa: E402
from bot.core.answer import answer  # noqa: E402
from bot.core.knowledge import Knowledge, load  # noqa: E402
from bot.models import Answer  # noqa: E402
from bot.querylog import QueryLog, open_log  # noqa: E402
from bot.render.blocks import render  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack import create_app  # noqa: E402
from bot.slack.app import HANDLERS  # noqa: E402
from bot.slack.asked import begin  # noqa: E402
from bot.slack.errors import apologise  # noqa: E402
from bot.slack.jobs import Job, Jobs  # noqa: E402
from bot.slack.logcontext import provide_log  # noqa: E402
from bot.slack.runner import Runner  # noqa: E402

QUERIES = [f"{c} {t}" for c in ("/brief", "/actor", "/quote") for t in TOPICS] + TOPICS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the queries")
    parser.add_argument("--rows", type=int, default=10_000, help="rows for the writer test")
    parser.add_argument("--postgres", action="store_true", help="also time a real Postgres")
    parser.add_argument("--dms", type=int, default=2000, help="DMs for each setting")
    args = parser.parse_args()
    kb = load(ROOT / "knowledge" / "factbase.json")
    with tempfile.TemporaryDirectory(prefix="c5qlog-") as run:
        querylog = open_log(None, Path(run), None, 90, upgrade=True)
        context = BoltContext({"user_id": "UBENCH1", "team_id": "TBENCH"})
        provide_log(querylog, frozenset())(context, lambda: None)
        answering, hook = [], []
        for _ in range(args.repeat):
            for query in QUERIES:
                started = time.perf_counter()
                result = answer(kb, query)
                message = render(result)
                [b.to_dict() for b in message.blocks]
                middle = time.perf_counter()
                asked = begin(context, "slash", query)
                [b.to_dict() for b in asked.attach(message).blocks[-1:]]
                asked.done(result)
                ended = time.perf_counter()
                answering.append(middle - started)
                hook.append(ended - middle)
        querylog.close()
        a, h = summarise(answering), summarise(hook)
        print(
            f"{len(hook)} answers: answer + render p50 {a.median * 1000:.3f} ms, "
            f"p99 {a.p99 * 1000:.3f} ms; the log's hook p50 {h.median * 1000:.3f} ms, "
            f"p99 {h.p99 * 1000:.3f} ms ({h.median / a.median * 100:.1f}% of the median)"
        )
        dms(kb, Path(run), args.dms)
        result = answer(kb, "/brief csto")
        writer("SQLite", open_log(None, Path(run) / "w", None, 90, upgrade=True), result, args.rows)
        if args.postgres:
            with contextlib.ExitStack() as stack:
                url = stack.enter_context(realstores.postgres_server()).database()
                querylog = open_log(url, Path(run) / "p", None, 90, upgrade=True)
                writer("Postgres", querylog, result, args.rows)
    return 0


class _Inline(Runner):
    """Answers each job in the dispatching thread (no pool), so its CPU can be read there."""

    def _submit(self, job: Job) -> None:
        self._run(job)


def dms(kb: Knowledge, run: Path, count: int) -> None:
    """Main-thread CPU per DM through Bolt's dispatch, log off and on in turns (ABBA)."""
    fake = slackfakes.FakeSlack()
    settings = Settings(
        slack_bot_token=slackfakes.BOT_TOKEN,
        slack_app_token="xapp-1-bench",
        slack_api_url=fake.api_url,
    )
    apps = {}
    for setting in ("off", "on"):
        querylog = open_log(None, run / "dms", None, 90, upgrade=True) if setting == "on" else None
        client = WebClient(token=slackfakes.BOT_TOKEN, base_url=fake.api_url)
        runner = _Inline(Jobs(None), HANDLERS, kb, client, apologise, 1)
        apps[setting] = create_app(settings, kb, client, None, runner, None, querylog)
    spent = {"off": 0.0, "on": 0.0}
    rounds = 8
    for i in range(rounds):
        for setting in ("off", "on") if i % 2 else ("on", "off"):
            bodies = [
                slackfakes.event_callback(slackfakes.dm(TOPICS[n % 3], slackfakes.unique("D")))
                for n in range(count // rounds)
            ]
            started = time.thread_time()
            for body in bodies:
                apps[setting].dispatch(BoltRequest(body=body, mode="socket_mode"))
            spent[setting] += time.thread_time() - started
    fake.close()
    off, on = (spent[s] / (count // rounds * rounds) * 1000 for s in ("off", "on"))
    print(
        f"{count} DMs each: listener thread CPU per DM, log off {off:.3f} ms, on {on:.3f} ms "
        f"({on - off:+.3f} ms)"
    )


def writer(name: str, querylog: QueryLog, result: Answer, rows: int) -> None:
    """Queue `rows` rows at once and time the background thread writing them all."""
    started = time.perf_counter()
    for _ in range(rows):
        querylog.record(QueryLog.new_id(), "slash", "k" * 32, "/brief csto", result, 1.0)
    queued = time.perf_counter()
    querylog.flush(timeout=300)
    done = time.perf_counter()
    written = querylog.store.count()[0]
    querylog.close()
    print(
        f"{name}: {rows} rows queued in {(queued - started) * 1000:.0f} ms "
        f"({(queued - started) / rows * 1e6:.1f} µs each), written in {done - started:.2f} s "
        f"({rows / (done - started):,.0f} rows/s); {written} in the table, "
        f"{querylog.counts.failed} failed, {querylog.counts.dropped} dropped"
    )


if __name__ == "__main__":
    sys.exit(main())
