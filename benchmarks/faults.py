"""Fault runs: the production server under the faults of issue 13, on loopback, with figures.

Each scenario starts `python -m bot serve` as the Procfile does (gunicorn, several workers, or
Socket Mode against a loopback stand-in for Slack's WebSocket end), injects one fault and
counts what users would have got: answers lost (acknowledged, never delivered), answers
doubled, late acknowledgements, replies to /healthz. Bounded in size and time; stops by itself.

    .venv/bin/python benchmarks/faults.py              # every scenario (about 4 minutes)
    .venv/bin/python benchmarks/faults.py kill term    # some of them
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "slack"))
import slackfakes  # type: ignore[import-not-found,unused-ignore]  # noqa: E402
from slackfakes import FakeSlack, Server  # type: ignore[import-not-found,unused-ignore]  # noqa: E402

from benchmarks.load_slack import Job, answers_by_key, plan, send  # noqa: E402
from benchmarks.stats import summarise  # noqa: E402
from bot.core.knowledge import load  # noqa: E402
from bot.render.blocks import APOLOGY, SHARE, click_value  # noqa: E402

QUIET = {"LOG_LEVEL": "INFO"}
Figures = dict[str, object]


def everything(_call: slackfakes.Call) -> bool:
    return True


def slow_slack(fake: FakeSlack, seconds: float) -> slackfakes.Fault:
    """Every Web API and response_url call answered normally, `seconds` late."""
    return fake.fail(everything, None, times=10**9, delay=seconds)


@contextmanager
def served(fake: FakeSlack, home: Path, **extra: str) -> Iterator[Server]:
    with slackfakes.launch(fake.api_url, home, **{**QUIET, **extra}) as server:
        time.sleep(1.0)  # every worker booted
        yield server


def fire(server: Server, jobs: list[Job], concurrency: int = 50) -> list[int]:
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        return [r.status for r in pool.map(lambda j: send([server], j), jobs)]


def count(fake: FakeSlack, keys: set[str], wait: float) -> tuple[int, int]:
    """Lost and doubled among `keys`, after waiting (bounded) for all of them to arrive."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and not keys <= set(answers_by_key(fake)):
        time.sleep(0.2)
    time.sleep(1.0)  # a late duplicate
    found = answers_by_key(fake)
    lost = sum(1 for k in keys if not found.get(k))
    doubled = sum(1 for k in keys if len(found.get(k, [])) > 1)
    return lost, doubled


def slash_jobs(fake: FakeSlack, n: int) -> list[Job]:
    jobs = []
    for _ in range(n):
        url = fake.response_url()
        body = slackfakes.form(slackfakes.slash_command("/brief", "csto", url))
        jobs.append(Job("slash", body, slackfakes.FORM, url.removeprefix(fake.url)))
    return jobs


def event_jobs(n: int) -> list[Job]:
    jobs = []
    for _ in range(n):
        channel = slackfakes.unique("C")
        payload = slackfakes.event_callback(slackfakes.mention("<@UBOT0001> csto", channel))
        jobs.append(
            Job("mention", json.dumps(payload), "application/json", channel, payload=payload)
        )
    return jobs


def retries_of(jobs: list[Job]) -> list[Job]:
    """Slack's re-deliveries: the same event, signed afresh, with X-Slack-Retry-Num."""
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    return [Job("retry", j.body, j.content_type, j.key, dict(retry), answers=False) for j in jobs]


# --- scenarios ----------------------------------------------------------------------------------


def kill(fake: FakeSlack, home: Path) -> Figures:
    """One worker SIGKILLed while it holds acknowledged, unanswered work (API 0.5 s slow)."""
    jobs = plan(300, fake, random.Random(13), load(slackfakes.FACTBASE))
    slow = slow_slack(fake, 0.5)
    with served(fake, home) as server:
        statuses = fire(server, jobs[:150])
        victim = server.pids()[1]
        os.kill(victim, signal.SIGKILL)
        statuses += fire(server, jobs[150:])
        keys = {j.key for j, s in zip(jobs, statuses, strict=True) if j.answers and s == 200}
        lost, doubled = count(fake, keys, 60)
        log = server.log.read_text(errors="replace")
    slow.left = 0
    return {
        "acknowledged": len(keys),
        "refused or cut (not acknowledged)": sum(1 for s in statuses if s != 200),
        "lost": lost,
        "doubled": doubled,
        "picked up from the dead worker": log.count("left behind by another worker"),
    }


