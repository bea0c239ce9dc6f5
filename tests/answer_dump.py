"""Every answer for a fixed list of queries, as JSON: what a change of storage must not move.

`python -m tests.answer_dump [DEV.jsonl]` rewrites tests/fixtures/answers.jsonl.gz from the code
as it is; test_answers_unchanged compares the code with that file. The queries live in the
fixture itself (the shipped corpus: the eval bank, the dev questions, the benchmark's queries;
a 50-article synthetic corpus: its checks and the benchmark's queries), so the test needs
nothing outside the repository.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from benchmarks.generate import CHECKS, generate
from benchmarks.queries import queries
from bot.build.pipeline import build_to
from bot.core.answer import answer
from bot.core.knowledge import Knowledge, load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "answers.jsonl.gz"
SHIPPED = ROOT / "knowledge" / "factbase.json"
SYNTHETIC = 50


def dump(kb: Knowledge, query: str) -> str:
    """One answer as canonical JSON text: equal strings mean the same answer, byte for byte."""
    return json.dumps(answer(kb, query).model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def synthetic(work: Path) -> tuple[Path, list[str]]:
    """Generate and build the synthetic corpus; its fact base and its checks' queries."""
    corpus = generate(work / "corpus", SYNTHETIC)
    target = corpus.root / "knowledge" / "factbase.json"
    build_to(corpus.root, target)  # the real build: readers in a pool, the store streamed
    checks = [json.loads(line)["query"] for line in (corpus.root / CHECKS).read_text().splitlines()]
    return target, checks


def records(work: Path, dev: Sequence[str]) -> Iterator[dict[str, str]]:
    bank = [
        json.loads(line)["query"]
        for line in (ROOT / "tests" / "eval" / "bank.jsonl").read_text().splitlines()
        if line.strip()
    ]
    kb = load(SHIPPED)
    for query in dict.fromkeys([*bank, *dev, *queries(kb)]):
        yield {"corpus": "shipped", "query": query, "answer": dump(kb, query)}
    target, checks = synthetic(work)
    kb = load(target)
    for query in dict.fromkeys([*checks, *queries(kb)]):
        yield {"corpus": "synthetic", "query": query, "answer": dump(kb, query)}


def main(argv: Sequence[str]) -> int:
    import tempfile

    dev = []
    for name in argv:
        dev += [json.loads(line)["query"] for line in Path(name).read_text().splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records(Path(tmp), dev)]
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    with FIXTURE.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write("".join(lines).encode())
    print(f"wrote {FIXTURE}: {len(lines)} answers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
