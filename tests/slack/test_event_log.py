"""The EventLog interface: every store behind it claims an event id once, within a TTL, within a
size bound, and (for the shared store) once across processes, as gunicorn's workers need."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import realstores

from bot.slack.dedupe import EventLog, RecentEvents, SqliteEvents
from bot.slack.dedupe_redis import RedisEvents


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


Store = Callable[..., EventLog]


def _factory(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if kind == "memory":
        return lambda **kw: RecentEvents(**kw)
    if kind == "redis":
        url = request.getfixturevalue("redis_url")
        prefix = f"test:{uuid.uuid4().hex}:"
        return lambda **kw: RedisEvents(url, prefix=prefix, **kw)
    return lambda **kw: SqliteEvents(tmp_path / "run" / "events.sqlite3", **kw)


@pytest.fixture(params=["memory", "sqlite", "redis"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A factory for each store, taking the same size, ttl and clock (Redis: a real server,
    each test under its own key prefix)."""
    return _factory(request.param, request, tmp_path)


@pytest.fixture(params=["memory", "sqlite"])
def counted(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """The stores bounded by a count; Redis is bounded by its TTL (keys expire), tested below."""
    return _factory(request.param, request, tmp_path)


def test_first_delivery_is_new_and_every_retry_is_seen(make: Store) -> None:
    events = make()
    assert events.seen("Ev1") is False
    assert [events.seen("Ev1") for _ in range(3)] == [True, True, True]
    assert events.seen("Ev2") is False


def test_an_id_is_forgotten_after_the_ttl(make: Store) -> None:
    clock = Clock()
    events = make(ttl=600, clock=clock)
    assert events.seen("Ev1") is False
    clock.now += 599
    assert events.seen("Ev1") is True
    clock.now += 600
    assert events.seen("Ev1") is False  # a new claim, remembered afresh
    assert events.seen("Ev1") is True


def test_the_store_stays_within_its_size(counted: Store) -> None:
    clock = Clock()
    events = counted(size=50, clock=clock)
    for i in range(2000):
        clock.now += 0.001
        events.seen(f"Ev{i}")
    prune = getattr(events, "prune", None)
    if prune is not None:
        prune()
    assert len(events) <= 50  # type: ignore[arg-type]
    assert events.seen("Ev1999") is True  # the newest are the ones kept


@pytest.fixture(params=["sqlite", "redis"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where processes or hosts share claims: a SQLite file, or a Redis URL."""
    if request.param == "redis":
        url: str = request.getfixturevalue("redis_url")
        return f"{url}#{uuid.uuid4().hex}"  # the fragment: a key prefix of this test's own
    return str(tmp_path / "events.sqlite3")


def _open(where: str) -> SqliteEvents | RedisEvents:
    if where.startswith("redis://"):
        url, prefix = where.split("#")
        return RedisEvents(url, prefix=prefix + ":")
    return SqliteEvents(Path(where))


def test_two_handles_on_one_store_share_claims(shared: str) -> None:
    """Two workers (or hosts) open the same store: what one claimed, the other sees."""
    first, second = _open(shared), _open(shared)
    assert first.seen("Ev1") is False
    assert second.seen("Ev1") is True
    assert second.seen("Ev2") is False and first.seen("Ev2") is True


def _claim_all(where: str, ids: list[str], out: multiprocessing.Queue[list[str]]) -> None:
    events = _open(where)
    out.put([i for i in ids if not events.seen(i)])


def test_processes_racing_for_the_same_ids_claim_each_exactly_once(shared: str) -> None:
    path = shared
    ids = [f"Ev{i}" for i in range(300)]
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[list[str]] = context.Queue()
    workers = [
        context.Process(target=_claim_all, args=(path, ids[::step], out)) for step in (1, 1, 1, 2)
    ]
    for worker in workers:
        worker.start()
    claimed = [i for _ in workers for i in out.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(claimed) == sorted(ids)


def test_an_unwritable_store_answers_rather_than_drops(tmp_path: Path) -> None:
    events = SqliteEvents(tmp_path / "events.sqlite3")
    events.close()
    assert events.seen("Ev1") is False


def test_redis_forgets_an_id_when_its_key_expires(redis_url: str) -> None:
    """Redis's own expiry (EX) bounds the store: with a one-second TTL the key is gone after it."""
    events = RedisEvents(redis_url, ttl=1, prefix=f"test:{uuid.uuid4().hex}:")
    assert events.seen("Ev1") is False
    assert len(events) == 1
    deadline = time.monotonic() + 5
    while len(events) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(events) == 0
    assert events.seen("Ev1") is False


def test_an_unreachable_redis_answers_rather_than_drops() -> None:
    events = RedisEvents(f"redis://127.0.0.1:{realstores.free_port()}/0")
    assert events.seen("Ev1") is False
    assert events.seen("Ev1") is False
