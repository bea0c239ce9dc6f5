"""One measurement in a fresh process, so its peak RSS and load time are its own.

    python -m benchmarks.worker build ROOT      build ROOT/knowledge/factbase.json, time it
    python -m benchmarks.worker answer FACTBASE load, answer the query set, run the peers
    python -m benchmarks.worker slowest FACTBASE  one pass: the slowest queries, and what
                                                each added to the peak RSS

Each prints one JSON object on its last stdout line; the progress bar goes to stderr.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.generate import CHECKS
from benchmarks.peers import Bm25s, Fts5, Peer
from benchmarks.queries import queries
from benchmarks.stats import Summary, peak_rss_mb, proc_status_kb, summarise


def build_corpus(root: Path) -> dict[str, Any]:
    """Time the real build of a scratch root, as `python -m bot build` does it."""
    import resource

    from bot.build.pipeline import build_to
    from bot.core.store import columns_path, store_path

    target = root / "knowledge" / "factbase.json"
    progress = _progress if sys.stderr.isatty() else None
    started = time.perf_counter()
    build_to(root, target, progress)
    elapsed = time.perf_counter() - started
    stored = [store_path(target), columns_path(target)]
    return {
        "build_s": elapsed,
        "factbase_bytes": target.stat().st_size,
        "index_bytes": sum(p.stat().st_size for p in stored if p.exists()),
        # The process that numbers and writes, and the largest of the readers it started.
        "peak_rss_mb": peak_rss_mb(),
        "peak_reader_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def measure_answers(factbase: Path, repeat: int, loads: int) -> dict[str, Any]:
    """Load, answer every query `repeat` times, check the checkable, then time the peers."""
    from bot.core.answer import answer
    from bot.core.knowledge import load

    started = time.perf_counter()
    kb = load(factbase)
    load_times = [time.perf_counter() - started]
    asked = queries(kb)
    timings: list[float] = []
    kinds: Counter[str] = Counter()
    for _ in range(repeat):
        for query in asked:
            began = time.perf_counter()
            result = answer(kb, query)
            timings.append(time.perf_counter() - began)
            kinds[result.kind] += 1
    checked, correct = _check(kb, factbase.parent.parent / CHECKS, answer)
    rss = peak_rss_mb()
    # Private memory apart from the store's file pages, which workers share (issue 12).
    split = {k: (proc_status_kb("self", k) or 0) / 1024 for k in ("RssAnon", "RssFile")}
    passages = [s.text for s in kb.fb.sentences]
    sentences = len(passages)
    peers: dict[str, Any] = {}
    for make in (Fts5, Bm25s):
        began = time.perf_counter()
        peer: Peer = make(passages)
        indexed = time.perf_counter() - began
        peers[peer.name] = {"index_s": indexed, "query": _time_peer(peer, asked, repeat)}
        peer.close()
        del peer
    del kb, passages
    _collect()
    for _ in range(loads - 1):
        began = time.perf_counter()
        kb = load(factbase)
        load_times.append(time.perf_counter() - began)
        del kb
        _collect()
    return {
        "sentences": sentences,
        "queries": len(asked),
        "kinds": dict(sorted(kinds.items())),
        "load": _plain(summarise(load_times)),
        "answer": _plain(summarise(timings)),
        "rss_mb": rss,
        "rss_anon_mb": split["RssAnon"],
        "rss_file_mb": split["RssFile"],
        "checked": checked,
        "correct": correct,
        "peers": peers,
    }


def slowest(factbase: Path, top: int) -> dict[str, Any]:
    """One pass over the query set: the `top` slowest queries, each with its answer's size
    and how far it raised this process's peak RSS (what sets the p99 and the memory)."""
    from bot.core.answer import answer
    from bot.core.knowledge import load

    kb = load(factbase)
    asked = queries(kb)
    rows = []
    for query in asked:
        peak = proc_status_kb("self", "VmHWM") or 0
        began = time.perf_counter()
        result = answer(kb, query)
        elapsed = time.perf_counter() - began
        raised = ((proc_status_kb("self", "VmHWM") or 0) - peak) / 1024
        rows.append(
            (elapsed, raised, query, result.kind, len(result.passages), len(result.sources))
        )
        del result
    rows.sort(key=lambda r: -r[0])
    return {
        "queries": len(asked),
        "over_100_ms": sum(1 for r in rows if r[0] > 0.1),
        "slowest": [
            {
                "ms": r[0] * 1000,
                "peak_raised_mb": r[1],
                "query": r[2],
                "kind": r[3],
                "passages": r[4],
                "sources": r[5],
            }
            for r in rows[:top]
        ],
    }


def _collect() -> None:
    """Free the last fact base: load() gc.freeze()s it, and collect() never frees frozen objects."""
    gc.unfreeze()
    gc.collect()


def _check(kb: Any, path: Path, answer: Callable[[Any, str], Any]) -> tuple[int, int]:
    """Queries the generator knows the answer to: the right kind about the right actor."""
    if not path.exists():
        return 0, 0
    checks = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    correct = 0
    for check in checks:
        result = answer(kb, check["query"])
        actor = result.actor.id if result.actor else None
        correct += result.kind == check["kind"] and actor == check["actor"]
    return len(checks), correct


def _time_peer(peer: Peer, asked: Sequence[str], repeat: int) -> dict[str, float]:
    timings = []
    for _ in range(repeat):
        for query in asked:
            began = time.perf_counter()
            peer.search(query)
            timings.append(time.perf_counter() - began)
    return _plain(summarise(timings))


def _plain(summary: Summary) -> dict[str, float]:
    return {"n": summary.n, "median": summary.median, "p99": summary.p99}


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r  building [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker", description=__doc__)
    sub = parser.add_subparsers(dest="mode", required=True)
    build = sub.add_parser("build")
    build.add_argument("root", type=Path)
    measure = sub.add_parser("answer")
    measure.add_argument("factbase", type=Path)
    measure.add_argument("--repeat", type=int, default=3)
    measure.add_argument("--loads", type=int, default=5)
    worst = sub.add_parser("slowest")
    worst.add_argument("factbase", type=Path)
    worst.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    if args.mode == "build":
        result = build_corpus(args.root)
    elif args.mode == "slowest":
        result = slowest(args.factbase, args.top)
    else:
        result = measure_answers(args.factbase, args.repeat, args.loads)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
