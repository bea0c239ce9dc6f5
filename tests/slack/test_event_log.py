"""The EventLog interface: every store behind it claims an event id once, within a TTL, within a
size bound, and (for the shared store) once across processes, as gunicorn's workers need."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.slack.dedupe import EventLog, RecentEvents, SqliteEvents


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


Store = Callable[..., EventLog]


@pytest.fixture(params=["memory", "sqlite"])
def make(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A factory for each store, taking the same size, ttl and clock."""
    if request.param == "memory":
        return lambda **kw: RecentEvents(**kw)
    return lambda **kw: SqliteEvents(tmp_path / "run" / "events.sqlite3", **kw)


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


def test_the_store_stays_within_its_size(make: Store) -> None:
    clock = Clock()
    events = make(size=50, clock=clock)
    for i in range(2000):
        clock.now += 0.001
        events.seen(f"Ev{i}")
    prune = getattr(events, "prune", None)
    if prune is not None:
        prune()
    assert len(events) <= 50  # type: ignore[arg-type]
    assert events.seen("Ev1999") is True  # the newest are the ones kept


def test_two_handles_on_one_file_share_claims(tmp_path: Path) -> None:
    """Two workers open the same file: what one claimed, the other sees."""
    path = tmp_path / "events.sqlite3"
    first, second = SqliteEvents(path), SqliteEvents(path)
    assert first.seen("Ev1") is False
    assert second.seen("Ev1") is True
    assert second.seen("Ev2") is False and first.seen("Ev2") is True


def _claim_all(path: str, ids: list[str], out: multiprocessing.Queue[list[str]]) -> None:
    events = SqliteEvents(Path(path))
    out.put([i for i in ids if not events.seen(i)])


def test_processes_racing_for_the_same_ids_claim_each_exactly_once(tmp_path: Path) -> None:
    path = str(tmp_path / "events.sqlite3")
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
