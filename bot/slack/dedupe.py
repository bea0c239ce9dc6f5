"""Answer each Events API delivery once, even when Slack retries it (X-Slack-Retry-Num).

Slack re-sends an event it got no 2xx for within 3 seconds (at once, then after about 1 and
5 minutes), with the same `event_id`. The first delivery claims the id; every later one gets
200 and no second answer. gunicorn runs several worker processes, so the claim must be shared
between them: `SqliteEvents` keeps it in a file every process on the host opens. Several hosts
need a store they all reach (Redis `SET id 1 NX EX ttl`, or a Postgres table with a primary
key and `INSERT ... ON CONFLICT DO NOTHING`) behind the same `EventLog` interface.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from slack_bolt import BoltResponse

from bot.slack.store import Journal, SqliteFile

TTL = 3600.0  # seconds: longer than Slack's last retry (about 5 minutes after the first try)
SIZE = 100_000  # ids: far more than an hour of events for one workspace
PRUNE_EVERY = 256  # claims between clean-ups of the shared store

Clock = Callable[[], float]
SCHEMA = """
CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
"""
log = logging.getLogger(__name__)


class EventLog(Protocol):
    """Remembers event ids for a while; any store with an atomic "claim if new" fits here."""

    def seen(self, event_id: str) -> bool:
        """True when `event_id` was claimed within the TTL; otherwise claim it, return False."""
        ...


class RecentEvents:
    """Event ids in this process's memory: enough for Socket Mode, which is one process."""

    def __init__(self, size: int = SIZE, ttl: float = TTL, clock: Clock = time.monotonic) -> None:
        self._size, self._ttl, self._clock = size, ttl, clock
        self._ids: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def seen(self, event_id: str) -> bool:
        now = self._clock()
        with self._lock:
            while self._ids and next(iter(self._ids.values())) <= now - self._ttl:
                self._ids.popitem(last=False)
            if event_id in self._ids:
                return True
            self._ids[event_id] = now
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return False

    def __len__(self) -> int:
        return len(self._ids)

    def items(self) -> list[tuple[str, float]]:
        """(id, claimed at) for every id remembered."""
        with self._lock:
            return list(self._ids.items())


class SqliteEvents:
    """Event ids in a SQLite file shared by every worker process on this host.

    The claim is one atomic upsert, so two processes given the same id at the same moment
    cannot both win. Open it after gunicorn forks: a connection must not cross a fork.
    """

    def __init__(
        self, path: Path, size: int = SIZE, ttl: float = TTL, clock: Clock = time.time
    ) -> None:
        self._size, self._ttl, self._clock = size, ttl, clock
        # What this handle claimed, to write back if the file is damaged or deleted under us.
        self._mine = RecentEvents(size, ttl, clock)
        self._journal = Journal(path.with_name(path.name + ".claims"))
        self._file = SqliteFile(path, SCHEMA, self._salvage)
        self._lock = threading.Lock()
        self._claims = 0

    def seen(self, event_id: str) -> bool:
        now = self._clock()
        with self._lock:
            try:
                changed = self._file.run(lambda db: self._claim(db, event_id, now))
            except sqlite3.Error as error:
                # Better a rare double answer than a dropped question.
                log.warning("event log unavailable (%s); answering event anyway", error)
                return False
        if changed:
            self._mine.seen(event_id)
            self._journal.append(event_id, now)
        return changed == 0

    def _claim(self, db: sqlite3.Connection, event_id: str, now: float) -> int:
        changed: int = db.execute(
            "INSERT INTO events (id, at) VALUES (?, ?) ON CONFLICT (id) "
            "DO UPDATE SET at = excluded.at WHERE events.at <= ?",
            (event_id, now, now - self._ttl),
        ).rowcount
        self._claims += 1
        if self._claims % PRUNE_EVERY == 0:
            self._prune(db, now)
        return changed

    def _salvage(self, old: sqlite3.Connection | None, new: sqlite3.Connection) -> None:
        """Carry every id still readable into a new file: from the old file, else from the
        journal of claims and what this handle claimed."""
        if old is not None:
            rows = old.execute("SELECT id, at FROM events").fetchall()
        else:
            rows = [*self._journal.read(self._clock() - self._ttl), *self._mine.items()]
        new.executemany("INSERT OR IGNORE INTO events (id, at) VALUES (?, ?)", rows)

    def prune(self) -> None:
        """Forget ids older than the TTL and all but the newest `size`."""
        with self._lock:
            self._file.run(lambda db: self._prune(db, self._clock()))

    def _prune(self, db: sqlite3.Connection, now: float) -> None:
        db.execute("DELETE FROM events WHERE at <= ?", (now - self._ttl,))
        db.execute(
            "DELETE FROM events WHERE id IN "
            "(SELECT id FROM events ORDER BY at DESC LIMIT -1 OFFSET ?)",
            (self._size,),
        )

    def __len__(self) -> int:
        with self._lock:
            count: int = self._file.run(
                lambda db: db.execute("SELECT count(*) FROM events").fetchone()[0]
            )
        return count

    def close(self) -> None:
        with self._lock:
            self._file.close()
            self._journal.close()


def once(events: EventLog) -> Callable[[dict[str, Any], Callable[[], None]], BoltResponse | None]:
    """A global middleware: a repeated event_id gets 200 and no second answer."""

    def answer_once(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id")
        if isinstance(event_id, str) and events.seen(event_id):
            return BoltResponse(status=200, body="")
        next()
        return None

    return answer_once
