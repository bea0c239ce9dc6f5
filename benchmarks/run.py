"""`python -m bot bench`: measure the shipped corpus and synthetic ones, print one table.

Every figure comes from a fresh process (the `ask` CLI, the real server, or a worker), so
start-up, load time and peak RSS are each that process's own. Sizes and repeats are options;
`--quick` is the seconds-long smoke run CI uses.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.generate import REAL, generate
from benchmarks.stats import Summary, machine, summarise

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge" / "factbase.json"
SIZES = (50, 500, 5000)
WORKER_TIMEOUT = 3600.0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.loads = [8], 1, 2
        args.startup_runs, args.slash_runs = 2, min(args.slash_runs, 1)
    header = [
        f"C5 Brief benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"commit {_commit()}",
        f"machine: {machine()}",
    ]
    shipped = None if args.no_shipped else _shipped(args)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="c5-bench-"))
    try:
        grown = [_grow(n, work / f"corpus-{n}", args) for n in args.sizes]
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(report.render(header, shipped, grown), end="")
    return 0


def _shipped(args: argparse.Namespace) -> report.Shipped:
    _note("shipped corpus: process start to first answer")
    _compile_bytecode()
    startup = _startup(SHIPPED, args.startup_runs)
    bare = _bare(args.startup_runs)
    _note("shipped corpus: load, answers, peers")
    answers = _worker("answer", str(SHIPPED), "--repeat", str(args.repeat), "--loads", "20")
    slash = None
    if args.slash_runs:
        _note("shipped corpus: slash commands over loopback")
        from benchmarks import slash as slash_bench

        slash = slash_bench.measure(SHIPPED, _slash_commands(), args.slash_runs)
    return report.Shipped(startup, answers, slash, bare)


def _compile_bytecode() -> None:
    """Compile bot/ to bytecode first, as an install does (`make` runs the same step).

    An editable install leaves our modules as source, and where PYTHONDONTWRITEBYTECODE is
    set (this machine's default) every process would compile all of them again: about
    25 ms of each start that no deployed process pays.
    """
    compileall.compile_dir(ROOT / "bot", quiet=1)


def _bare(runs: int) -> Summary:
    """A bare `python -c pass` of the same interpreter: the floor any start-up stands on."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60)
        times.append(time.perf_counter() - started)
    return summarise(times)


def _startup(factbase: Path, runs: int) -> Summary:
    """Wall time of `python -m bot ask` from exec to exit: imports, load, one answer, print."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "--factbase", str(factbase), "ask", "csto"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=60,
        )
        times.append(time.perf_counter() - started)
    return summarise(times)


def _slash_commands() -> list[tuple[str, str]]:
    """The benchmark's queries that are slash commands, plus free text sent as /brief."""
    from benchmarks.queries import queries
    from bot.core.knowledge import load
    from bot.slack.commands import COMMANDS

    out = []
    for query in queries(load(SHIPPED)):
        command, _, text = query.partition(" ")
        if command in COMMANDS:
            out.append((command, text))
        elif query and not query.startswith("/"):
            out.append(("/brief", query))
    return out[::3]


def _grow(articles: int, root: Path, args: argparse.Namespace) -> report.Grown:
    try:
        _note(f"{articles:,} articles: generating")
        generate(root, articles)
        _note(f"{articles:,} articles: building")
        built = _worker("build", str(root))
        _note(f"{articles:,} articles: load, answers, peers")
        answers = _worker(
            "answer",
            str(root / "knowledge" / "factbase.json"),
            "--repeat",
            str(args.repeat),
            "--loads",
            str(args.loads),
        )
        _note(f"{articles:,} articles: process start to first answer")
        first = _startup(root / "knowledge" / "factbase.json", max(2, args.startup_runs // 4))
    except (RuntimeError, ValueError, subprocess.TimeoutExpired) as exc:
        _note(f"{articles:,} articles: failed: {exc}")
        error = (str(exc).splitlines() or [type(exc).__name__])[-1][:120]
        return report.Grown(articles, None, None, error=error)
    return report.Grown(articles, built, answers, first_answer=first)


def _worker(*argv: str) -> dict[str, Any]:
    """Run benchmarks.worker in a fresh process; its stderr (progress bar) goes to ours."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
        timeout=WORKER_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.worker {' '.join(argv)} failed ({done.returncode})")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def _note(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _sizes(text: str) -> list[int]:
    """Comma-separated sizes, sorted and de-duplicated; none below the real articles."""
    try:
        sizes = sorted({int(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not comma-separated numbers: {text!r}") from None
    if sizes and sizes[0] < REAL:
        raise argparse.ArgumentTypeError(
            f"{sizes[0]} articles: a corpus holds the {REAL} real articles at least"
        )
    return sizes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(SIZES),
        help="synthetic corpus sizes in articles, comma-separated (default 50,500,5000); "
        f"each at least {REAL}, the real articles",
    )
    parser.add_argument("--repeat", type=int, default=5, help="passes over the query set")
    parser.add_argument("--loads", type=int, default=3, help="loads timed per synthetic corpus")
    parser.add_argument("--startup-runs", type=int, default=20, help="`ask` processes timed")
    parser.add_argument("--slash-runs", type=int, default=2, help="passes of slash commands")
    parser.add_argument("--no-shipped", action="store_true", help="only the growth table")
    parser.add_argument("--work", help="keep the synthetic corpora in this directory")
    parser.add_argument("--quick", action="store_true", help="a seconds-long smoke run")
    return parser


if __name__ == "__main__":
    sys.exit(main())
