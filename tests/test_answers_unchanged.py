"""The fact base's storage is not allowed to change any answer: byte-for-byte JSON, before/after.

The expected answers (tests/fixtures/answers.jsonl.gz) were written by the code before the
store moved to SQLite; regenerate with `python -m tests.answer_dump ../shared/eval/dev.jsonl`
only for a change that is meant to change answers.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from bot.core.knowledge import load
from tests.answer_dump import FIXTURE, SHIPPED, dump, synthetic


def _expected() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for line in gzip.decompress(FIXTURE.read_bytes()).decode().splitlines():
        r = json.loads(line)
        out.setdefault(r["corpus"], []).append((r["query"], r["answer"]))
    return out


EXPECTED = _expected()


def _differences(kb_path: Path, cases: list[tuple[str, str]]) -> list[str]:
    kb = load(kb_path)
    return [query for query, want in cases if dump(kb, query) != want]


def test_shipped_corpus_answers_unchanged() -> None:
    cases = EXPECTED["shipped"]
    assert len(cases) > 600
    assert _differences(SHIPPED, cases) == []


def test_synthetic_corpus_answers_unchanged(tmp_path: Path) -> None:
    target, checks = synthetic(tmp_path)
    cases = EXPECTED["synthetic"]
    assert {q for q, _ in cases} >= set(checks)
    assert _differences(target, cases) == []
