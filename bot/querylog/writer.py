"""QueryLog: what listeners call. Writing happens on a background thread, in batches.

An answer never waits for the log: `record` and `vote` only queue a row. A write that fails
(database down, disk full) is logged and counted and its rows dropped; so is a row that finds
the queue full. The same thread deletes rows older than the retention, once an hour.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc as sa_exc

from bot.models import Answer
from bot.querylog.grade import grade, passage_ids
from bot.querylog.keys import user_key
from bot.querylog.store import Store, Vote

CAPACITY = 10_000  # rows waiting to be written; beyond this they are dropped (and counted)
BATCH = 500
GATHER = 0.5  # seconds a batch waits for more rows after its first
PURGE_EVERY = 3600.0  # seconds
DAY = 86_400.0
QUERY_CHARS = 4000

# A person mentioned in a question ("what did <@U0123|ann> say?"): not kept in clear either.
_USER = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")

Clock = Callable[[], float]
log = logging.getLogger(__name__)


@dataclass
class Counts:
    written: int = 0
    failed: int = 0  # rows lost to a failed write
    dropped: int = 0  # rows refused because the queue was full
    purged: int = 0


class QueryLog:
    """The log of questions answered and votes given, for one process."""

    def __init__(
        self,
        store: Store,
        secret: bytes,
        retention_days: float = 90,
        clock: Clock = time.time,
        capacity: int = CAPACITY,
    ) -> None:
        self.store, self._secret = store, secret
        self._retention = retention_days * DAY
        self._clock = clock
        self._queue: queue.Queue[dict[str, Any] | Vote | None] = queue.Queue(capacity)
        self.counts = Counts()
        self._last_purge = 0.0
        self._flushing = threading.Event()  # set while someone waits for the queue to empty
        self._thread = threading.Thread(target=self._run, name="c5-querylog", daemon=True)
        self._thread.start()

    @staticmethod
    def new_id() -> str:
        """An answer's id, made before it is sent, so its feedback buttons can carry it."""
        return uuid.uuid4().hex

    def user_key(self, team: str | None, user: str | None) -> str:
        return user_key(self._secret, team, user)

    def record(
        self,
        query_id: str,
        surface: str,
        user_key: str,
        query: str,
        answer: Answer,
        latency_ms: float,
        shown: Sequence[str] | None = None,
    ) -> None:
        """Queue one answered question. `shown`: the keys of the passages on the page the user
        saw, as rendering found them (default: all of the answer's)."""
        self._put(
            {
                "id": query_id,
                "at": self._clock(),
                "surface": surface,
                "user_key": user_key,
                "query": _USER.sub("<@user>", query)[:QUERY_CHARS],
                "kind": answer.kind,
                "grade": grade(answer),
                "actor": answer.actor.id if answer.actor is not None else None,
                "passages": list(shown) if shown is not None else passage_ids(answer),
                "latency_ms": round(latency_ms, 3),
            }
        )

    def vote(
        self, query_id: str, user_key: str, vote: str | None, comment: str | None = None
    ) -> None:
        """Queue a 👍/👎 (or the comment given after a 👎); a later vote replaces an earlier."""
        self._put(Vote(query_id, user_key, self._clock(), vote, comment))

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait (bounded) until every queued row is written or given up; True if it was."""
        deadline = time.monotonic() + timeout
        self._flushing.set()
        try:
            while self._queue.unfinished_tasks and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            self._flushing.clear()
        return not self._queue.unfinished_tasks

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the thread; log what this process wrote and lost."""
        self.flush(timeout)
        try:
            self._queue.put(None, timeout=1)
        except queue.Full:
            pass
        else:
            self._thread.join(timeout)
        counts = self.counts
        if counts.failed or counts.dropped:
            log.warning(
                "query log: %d rows written, %d lost to failed writes, %d dropped (queue full)",
                counts.written,
                counts.failed,
                counts.dropped,
            )

    def _put(self, item: dict[str, Any] | Vote) -> None:
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            self.counts.dropped += 1
            if self.counts.dropped % 1000 == 1:
                log.warning("query log: queue full; %d rows dropped so far", self.counts.dropped)

    def _run(self) -> None:
        while True:
            batch = self._collect()
            try:
                items = [i for i in batch if i is not None]
                if items:
                    self._write(items)
                self._purge()
            finally:
                for _ in batch:
                    self._queue.task_done()
            if None in batch:
                return

    def _collect(self) -> list[dict[str, Any] | Vote | None]:
        """The next batch: the first row, then whatever else arrived within GATHER seconds (or
        until someone flushes), up to BATCH. The thread wakes twice a second under load, not
        once per answer, so it seldom competes with listeners for the interpreter."""
        batch = [self._queue.get()]
        if batch[0] is not None:
            self._flushing.wait(GATHER)
        while len(batch) < BATCH and batch[-1] is not None:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _write(self, items: list[dict[str, Any] | Vote]) -> None:
        rows = [_resolved(i) for i in items if isinstance(i, dict)]
        votes = [i for i in items if isinstance(i, Vote)]
        try:
            self.store.write(rows, votes)
            self.counts.written += len(items)
        except (sa_exc.IntegrityError, sa_exc.DataError) as error:
            if len(items) > 1:  # one bad row (a value too long, say) must not lose the batch
                for item in items:
                    self._write([item])
                return
            self._lost(items, error)
        except Exception as error:  # any failure of the store: the answers are already sent
            self._lost(items, error)

    def _lost(self, items: list[dict[str, Any] | Vote], error: Exception) -> None:
        """Count and log rows given up; the error's first line only (never the values)."""
        self.counts.failed += len(items)
        log.warning(
            "query log: write failed (%s: %s); %d rows lost, %d in all",
            type(error).__name__,
            str(error).split("\n")[0][:200],
            len(items),
            self.counts.failed,
        )

    def _purge(self) -> None:
        now = self._clock()
        if now - self._last_purge < PURGE_EVERY:
            return
        self._last_purge = now
        try:
            self.counts.purged += self.store.purge(now - self._retention)
        except Exception as error:  # retried at the next hour
            log.warning("query log: purge failed (%s)", type(error).__name__)


def _resolved(row: dict[str, Any]) -> dict[str, Any]:
    """The row as stored: its passages as JSON."""
    return {**row, "passages": json.dumps(row["passages"])}
