"""`python -m bot …` as a user or a script runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[..., subprocess.CompletedProcess[str]]

CONTRACT_KEYS = ["kind", "query", "actor", "passages", "suggestions"]
KINDS = {"brief", "actor", "quote", "timeline", "sources", "help", "not_found"}


def _check_contract(obj: dict[str, Any]) -> None:
    assert list(obj)[:5] == CONTRACT_KEYS
    assert obj["kind"] in KINDS
    assert isinstance(obj["query"], str)
    actor = obj["actor"]
    if actor is not None:
        assert {"id", "name", "kind", "aliases"} <= set(actor)
        assert all(isinstance(actor[k], str) for k in ("id", "name", "kind"))
        assert isinstance(actor["aliases"], list)
        assert all(isinstance(a, str) for a in actor["aliases"])
    assert isinstance(obj["passages"], list)
    for p in obj["passages"]:
        assert isinstance(p["source"], str) and p["source"].endswith(".txt")
        assert isinstance(p["start"], int) and isinstance(p["end"], int)
        assert p["end"] - p["start"] == len(p["text"])
        assert isinstance(p["text"], str) and p["text"]
        assert isinstance(p["url"], str) and p["url"].startswith("https://")
        assert p["speaker"] is None or isinstance(p["speaker"], str)
    assert isinstance(obj["suggestions"], list)
    assert all(isinstance(s, str) for s in obj["suggestions"])


@pytest.mark.parametrize(
    ("query", "kind", "actor"),
    [
        ("who is putin", "actor", "putin"),
        ("/quote toga", "quote", None),
        ("what did the Pope say?", "not_found", None),
    ],
)
def test_ask_json_matches_the_contract(
    run_cli: RunCli, seed_texts: dict[str, str], query: str, kind: str, actor: str | None
) -> None:
    done = run_cli("ask", "--json", query)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    _check_contract(obj)
    assert obj["kind"] == kind
    assert (obj["actor"] or {}).get("id") == actor
    for p in obj["passages"]:
        assert seed_texts[p["source"]][p["start"] : p["end"]] == p["text"]


def test_ask_json_reads_stdin_line_by_line(run_cli: RunCli) -> None:
    queries = ["who is putin", "/quote toga", "brief me", "football", "/timeline csto"]
    done = run_cli("ask", "--json", stdin="".join(q + "\n" for q in queries))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(queries)
    objs = [json.loads(line) for line in lines]
    for obj in objs:
        _check_contract(obj)
    assert [o["query"] for o in objs] == ["who is putin", "toga", "brief me", "football", "csto"]
    assert [o["kind"] for o in objs] == ["actor", "quote", "brief", "not_found", "timeline"]


def test_ask_text_is_readable_and_cites(run_cli: RunCli) -> None:
    done = run_cli("ask", "tell me who Fuad Shahbazov is")
    assert done.returncode == 0, done.stderr
    assert "Fuad Shahbazov" in done.stdout
    assert "Kazakhstan calls for a defense bloc without Russia in Central Asia" in done.stdout
    assert "Baku-based political analyst" in done.stdout
    assert not done.stdout.lstrip().startswith("{")


def test_ask_without_query_or_json_fails_cleanly(run_cli: RunCli) -> None:
    done = run_cli("ask")
    assert done.returncode == 2
    assert "--json" in done.stderr


def _case(
    cid: str, query: str, kind: str, actor: str | None, evidence: list[tuple[str, str]]
) -> str:
    return json.dumps(
        {
            "id": cid,
            "query": query,
            "kind": kind,
            "actor": actor,
            "evidence": [{"seed": s, "text": t} for s, t in evidence],
            "answerable": bool(evidence),
        }
    )


def test_eval_prints_the_score_table(run_cli: RunCli, tmp_path: Path) -> None:
    cases = [
        _case(
            "t1",
            "what did Shahbazov say about Kazakhstan?",
            "quote",
            "shahbazov",
            [("004_3b8bc09f36a11ea2.txt", "is more energy and logistics")],
        ),
        _case(
            "t2",
            "/actor Keosayan",
            "actor",
            "keosayan",
            [("003_bb05ab6d8224b6d9.txt", "TV host Tigran Keosayan warned the Kazakhs")],
        ),
        _case(
            "t3",
            "when did Russia invade Ukraine?",
            "timeline",
            None,
            [("002_3339d7c86b7f98c3.txt", "Since February 24, 2022, the date Russia invaded")],
        ),
        _case("t4", "who won the World Cup", "not_found", None, []),
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(cases) + "\n", encoding="utf-8")
    done = run_cli("eval", str(path))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "hit@1" in out and "c5brief" in out
    assert "4 cases: 3 answerable, 1 unanswerable" in out
    ours = next(line for line in out.splitlines() if line.startswith("c5brief"))
    assert ours.split()[1] == "1.000", ours  # hit@1 on these easy cases
    assert ours.split()[-1] == "1/1", ours  # the World Cup question is declined

    only = run_cli("eval", str(path), "--only", "t1,t4", "--no-baseline")
    assert only.returncode == 0, only.stderr
    assert "2 cases: 1 answerable, 1 unanswerable" in only.stdout


def test_console_answers_then_quits(run_cli: RunCli) -> None:
    done = run_cli("console", stdin="who is putin\nquit\n")
    assert done.returncode == 0, done.stderr
    assert "Vladimir Putin" in done.stdout
    assert "President of Russia" in done.stdout


def test_console_leaves_on_end_of_input(run_cli: RunCli) -> None:
    done = run_cli("console", stdin="/quote keosayan\n")
    assert done.returncode == 0, done.stderr
    assert "Look carefully at what is happening in Ukraine" in done.stdout


def test_run_without_slack_settings_is_the_console() -> None:
    """The README's run command (`make run` is `python -m bot run`) with no Slack settings.

    Blank values stand for "unset" and keep a developer's .env from filling them in."""
    blank = {name: "" for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, **blank},
        input="/actor tokaev\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "console" in done.stdout and "Kassym-Jomart Tokayev" in done.stdout


def test_ask_prints_the_graded_state_before_the_nearest(run_cli: RunCli) -> None:
    done = run_cli("ask", "what did kirsanov say about the economy of japan")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Not directly answered"
    first_passage = next(i for i, line in enumerate(lines) if line.startswith("1. "))
    assert any("not on" in line for line in lines[:first_passage])
