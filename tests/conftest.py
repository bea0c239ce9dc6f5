"""Shared fixtures for the fact base, answer and CLI tests (tests/slack has its own)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.answer import answer
from bot.core.knowledge import Knowledge, load
from bot.models import Answer, Event, FactBase, Quote, Sentence

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
KNOWLEDGE = ROOT / "knowledge"
FACTBASE = KNOWLEDGE / "factbase.json"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    """The committed fact base, loaded once the way the bot loads it."""
    return load(FACTBASE)


@pytest.fixture(scope="session")
def fb(kb: Knowledge) -> FactBase:
    return kb.fb


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Every seed file by name, as the build reads it."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_file() -> Callable[[str], str]:
    """The seed file name for a three-digit prefix such as '004'."""
    names = {p.name[:3]: p.name for p in SEEDS.glob("*.txt")}
    return names.__getitem__


@pytest.fixture(scope="session")
def ask(kb: Knowledge) -> Callable[[str], Answer]:
    return lambda query: answer(kb, query)


@pytest.fixture(scope="session")
def sentence_with(fb: FactBase, seed_file: Callable[[str], str]) -> Callable[[str, str], Sentence]:
    """The one sentence of a seed that holds a fragment; fails if none or several do."""

    def find(prefix: str, fragment: str) -> Sentence:
        source = seed_file(prefix)
        hits = [s for s in fb.sentences if s.source == source and fragment in s.text]
        assert len(hits) == 1, f"{len(hits)} sentences of {source} contain {fragment!r}"
        return hits[0]

    return find


@pytest.fixture(scope="session")
def quotes_with(fb: FactBase, seed_file: Callable[[str], str]) -> Callable[[str, str], list[Quote]]:
    """Quotes of a seed holding a fragment; a quote that is exactly the fragment wins."""

    def find(prefix: str, fragment: str) -> list[Quote]:
        source = seed_file(prefix)
        hits = [q for q in fb.quotes if q.source == source and fragment in q.text]
        exact = [q for q in hits if q.text.strip(" .,") == fragment]
        return exact or hits

    return find


@pytest.fixture(scope="session")
def event_with(
    fb: FactBase, sentence_with: Callable[[str, str], Sentence]
) -> Callable[[str, str], Event | None]:
    by_sentence = {e.sentence: e for e in fb.events}
    return lambda prefix, fragment: by_sentence.get(sentence_with(prefix, fragment).id)


@pytest.fixture()
def repo_copy(tmp_path: Path) -> Path:
    """seeds/ and knowledge/*.toml copied to a scratch root that a test may change."""
    root = tmp_path / "repo"
    shutil.copytree(SEEDS, root / "seeds")
    (root / "knowledge").mkdir()
    for toml in KNOWLEDGE.glob("*.toml"):
        shutil.copy(toml, root / "knowledge" / toml.name)
    return root


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`python -m bot ARGS` from the repo root, text in and out, bounded in time."""

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )

    return run
