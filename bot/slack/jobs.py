"""Durable answer jobs: recorded before Slack gets its acknowledgement, marked done once delivered.

Slack does not re-send a request it got a 2xx for, so an answer still owed when a worker is
killed would be lost. Each job is a row in the same SQLite file as the event log: the request
body, its kind, when it stops being deliverable (a response_url lives 30 minutes), and which
running worker owns it until when (its lease). A live worker renews the leases of everything
it owns every few seconds; a job whose lease has run out (its worker died, or handed it over
at shutdown) is claimed by the next worker that looks, atomically, so by exactly one.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.slack.store import SqliteFile

LIFETIME = 25 * 60.0  # seconds a job stays deliverable: inside a response_url's 30 minutes
LEASE = 10.0  # seconds a worker's claim lasts without renewal
KEEP_DONE = 3600.0  # seconds a finished job is kept (for the record), then pruned
SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, created REAL NOT NULL,
  expires REAL NOT NULL, owner TEXT, lease REAL NOT NULL, done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_open ON jobs (done, lease);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created);
"""
COLUMNS = "id, kind, body, created, expires, owner, lease, done"

Clock = Callable[[], float]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One answer owed: what kind of request it was and the request as Slack sent it."""

    id: str
    kind: str
    body: dict[str, Any]


class Jobs:
    """The job table, seen by one owner (a worker process, or one Socket Mode process)."""

    def __init__(self, path: Path | None, clock: Clock = time.time) -> None:
        """`path` None keeps the table in memory (tests and tools that need no durability)."""
        self._clock = clock
        self.owner = uuid.uuid4().hex[:12]
        self._mine: dict[str, tuple[Any, ...]] = {}  # open rows, to write back after damage
        self._lock = threading.Lock()
        # FULL: an acknowledged job must outlive the host, not only the worker.
        self._file = SqliteFile(path or Path(":memory:"), SCHEMA, self._salvage, "FULL")

    def add(self, kind: str, body: dict[str, Any]) -> Job:
        """Record a job owned by us; raises sqlite3.Error if it could not be recorded."""
        now = self._clock()
        job = Job(uuid.uuid4().hex, kind, body)
        row = (job.id, kind, json.dumps(body), now, now + LIFETIME, self.owner, now + LEASE, 0)
        with self._lock:
            self._mine[job.id] = row
        self._file.run(
            lambda db: db.execute(
                f"INSERT OR IGNORE INTO jobs ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?)", row
            )
        )
        return job

    def done(self, job: Job) -> None:
        with self._lock:
            self._mine.pop(job.id, None)
        self._file.run(lambda db: db.execute("UPDATE jobs SET done = 1 WHERE id = ?", (job.id,)))

    def renew(self) -> None:
        """Extend the lease on everything we own: we are alive."""
        now = self._clock()
        self._file.run(
            lambda db: db.execute(
                "UPDATE jobs SET lease = ? WHERE owner = ? AND done = 0", (now + LEASE, self.owner)
            )
        )

    def claim(self, limit: int = 100) -> list[Job]:
        """Take over up to `limit` open jobs whose owner is gone (lease run out, not expired)."""
        now = self._clock()

        def take(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
            db.execute(
                "DELETE FROM jobs WHERE (done = 1 OR expires <= ?) AND created <= ?",
                (now, now - KEEP_DONE),
            )
            rows: list[tuple[str, str, str]] = db.execute(
                "UPDATE jobs SET owner = ?, lease = ? WHERE id IN (SELECT id FROM jobs "
                "WHERE done = 0 AND lease <= ? AND expires > ? ORDER BY created LIMIT ?) "
                "RETURNING id, kind, body",
                (self.owner, now + LEASE, now, now, limit),
            ).fetchall()
            return rows

        jobs = [Job(id, kind, json.loads(body)) for id, kind, body in self._file.run(take)]
        with self._lock:
            for job in jobs:
                self._mine[job.id] = (
                    job.id, job.kind, json.dumps(job.body), now, now + LIFETIME,
                    self.owner, now + LEASE, 0,
                )  # fmt: skip
        return jobs

    def release(self) -> int:
        """Hand every open job we own to whichever worker looks next; how many there were."""
        with self._lock:
            self._mine.clear()
        count: int = self._file.run(
            lambda db: (
                db.execute(
                    "UPDATE jobs SET owner = NULL, lease = 0 WHERE owner = ? AND done = 0",
                    (self.owner,),
                ).rowcount
            )
        )
        return count

    def open_count(self) -> int:
        """Jobs not yet delivered nor expired, whoever owns them."""
        count: int = self._file.run(
            lambda db: db.execute(
                "SELECT count(*) FROM jobs WHERE done = 0 AND expires > ?", (self._clock(),)
            ).fetchone()[0]
        )
        return count

    def close(self) -> None:
        self._file.close()

    def _salvage(self, old: sqlite3.Connection | None, new: sqlite3.Connection) -> None:
        """Carry open jobs into a fresh file: all we can read, else the ones we own."""
        if old is not None:
            rows = old.execute(f"SELECT {COLUMNS} FROM jobs WHERE done = 0").fetchall()
        else:
            with self._lock:
                rows = list(self._mine.values())
        new.executemany(f"INSERT OR IGNORE INTO jobs ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?)", rows)
