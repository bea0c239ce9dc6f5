"""`build` and `build --check`: make the fact base and print what a curator needs to read."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bot.build.curation import CurationError
from bot.build.pipeline import build_to
from bot.models import BuildReport


def run_build(root: Path, target: Path, *, check: bool) -> int:
    started = time.perf_counter()
    progress = _progress if sys.stderr.isatty() else None
    try:
        if check:
            with tempfile.TemporaryDirectory() as scratch:
                fresh = Path(scratch) / target.name
                build_to(root, fresh, progress, store=False)
                data = fresh.read_bytes()
        else:
            built = build_to(root, target, progress)
    except CurationError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    if check:
        current = target.read_bytes() if target.exists() else b""
        if current != data:
            print(f"{target} is stale: run `python -m bot build` and commit it.", file=sys.stderr)
            return 1
        print(f"{target} is up to date ({len(data):,} bytes).")
        return 0
    print(report(built, target, target.stat().st_size, time.perf_counter() - started))
    return 0


def report(built: BuildReport, target: Path, size: int, elapsed: float) -> str:
    """The build report a curator reads after adding an article."""
    lines = [f"wrote {target} ({size:,} bytes) in {elapsed:.2f}s", "", "counts:"]
    lines += [f"  {name:<24}{value:>7,}" for name, value in built.counts.items()]
    lines += ["", f"capitalised names that match no actor ({len(built.unmatched_names)}):"]
    lines += [f"  {n:>3}  {name}" for name, n in list(built.unmatched_names.items())[:40]]
    lines += ["", f"quotes with no speaker ({len(built.quotes_without_speaker)}):"]
    lines += [f"  {q}" for q in built.quotes_without_speaker]
    return "\n".join(lines)


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\rbuilding [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
