"""`bench`: the speed and scale benchmark in benchmarks/ (dev only, from a repository checkout)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def run_bench(root: Path, argv: Sequence[str]) -> int:
    """Hand over to benchmarks.run; it is not installed with the bot, so find it in the checkout."""
    if not (root / "benchmarks" / "run.py").is_file():
        print(f"bench: {root / 'benchmarks'} is missing; run it from a checkout", file=sys.stderr)
        return 2
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from benchmarks.run import main

    return main(argv)