def term(fake: FakeSlack, home: Path) -> Figures:
    """SIGTERM with the Web API 5 s slow, more owed than the grace allows and 60 slow clients
    holding connections open; then a restart."""
    jobs = slash_jobs(fake, 150)
    slow = slow_slack(fake, 5.0)
    with served(fake, home) as server:
        host, port = server.url.removeprefix("http://").split(":")
        held = [socket.create_connection((host, int(port))) for _ in range(60)]
        for sock in held:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
        statuses = fire(server, jobs)
        assert server.proc is not None
        started = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        code = server.proc.wait(timeout=60)
        took = time.monotonic() - started
        first_log = server.log.read_text(errors="replace")
        for sock in held:
            sock.close()
    slow.left = 0
    keys = {j.key for j, s in zip(jobs, statuses, strict=True) if s == 200}
    delivered_before = sum(1 for k in keys if answers_by_key(fake).get(k))
    handed = sum(
        int(line.split("handed over ")[1].split()[0])
        for line in first_log.splitlines()
        if "handed over " in line
    )
    with served(fake, home):
        lost, doubled = count(fake, keys, 60)
    return {
        "acknowledged": len(keys),
        "exit status": code,
        "seconds to exit": round(took, 1),
        "answered before exit": delivered_before,
        "handed over (logged)": handed,
        "lost after restart": lost,
        "doubled": doubled,
    }


def socket_term(fake: FakeSlack, home: Path) -> Figures:
    """Socket Mode SIGTERM with the API 5 s slow and 60 acknowledged envelopes; then a restart."""
    socket_mode = slackfakes.FakeSocketMode(fake)
    urls = [fake.response_url() for _ in range(60)]
    keys = {u.removeprefix(fake.url) for u in urls}
    slow = slow_slack(fake, 5.0)
    try:
        with socket_served(fake, home) as (proc, log):
            assert socket_mode.connected(30), log.read_text(errors="replace")
            for url in urls:
                socket_mode.send(slackfakes.slash_command("/brief", "csto", url), "slash_commands")
            acked = len(socket_mode.wait_acks(len(urls), timeout=30))
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
            took = time.monotonic() - started
            text = log.read_text(errors="replace")
        slow.left = 0
        delivered_before = sum(1 for k in keys if answers_by_key(fake).get(k))
        with socket_served(fake, home):
            lost, doubled = count(fake, keys, 60)
    finally:
        slow.left = 0
        socket_mode.close()
        fake.socket_url = ""
    return {
        "acknowledged": acked,
        "exit status": code,
        "seconds to exit": round(took, 1),
        "answered before exit": delivered_before,
        "handed over (logged)": sum("handed over" in line for line in text.splitlines()),
        "lost after restart": lost,
        "doubled": doubled,
    }


