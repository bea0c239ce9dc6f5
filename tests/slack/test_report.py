"""The curator's report on a seeded log: exact counts, grouping of the same question, and
`python -m bot report` in its three formats."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest
from slackfakes import ROOT

from bot.core.knowledge import Knowledge
from bot.querylog import Store, open_store
from bot.querylog.report import Counted, Disliked, build, parse_since, topic_key
from bot.querylog.store import Vote

NOW = time.time()
HOUR = 3600.0


def _row(n: int, query: str, kind: str, grade: str, surface: str = "slash", **extra: object):
    return {
        "id": f"{n:032x}",
        "at": NOW - HOUR - n,
        "surface": surface,
        "user_key": f"user{n % 3}",
        "query": query,
        "kind": kind,
        "grade": grade,
        "actor": None,
        "passages": json.dumps([]),
        "latency_ms": 5.0,
        **extra,
    }


MONGOLIA = "what does Mongolia think of the CSTO?"


def seed(store: Store) -> None:
    rows = [
        _row(1, MONGOLIA, "not_found", "declined", "mention"),
        _row(2, MONGOLIA, "not_found", "declined", "dm"),
        _row(3, "what does mongolia think about the csto", "not_found", "declined", "dm"),
        _row(4, "/brief water disputes", "not_found", "not_directly"),
        _row(5, "water disputes", "not_found", "not_directly", "panel"),
        *[_row(n, "/actor Tokayev", "actor", "answered", actor="tokayev") for n in range(6, 10)],
        _row(10, "help", "help", "answered", "shortcut"),
        _row(11, "/brief csto", "brief", "answered", at=NOW - 30 * 86_400.0),  # too old
    ]
    votes = [
        Vote(f"{6:032x}", "user0", NOW - HOUR, "down"),
        Vote(f"{6:032x}", "user1", NOW - HOUR, "down", "It left out his 2022 speech"),
        Vote(f"{7:032x}", "user1", NOW - HOUR, "up"),
    ]
    store.write(rows, votes)


@pytest.fixture()
def run_dir(tmp_path: Path) -> Path:
    store = open_store(None, tmp_path)
    seed(store)
    store.engine.dispose()
    return tmp_path


def test_report_figures_on_a_seeded_log(
    database_url: str | None, tmp_path: Path, kb: Knowledge
) -> None:
    store = open_store(database_url, tmp_path)
    seed(store)
    report = build(store, kb, NOW - 7 * 86_400, NOW)
    assert report.questions == 10
    assert report.grades == {"answered": 5, "not_directly": 2, "declined": 3}
    assert report.surfaces == {"slash": 5, "dm": 2, "mention": 1, "panel": 1, "shortcut": 1}
    assert report.unanswered == [
        Counted(MONGOLIA, 3, "declined 3"),
        Counted("/brief water disputes", 2, "not directly 2"),
    ]
    assert report.disliked == [
        Disliked("/actor Tokayev", "actor", 2, ["It left out his 2022 speech"])
    ]
    assert (report.thumbs_up, report.thumbs_down) == (1, 2)
    assert report.topics == [
        Counted("/actor Tokayev", 4),
        Counted(MONGOLIA, 3),
        Counted("/brief water disputes", 2),
    ]
    assert report.actors == [
        Counted(kb.actors["tokayev"].name, 4),
        Counted(kb.actors["csto"].name, 3),
    ]
    assert report.unknown_names == [Counted("Mongolia", 2)]  # "mongolia" in lower case is no name
    unmatched = sorted(kb.fb.report.unmatched_names.items(), key=lambda i: -i[1])[:10]
    assert report.unmatched_names == [Counted(name, n) for name, n in unmatched]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/brief CSTO?", "what about the csto"),
        (
            "Why is a Central Asian alliance premature?",
            "central asian alliance: why so premature",
        ),
    ],
)
def test_the_same_question_groups_together(first: str, second: str) -> None:
    assert topic_key(first) == topic_key(second)


@pytest.mark.parametrize(
    ("text", "seconds"), [("7d", 604_800), ("24h", 86_400), ("30m", 1800), ("2w", 1_209_600)]
)
def test_since(text: str, seconds: int) -> None:
    assert parse_since(text) == seconds


def _report(run_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "report", *args],
        cwd=ROOT,
        env={**env, "RUN_DIR": str(run_dir)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_report_command_in_every_format(run_dir: Path, kb: Knowledge) -> None:
    done = _report(run_dir, "--since", "7d", "--format", "json")
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    expected = asdict(build(open_store(None, run_dir), kb, got["since"], got["until"]))
    assert got == expected
    rows = list(csv.reader(io.StringIO(_report(run_dir, "--format", "csv").stdout)))
    assert rows[0] == ["section", "label", "count", "detail"]
    assert ["unanswered", MONGOLIA, "3", "declined 3"] in rows
    assert ["disliked", "/actor Tokayev", "2", "It left out his 2022 speech"] in rows
    text = _report(run_dir).stdout
    assert "Questions: 10 (answered 5, not directly 2, declined 3)" in text
    assert "     2  Mongolia" in text
    assert "“It left out his 2022 speech”" in text


def test_report_rejects_a_bad_since(run_dir: Path) -> None:
    done = _report(run_dir, "--since", "yesterday")
    assert done.returncode == 2 and "--since" in done.stderr and "Traceback" not in done.stderr


def test_the_console_logs_its_questions(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        cwd=ROOT,
        env={**env, "RUN_DIR": str(tmp_path)},
        input="/actor tokayev\nwhat does Mongolia think?\n\nquit\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = open_store(None, tmp_path).queries_since(0)
    assert [(r["surface"], r["query"]) for r in rows] == [
        ("console", "/actor tokayev"),
        ("console", "what does Mongolia think?"),
    ]
    assert len({r["user_key"] for r in rows}) == 1
