"""The query log's store on both engines: migrations from empty to head, rows written and read
back, votes and comments, the retention purge, and a failing store that loses rows, not answers."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.models import Answer
from bot.querylog import QueryLog, Store, grade, open_store
from bot.querylog.keys import load_secret, user_key
from bot.querylog.store import engine_for, migrate, revision_of, url_for
from bot.settings import Settings, curators_of, secrets_of

DAY = 86_400.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def store(database_url: str | None, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(database_url, tmp_path / "run")
    yield opened
    opened.engine.dispose()


def _answer(kb: Knowledge, query: str) -> Answer:
    return answer(kb, query)


def test_migrations_take_an_empty_database_to_head(
    database_url: str | None, tmp_path: Path
) -> None:
    engine = engine_for(url_for(database_url, tmp_path))
    assert revision_of(engine) is None
    migrate(engine)
    assert revision_of(engine) == "0001"
    migrate(engine)  # a second start finds it current
    assert revision_of(engine) == "0001"
    tables = set(sa.inspect(engine).get_table_names())
    assert {"queries", "feedback", "alembic_version"} <= tables
    engine.dispose()


def test_rows_and_votes_round_trip(store: Store, kb: Knowledge) -> None:
    clock = Clock()
    log = QueryLog(store, b"secret", clock=clock)
    found = _answer(kb, "/brief csto")
    declined = _answer(kb, "what is the capital of Mongolia?")
    log.record("a" * 32, "slash", "k1", "/brief csto", found, 12.5)
    log.record("b" * 32, "dm", "k2", "what is the capital of Mongolia?", declined, 3.0)
    log.vote("a" * 32, "k1", "up")
    log.vote("b" * 32, "k2", "up")
    log.vote("b" * 32, "k2", "down")  # a later vote replaces the earlier
    log.vote("b" * 32, "k2", None, comment="Mongolia is not covered")
    assert log.flush()
    rows = store.queries_since(0)
    assert [(r["surface"], r["grade"], r["latency_ms"]) for r in rows] == [
        ("slash", "answered", 12.5),
        ("dm", grade(declined), 3.0),
    ]
    assert rows[0]["passages"] == [f"{p.source}:{p.start}-{p.end}" for p in found.passages]
    votes = {v["query_id"]: v for v in store.feedback_since(0)}
    assert votes["a" * 32]["vote"] == "up" and votes["a" * 32]["kind"] == found.kind
    assert votes["b" * 32]["vote"] == "down"
    assert votes["b" * 32]["comment"] == "Mongolia is not covered"
    assert votes["b" * 32]["query"] == "what is the capital of Mongolia?"
    assert log.counts.written == 6 and log.counts.failed == 0
    log.close()


def test_rows_older_than_the_retention_are_purged(store: Store, kb: Knowledge) -> None:
    clock = Clock()
    old = QueryLog(store, b"s", retention_days=90, clock=clock)
    result = _answer(kb, "csto")
    old.record("1" * 32, "mention", "k", "csto", result, 1.0)
    old.vote("1" * 32, "k", "down")
    assert old.flush()
    old.close()
    clock.now += 89 * DAY
    QueryLog(store, b"s", retention_days=90, clock=clock).close()  # purges at start: kept
    assert store.count() == (1, 1)
    clock.now += 2 * DAY
    young = QueryLog(store, b"s", retention_days=90, clock=clock)
    young.record("2" * 32, "mention", "k", "csto", result, 1.0)
    young.close()
    assert store.count() == (1, 0)
    assert [r["id"] for r in store.queries_since(0)] == ["2" * 32]


def test_a_failing_store_counts_and_logs_lost_rows(
    tmp_path: Path, kb: Knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(None, tmp_path)
    store.engine.dispose()
    (tmp_path / "querylog.sqlite3").unlink()
    (tmp_path / "querylog.sqlite3").mkdir()  # a directory where the file was: every write fails
    log = QueryLog(store, b"s")
    with caplog.at_level(logging.WARNING, logger="bot.querylog.writer"):
        log.record("c" * 32, "slash", "k", "csto", _answer(kb, "csto"), 1.0)
        assert log.flush()
        log.close()
    assert log.counts.failed == 1 and log.counts.written == 0
    assert "query log: write failed" in caplog.text
    assert "0 rows written, 1 lost to failed writes, 0 dropped" in caplog.text  # at exit


def test_user_keys_are_keyed_hashes_never_the_id(tmp_path: Path) -> None:
    secret = load_secret(tmp_path, None)
    assert load_secret(tmp_path, None) == secret  # kept under RUN_DIR
    assert (tmp_path / "querylog.key").stat().st_mode & 0o777 == 0o600
    key = user_key(secret, "T1", "UANALYST1")
    assert key == user_key(secret, "T1", "UANALYST1") and len(key) == 32
    assert "UANALYST1" not in key
    assert key != user_key(secret, "T1", "UANALYST2")
    assert key != user_key(b"another", "T1", "UANALYST1")
    assert load_secret(tmp_path, "set-by-hand") == b"set-by-hand"


def test_people_mentioned_in_a_question_are_not_kept(tmp_path: Path, kb: Knowledge) -> None:
    store = open_store(None, tmp_path)
    log = QueryLog(store, b"s")
    query = "what did <@U0123ABCD> and <@W99|bob> say about the CSTO?"
    log.record("d" * 32, "mention", "k", query, _answer(kb, query), 1.0)
    log.close()
    [row] = store.queries_since(0)
    assert row["query"] == "what did <@user> and <@user> say about the CSTO?"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (None, "sqlite:///RUN/querylog.sqlite3"),
        ("", "sqlite:///RUN/querylog.sqlite3"),
        ("postgres://u:p@db:5432/c5", "postgresql+psycopg://u:p@db:5432/c5"),
        ("postgresql://u@db/c5?sslmode=require", "postgresql+psycopg://u@db/c5?sslmode=require"),
        ("postgresql+psycopg://u@db/c5", "postgresql+psycopg://u@db/c5"),
    ],
)
def test_database_urls(given: str | None, used: str) -> None:
    assert url_for(given, Path("RUN")) == used


def test_store_urls_and_their_passwords_are_secrets() -> None:
    settings = Settings(
        database_url="postgresql://c5:pg-pass-1@db.example/c5",
        redis_url="rediss://:redis-pass-2@cache.example:6380/0",
        query_log_secret="hash-secret-3",
        curators="U1, U2,U3",
    )
    found = secrets_of(settings)
    for secret in ("pg-pass-1", "redis-pass-2", "hash-secret-3"):
        assert secret in found
    assert "postgresql://c5:pg-pass-1@db.example/c5" in found
    assert curators_of(settings) == {"U1", "U2", "U3"}
    assert Settings(database_url="", redis_url=" ").database_url is None


def _secret_in(run_dir: str, out: multiprocessing.Queue[bytes]) -> None:
    out.put(load_secret(Path(run_dir), None))


def test_processes_starting_together_share_one_generated_secret(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    out: multiprocessing.Queue[bytes] = context.Queue()
    workers = [context.Process(target=_secret_in, args=(str(tmp_path), out)) for _ in range(6)]
    for worker in workers:
        worker.start()
    found = {out.get(timeout=30) for _ in workers}
    for worker in workers:
        worker.join(timeout=30)
    assert len(found) == 1 and len(found.pop()) == 64
    assert [p.name for p in tmp_path.iterdir()] == ["querylog.key"]  # nothing left aside


def test_one_bad_row_loses_only_itself(store: Store, kb: Knowledge) -> None:
    """A row the database refuses (here: an id already taken) is dropped alone; the rest of
    its batch is written."""
    log = QueryLog(store, b"s")
    result = _answer(kb, "csto")
    for n in (1, 2, 1, 3):  # the second "1" is refused
        log.record(f"{n:032x}", "dm", "k", "csto", result, 1.0)
    log.vote(f"{2:032x}", "k", "up")
    log.close()
    assert sorted(r["id"] for r in store.queries_since(0)) == [f"{n:032x}" for n in (1, 2, 3)]
    assert store.count() == (3, 1)
    assert (log.counts.written, log.counts.failed) == (4, 1)