@contextmanager
def socket_served(fake: FakeSlack, home: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    env = slackfakes.server_env(
        fake.api_url, home, 9, SLACK_APP_TOKEN="xapp-1-fault", SLACK_SIGNING_SECRET="", **QUIET
    )
    log = home / f"socket-{time.monotonic_ns()}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        yield proc, log
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()


def acks(fake: FakeSlack, home: Path) -> Figures:
    """142 slash commands at concurrency 50 with the Web API 5 s slow: is any ack late?"""
    jobs = slash_jobs(fake, 142)
    slow = slow_slack(fake, 5.0)
    with served(fake, home) as server:
        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            results = list(pool.map(lambda j: send([server], j), jobs))
        keys = {r.job.key for r in results if r.status == 200}
        lost, doubled = count(fake, keys, 90)
    slow.left = 0
    times = [r.acked - r.started for r in results]
    late = sum(1 for r, t in zip(results, times, strict=True) if r.status != 200 or t > 3.0)
    summary = summarise(times)
    return {
        "commands": len(jobs),
        "late or failed acks (> 3 s or not 200)": late,
        "ack p50 ms": round(summary.median * 1000, 1),
        "ack p99 ms": round(summary.p99 * 1000, 1),
        "ack max ms": round(max(times) * 1000, 1),
        "lost": lost,
        "doubled": doubled,
    }


def corrupt(fake: FakeSlack, home: Path) -> Figures:
    """The event log's bytes overwritten while serving, then retries, new events and worker
    recycles (every 50 requests)."""
    first, later = event_jobs(100), event_jobs(100)
    with served(fake, home, WORKER_MAX_REQUESTS="50") as server:
        statuses = fire(server, first)
        count(fake, {j.key for j in first}, 30)
        path = home / "run" / "events.sqlite3"
        with closing(sqlite3.connect(path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with path.open("r+b") as file:
            file.write(os.urandom(path.stat().st_size))
        statuses += fire(server, retries_of(first) + later + retries_of(first), concurrency=20)
        lost, doubled = count(fake, {j.key for j in first + later}, 30)
        alive = server.proc is not None and server.proc.poll() is None
        log = server.log.read_text(errors="replace")
    return {
        "events": len(first) + len(later),
        "retries after the damage": 2 * len(first),
        "errors": sum(1 for s in statuses if s != 200),
        "lost": lost,
        "doubled": doubled,
        "server still up": alive,
        "workers started (2 at first)": log.count("Booting worker"),
        "'put aside' warnings": log.count("put aside"),
        "tracebacks": log.count("Traceback"),
    }


def delete(fake: FakeSlack, home: Path) -> Figures:
    """RUN_DIR removed while serving; then 200 retries of earlier events and 100 new ones."""
    first, later = event_jobs(200), event_jobs(100)
    with served(fake, home) as server:
        statuses = fire(server, first)
        count(fake, {j.key for j in first}, 30)
        shutil.rmtree(home / "run")
        statuses += fire(server, retries_of(first) + later, concurrency=20)
        lost, doubled = count(fake, {j.key for j in first + later}, 30)
        log = server.log.read_text(errors="replace")
    return {
        "events": len(first) + len(later),
        "retries after the deletion": len(first),
        "errors": sum(1 for s in statuses if s != 200),
        "lost": lost,
        "doubled": doubled,
        "log recreated": (home / "run" / "events.sqlite3").exists(),
        "'made again' warnings": log.count("made again"),
    }


def replay(fake: FakeSlack, home: Path) -> Figures:
    """One signed slash command and one signed Share click, each sent 100 times."""
    with served(fake, home) as server:
        url = fake.response_url()
        body = slackfakes.form(slackfakes.slash_command("/brief", "csto", url))
        headers = slackfakes.signed_headers(body)
        share_url = fake.response_url()
        click = slackfakes.interactive(
            slackfakes.block_actions(SHARE, click_value("/brief csto"), share_url)
        )
        click_headers = slackfakes.signed_headers(click)
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            commands = list(
                pool.map(lambda _: server.post(body, headers, slackfakes.FORM)[0], range(100))
            )
            clicks = list(
                pool.map(
                    lambda _: server.post(click, click_headers, slackfakes.FORM)[0], range(100)
                )
            )
        time.sleep(2.0)
        answers = fake.matching(fake.replies_to(url))
        posts = [
            c
            for c in fake.matching(fake.replies_to(share_url))
            if c.body.get("response_type") == "in_channel"
        ]
    return {
        "slash replays answered 200": commands.count(200),
        "slash answers": len(answers),
        "share replays answered 200": clicks.count(200),
        "public posts": len(posts),
    }


def failing(fake: FakeSlack, home: Path) -> Figures:
    """The Web API and response_urls returning 502/500/429 past every retry, and answers
    slower than the 10 s client timeout: who is told what."""
    users = [slackfakes.unique("U") for _ in range(10)]
    urls = [fake.response_url() for _ in range(10)]
    for url in urls[:5]:
        fake.fail(fake.replies_to(url), 502, "bad gateway", times=10)
    channels = []
    with served(fake, home) as server:
        for user, url in zip(users[:5], urls[:5], strict=True):
            server.signed_form(slackfakes.slash_command("/brief", "csto", url, user_id=user))
        for user, status in zip(users[5:], [500, 500, 429, 429, 503], strict=True):
            payload, channel = slackfakes.mention_event(user=user)
            channels.append(channel)
            headers = {"Retry-After": "1"} if status == 429 else {}
            fake.fail(fake.posts_to(channel), status, "down", headers, times=10)
            server.signed_json(payload)
        slow_urls = urls[5:]
        for url in slow_urls:
            fake.fail(fake.replies_to(url), None, times=1, delay=12.0)
            server.signed_form(slackfakes.slash_command("/brief", "csto", url))
        time.sleep(45)
        told = sum(
            1
            for user in users
            if any(APOLOGY in c.body.get("text", "") for c in fake.matching(fake.posts_to(user)))
        )
        slow_answers = sum(
            1
            for url in slow_urls
            if any(
                APOLOGY not in c.body.get("text", "") for c in fake.matching(fake.replies_to(url))
            )
        )
        false_apologies = sum(
            1
            for url in slow_urls
            for c in fake.matching(fake.replies_to(url))
            if APOLOGY in c.body.get("text", "")
        )
    return {
        "answers Slack never took": 10,
        "users told in their DM": told,
        "slow (12 s) answers that arrived": slow_answers,
        "false apologies for them": false_apologies,
    }


def slow_clients(fake: FakeSlack, home: Path) -> Figures:
    """200 slow-header and 30 slow-body connections held open while /healthz and signed slash
    commands are asked: how long do they take?"""
    with served(fake, home) as server:
        host, port = server.url.removeprefix("http://").split(":")
        stop = threading.Event()
        held: list[socket.socket] = []
        cut: list[float] = []  # seconds each slow connection lasted before the server closed it

        def slowloris(body: bool) -> None:
            try:
                sock = socket.create_connection((host, int(port)), timeout=5)
            except OSError:
                return
            held.append(sock)
            opened = time.monotonic()
            try:
                if body:
                    sock.sendall(
                        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                        b"\r\nContent-Length: 100000\r\n\r\n{"
                    )
                else:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\n")
                while not stop.wait(1.0):
                    sock.sendall(b"a" if body else b"X-a: b\r\n")
            except OSError:
                cut.append(time.monotonic() - opened)

        threads = [
            threading.Thread(target=slowloris, args=(i < 30,), daemon=True) for i in range(230)
        ]
        for thread in threads:
            thread.start()
        time.sleep(3.0)
        health, signed = [], []
        for _ in range(10):
            started = time.perf_counter()
            try:
                with slackfakes.urllib.request.urlopen(server.url + "/healthz", timeout=5) as r:
                    ok = r.status == 200
            except OSError:
                ok = False
            health.append((ok, time.perf_counter() - started))
            url = fake.response_url()
            began = time.perf_counter()
            try:
                fields = slackfakes.slash_command("/brief", "csto", url)
                ok = server.signed_form(fields)[0] == 200
            except OSError:
                ok = False
            signed.append((ok, time.perf_counter() - began))
            time.sleep(0.3)
        time.sleep(12.0)  # past the header and body deadlines (10 s)
        stop.set()
        for sock in held:
            sock.close()
    within = sum(1 for ok, t in health if ok and t < 1.0)
    signed_within = sum(1 for ok, t in signed if ok and t < 1.0)
    return {
        "connections held": len(held),
        "/healthz answered within 1 s": f"{within}/{len(health)}",
        "/healthz slowest ms": round(max(t for _, t in health) * 1000, 1),
        "signed commands acked within 1 s": f"{signed_within}/{len(signed)}",
        "signed slowest ms": round(max(t for _, t in signed) * 1000, 1),
        "slow connections closed by the server": len(cut),
        "closed after (median s)": round(sorted(cut)[len(cut) // 2], 1) if cut else None,
    }


SCENARIOS: dict[str, Callable[[FakeSlack, Path], Figures]] = {
    "kill": kill,
    "term": term,
    "socket": socket_term,
    "acks": acks,
    "corrupt": corrupt,
    "delete": delete,
    "replay": replay,
    "failing": failing,
    "slow": slow_clients,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="SCENARIO", help=", ".join(SCENARIOS))
    args = parser.parse_args()
    unknown = set(args.names) - set(SCENARIOS)
    if unknown:
        parser.error(
            f"unknown scenario {', '.join(sorted(unknown))}: choose from {list(SCENARIOS)}"
        )
    for name in args.names or list(SCENARIOS):
        fake = FakeSlack()
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"c5fault-{name}-") as home:
            try:
                figures = SCENARIOS[name](fake, Path(home))
            finally:
                fake.close()
        took = time.monotonic() - started
        shown = ", ".join(f"{k}: {v}" for k, v in figures.items())
        print(f"{name} ({took:.0f} s): {shown}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
