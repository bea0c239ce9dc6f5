"""The benchmark's smoke run: a tiny synthetic corpus end to end, and the table it prints.

No timing is asserted (CI machines vary); what is checked is that every stage runs and the
table is well formed, and that the generator's corpora are ones the real build accepts.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import CHECKS, REAL, generate
from benchmarks.stats import summarise
from bot.build.curation import load as load_curation
from bot.build.pipeline import build, write
from bot.core.answer import answer as ask
from bot.core.answers.actor import PROFILE_SOURCES
from bot.core.knowledge import load
from bot.render.text import render as render_text

ROOT = Path(__file__).resolve().parent.parent
FACTBASE = ROOT / "knowledge" / "factbase.json"
ROW = re.compile(r"^\|.*\|$")


@pytest.fixture(scope="module")
def bench_output() -> str:
    """`python -m bot bench --quick` without the slash-command server: seconds, not minutes."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "bench", "--quick", "--slash-runs", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _table(output: str, heading: str) -> list[list[str]]:
    """The Markdown table printed after a line starting with `heading`, as rows of cells."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip() and rows:
            break
        if ROW.match(line):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_bench_names_the_machine(bench_output: str) -> None:
    assert re.search(r"^machine: .+ cores", bench_output, re.M)


def test_shipped_table_is_well_formed(bench_output: str) -> None:
    head, rule, *rows = _table(bench_output, "Shipped corpus")
    assert head == ["measure", "n", "median", "p99", "target", "met"]
    assert all(set(cell) <= set("-:") for cell in rule)
    names = [row[0] for row in rows]
    for wanted in ("process start", "fact base load", "answer, in process", "peak RSS", "FTS5"):
        assert any(wanted in name for name in names), wanted
    for row in rows:
        assert len(row) == len(head), row
        assert re.fullmatch(r"[\d.]+ (ms|s|MB)", row[2]), row


def test_growth_table_has_a_measured_row(bench_output: str) -> None:
    head, _, *rows = _table(bench_output, "Growth")
    assert head[:4] == ["articles", "sentences", "build", "fact base + index on disk"]
    [row] = rows
    assert len(row) == len(head)
    assert row[0] == "8"
    right, asked = map(int, row[-1].split("/"))
    assert asked > 0 and right == asked, "the generator's checkable answers must be answered"


def test_generated_corpus_passes_curation(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "c", REAL + 4)
    seeds = sorted(p.name for p in (corpus.root / "seeds").glob("*.txt"))
    assert len(seeds) == corpus.articles == REAL + 4
    curation = load_curation(corpus.root / "knowledge", corpus.root / "seeds")
    assert sorted(s.file for s in curation.sources) == seeds
    assert sum(a.id.startswith("syn_") for a in curation.actors) == corpus.people > 0
    checks = (corpus.root / CHECKS).read_text(encoding="utf-8").splitlines()
    assert {json.loads(c)["kind"] for c in checks} == {"actor"}


def test_generator_is_deterministic(tmp_path: Path) -> None:
    one, two = generate(tmp_path / "a", 12).root, generate(tmp_path / "b", 12).root
    for path in sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file()):
        assert (one / path).read_bytes() == (two / path).read_bytes(), path


def test_summary_p99_is_nearest_rank() -> None:
    s = summarise([float(i) for i in range(1, 201)])
    assert (s.n, s.median, s.p99) == (200, 100.5, 198.0)


def test_profile_of_an_actor_named_everywhere_stays_short(tmp_path: Path) -> None:
    """At scale a profile lists the sources naming the actor most and counts the rest."""
    corpus = generate(tmp_path / "c", REAL + 15)
    target = corpus.root / "knowledge" / "factbase.json"
    write(build(corpus.root), target)
    answer = ask(load(target), "/actor Kazakhstan")
    assert answer.profile is not None
    profile = answer.profile
    assert profile.sources_count > len(profile.mentions) == PROFILE_SOURCES
    counts = [m.count for m in profile.mentions]
    assert counts == sorted(counts, reverse=True)
    assert f"and {profile.unlisted_sources:,} more source" in render_text(answer)


def test_parallel_build_writes_the_same_bytes(tmp_path: Path) -> None:
    """Articles read in worker processes, numbered in order: same fact base as one process."""
    from bot.build.pipeline import PARALLEL_FROM, serialise

    root = generate(tmp_path / "corpus", PARALLEL_FROM + 2).root
    assert serialise(build(root, workers=2)) == serialise(build(root, workers=1))


def test_slowest_queries_are_listed_with_their_memory() -> None:
    from benchmarks.worker import slowest
    from tests.conftest import FACTBASE

    found = slowest(FACTBASE, 3)
    assert found["queries"] > 100 and len(found["slowest"]) == 3
    times = [row["ms"] for row in found["slowest"]]
    assert times == sorted(times, reverse=True)
