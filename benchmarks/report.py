"""The printed table: Markdown, so a run pastes straight into the README."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.stats import RoundTrips, Summary

PEERS = ("SQLite FTS5", "bm25s")


@dataclass(frozen=True)
class Shipped:
    """Everything measured on the committed fact base."""

    startup: Summary
    answers: dict[str, Any]
    slash: RoundTrips | None
    bare: Summary | None = None  # `python -c pass`, the interpreter's own start


@dataclass(frozen=True)
class Grown:
    """One synthetic corpus: its build and its answer measurements (None if not built)."""

    articles: int
    build: dict[str, Any] | None
    answers: dict[str, Any] | None
    error: str | None = None
    first_answer: Summary | None = None  # `ask`, whole process, on this corpus


def render(header: Sequence[str], shipped: Shipped | None, grown: Sequence[Grown]) -> str:
    lines = [*header, ""]
    if shipped:
        lines += [*_shipped(shipped), ""]
    if grown:
        lines += _growth(grown)
    return "\n".join(lines).rstrip() + "\n"


def _shipped(s: Shipped) -> list[str]:
    a = s.answers
    load = _summary(a["load"])
    answer = _summary(a["answer"])
    floor = s.bare.median if s.bare else math.nan
    rows: list[tuple[str, Summary, str, bool | None]] = [
        (
            "process start to first answer (`ask`, whole process)",
            s.startup,
            "≤ 150 ms, or ≤ 2x bare Python",
            s.startup.median <= 0.150 or s.startup.median <= 2 * floor,
        ),
        *([("bare `python -c pass`, same interpreter", s.bare, "", None)] if s.bare else []),
        ("fact base load (in process)", load, "< 0.2 s", load.p99 < 0.2),
        (
            "answer, in process (all queries)",
            answer,
            "p99 ≤ 2 ms",
            answer.p99 <= 0.002,
        ),
    ]
    if s.slash:
        rows.append(("slash command: HTTP round trip to Bolt's ack", s.slash.ack, "", None))
        rows.append(
            (
                "slash command: until the answer reaches response_url",
                s.slash.answered,
                "p99 < 30 ms",
                s.slash.answered.p99 < 0.030,
            )
        )
    for name in PEERS:
        rows.append(
            (
                f"peer: {name} query, same sentences and queries",
                _summary(a["peers"][name]["query"]),
                "",
                None,
            )
        )
    out = [
        f"Shipped corpus: {a['sentences']} sentences; {a['queries']} queries x "
        f"{a['answer']['n'] // max(a['queries'], 1)} runs; answer kinds {_kinds(a['kinds'])}",
        "",
        "| measure | n | median | p99 | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for name, summary, target, met in rows:
        figures = f"{summary.n} | {_ms(summary.median)} | {_ms(summary.p99)}"
        out.append(f"| {name} | {figures} | {target} | {_met(met)} |")
    rss = a["rss_mb"]
    out.append(
        f"| peak RSS (load + every query) | 1 | {rss:.0f} MB | | < 150 MB | {_met(rss < 150)} |"
    )
    out.append("")
    out.append(
        "Answer latency as a multiple of the peers' query latency (ours / theirs): " + _ratios(a)
    )
    return out


def _growth(grown: Sequence[Grown]) -> list[str]:
    out = [
        "Growth: synthetic corpora from benchmarks/generate.py (real paragraphs recombined, people "
        "renamed, years shifted)",
        "",
        "| articles | sentences | build | fact base + index on disk | load p50 | load p99 | RSS | "
        "answer p50 | answer p99 | FTS5 p50 / p99 | bm25s p50 / p99 | ours / FTS5 (p50, p99) | "
        "ours / bm25s (p50, p99) | checks right |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for g in grown:
        if g.error or not g.build or not g.answers:
            out.append(f"| {g.articles:,} | {g.error or 'not measured'} |" + " |" * 12)
            continue
        b, a = g.build, g.answers
        load, answer = _summary(a["load"]), _summary(a["answer"])
        fts, bm = (_summary(a["peers"][p]["query"]) for p in PEERS)
        size = b["factbase_bytes"] + b.get("index_bytes", 0)
        out.append(
            f"| {g.articles:,} | {a['sentences']:,} | {_s(b['build_s'])} | {size / 1e6:.1f} MB | "
            f"{_ms(load.median)} | {_ms(load.p99)} | {a['rss_mb']:.0f} MB | {_ms(answer.median)} | "
            f"{_ms(answer.p99)} | {_ms(fts.median)} / {_ms(fts.p99)} | "
            f"{_ms(bm.median)} / {_ms(bm.p99)} | {_x(answer.median / fts.median)}, "
            f"{_x(answer.p99 / fts.p99)} | {_x(answer.median / bm.median)}, "
            f"{_x(answer.p99 / bm.p99)} | {a['correct']}/{a['checked']} |"
        )
    done = [g for g in grown if g.build and g.answers and not g.error]
    slopes = _slopes(done[0], done[-1]) if len(done) >= 2 else None
    if slopes:
        out += ["", slopes]
    firsts = [
        f"{g.articles:,}: {_ms(g.first_answer.median)} (p99 {_ms(g.first_answer.p99)})"
        for g in done
        if g.first_answer
    ]
    if firsts:
        out += ["", "Process start to first answer (`ask`, whole process): " + "; ".join(firsts)]
    split = [
        f"{g.articles:,}: {g.answers['rss_anon_mb']:.0f} MB private (RssAnon), "
        f"{g.answers['rss_file_mb']:.0f} MB of the store's pages (RssFile, shared)"
        for g in done
        if g.answers and "rss_anon_mb" in g.answers
    ]
    if split:
        out += ["", "Memory after every query: " + "; ".join(split)]
    builds = [
        f"{g.articles:,}: {g.build['peak_rss_mb']:.0f} MB writing, "
        f"{g.build['peak_reader_rss_mb']:.0f} MB the largest reader process"
        for g in done
        if g.build and "peak_rss_mb" in g.build
    ]
    if builds:
        out += ["", "Build peak RSS: " + "; ".join(builds)]
    for g in done:
        if g.articles >= 5000:
            out += ["", *_targets(g)]
    return out


def _slopes(small: Grown, large: Grown) -> str | None:
    """Log-log slope between the smallest and largest corpus: 1 is linear, under 1 sublinear.

    None unless the larger corpus holds more articles: there is no slope over no growth."""
    assert small.build and small.answers and large.build and large.answers
    if not 0 < small.articles < large.articles:
        return None
    pairs = {
        "build": (small.build["build_s"], large.build["build_s"]),
        "fact base size": (
            small.build["factbase_bytes"] + small.build.get("index_bytes", 0),
            large.build["factbase_bytes"] + large.build.get("index_bytes", 0),
        ),
        "load": (small.answers["load"]["median"], large.answers["load"]["median"]),
        "RSS": (small.answers["rss_mb"], large.answers["rss_mb"]),
        "answer p50": (small.answers["answer"]["median"], large.answers["answer"]["median"]),
        "answer p99": (small.answers["answer"]["p99"], large.answers["answer"]["p99"]),
    }
    scale = math.log(large.articles / small.articles)
    parts = [
        f"{name} {math.log(b / a) / scale:.2f}" for name, (a, b) in pairs.items() if a > 0 and b > 0
    ]
    return (
        f"Growth exponents from {small.articles:,} to {large.articles:,} articles "
        f"(log-log slope; 1 = linear, below 1 = sublinear): " + ", ".join(parts)
    )


def _targets(g: Grown) -> list[str]:
    """Issue 12's targets: at 5,000 articles, and at 50,000 or more."""
    assert g.build and g.answers
    a, b = g.answers, g.build
    answer, fts = _summary(a["answer"]), _summary(a["peers"]["SQLite FTS5"]["query"])
    if g.articles >= 50_000:
        checks = [
            ("answer p99 < 100 ms", answer.p99 < 0.1),
            ("RSS < 500 MB", a["rss_mb"] < 500),
            (f"build {_s(b['build_s'])}", None),
        ]
    else:
        first = g.first_answer
        checks = [
            ("first answer < 0.5 s", first.median < 0.5 if first else None),
            ("RSS < 200 MB", a["rss_mb"] < 200),
            ("answer p50 ≤ 3 ms", answer.median <= 0.003),
            ("answer p99 ≤ 20 ms", answer.p99 <= 0.020),
            ("p50 ≤ 1.5x FTS5 p50", answer.median <= 1.5 * fts.median),
            ("build < 2 min", b["build_s"] < 120),
        ]
    return [
        f"{g.articles:,}-article targets: "
        + "; ".join(n if ok is None else f"{n}: {_met(ok)}" for n, ok in checks)
    ]


def _ratios(a: dict[str, Any]) -> str:
    ours = _summary(a["answer"])
    parts = []
    for name in PEERS:
        theirs = _summary(a["peers"][name]["query"])
        parts.append(
            f"{name} {_x(ours.median / theirs.median)} at p50, {_x(ours.p99 / theirs.p99)} at p99"
        )
    return "; ".join(parts)


def _summary(d: dict[str, Any]) -> Summary:
    return Summary(int(d["n"]), float(d["median"]), float(d["p99"]))


def _kinds(kinds: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in kinds.items())


def _ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "n/a"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds * 1000:.2f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _x(ratio: float) -> str:
    return f"{ratio:.1f}x"


def _met(ok: bool | None) -> str:
    return "" if ok is None else ("yes" if ok else "**no**")
