"""The fact base's storage is not allowed to change any answer: byte-for-byte JSON, before/after.

The expected answers (tests/fixtures/answers.jsonl.gz) were written by the code before the
store moved to SQLite; regenerate with `python -m tests.answer_dump ../shared/eval/dev.jsonl`
only for a change that is meant to change answers.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from bot.build.sink import write_store
from bot.core.knowledge import load
from bot.core.store import store_path
from bot.models import FactBase
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


@pytest.mark.parametrize("stored", [True, False], ids=["sqlite store", "json only"])
def test_shipped_corpus_answers_unchanged(tmp_path: Path, stored: bool) -> None:
    """Both ways in: the store the build writes, and the JSON alone (a fresh clone)."""
    target = tmp_path / "factbase.json"
    shutil.copy(SHIPPED, target)
    if stored:
        write_store(FactBase.model_validate_json(target.read_bytes()), target)
    assert store_path(target).exists() == stored
    cases = EXPECTED["shipped"]
    assert len(cases) > 600
    assert _differences(target, cases) == []


def test_synthetic_corpus_answers_unchanged(tmp_path: Path) -> None:
    target, checks = synthetic(tmp_path)
    assert store_path(target).exists()
    cases = EXPECTED["synthetic"]
    assert {q for q, _ in cases} >= set(checks)
    assert _differences(target, cases) == []


@pytest.mark.parametrize("corpus", ["shipped", "synthetic"])
def test_vectorised_scoring_gives_the_same_answers(
    tmp_path: Path, corpus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large fact bases rank with numpy (bot.core.vector): forced on here, every answer of
    both corpora is still byte for byte the same."""
    from bot.core import rank

    monkeypatch.setattr(rank, "VECTOR_FROM", 0)
    target = synthetic(tmp_path)[0] if corpus == "synthetic" else SHIPPED
    assert _differences(target, EXPECTED[corpus]) == []
