"""One SQLite file under RUN_DIR that survives being damaged or deleted while we serve.

The event log and the job store live in the same file, opened by every gunicorn worker. A
file that is deleted (say `.run/` removed by hand) would otherwise leave old workers on the
deleted copy and new ones on a fresh file, two logs that no longer agree; a file whose bytes
are damaged would fail every statement. So before each use the file is checked (one stat:
same inode as the one we hold?) and a damaged or missing file is put aside and made again,
rows we can still read carried over, keeping the service up. Each problem is logged once.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
# Carry rows over from the copy we held (None when it cannot be read) into the fresh file.
Salvage = Callable[[sqlite3.Connection | None, sqlite3.Connection], None]
DAMAGED = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})

log = logging.getLogger(__name__)


class StoreError(Exception):
    """The store cannot be opened at all (the directory is not writable): a start-up fault."""


class SqliteFile:
    """A connection to `path` that reopens itself when the file is replaced, removed or damaged.

    Open it after gunicorn forks: a connection must not cross a fork.
    """

    def __init__(
        self, path: Path, schema: str, salvage: Salvage | None = None, synchronous: str = "NORMAL"
    ) -> None:
        """`synchronous` FULL makes each commit survive the host losing power (an fsync of the
        WAL per commit); NORMAL, a crash of the process only."""
        self.path, self._schema, self._salvage = path, schema, salvage
        self._synchronous = {"FULL": "FULL", "NORMAL": "NORMAL"}[synchronous]
        self._lock = threading.RLock()
        self._closed = False
        self._memory = str(path) == ":memory:"  # no file to watch
        self._db, self._inode = self._open()

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(connection)` under this handle's lock, after making sure the file is ours."""
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("store closed")
            if not self._memory:
                self._follow()
            try:
                return work(self._db)
            except sqlite3.DatabaseError as error:
                if getattr(error, "sqlite_errorcode", None) not in DAMAGED:
                    raise
                self._recover(f"damaged ({error})", readable=False)
                return work(self._db)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._db.close()

    def _follow(self) -> None:
        """Reopen when the path no longer names the file we hold (deleted, or made again)."""
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            self._recover("deleted", readable=True)
            return
        if inode != self._inode:
            # Under the lock, so a file another process is still filling (carrying rows over
            # after damage) is not used before it is whole.
            with _exclusive(self.path):
                self._reopen(readable=True, why=None)

    def _recover(self, why: str, readable: bool) -> None:
        """Put a damaged file aside (one process does it, under a file lock) and reopen."""
        with _exclusive(self.path):
            current = _inode(self.path)
            if current is not None and current == self._inode and not readable:
                aside = _put_aside(self.path)
                log.warning(
                    "event log %s was %s: put aside as %s and made again; still serving",
                    self.path,
                    why,
                    aside.name,
                )
            elif current is None:
                log.warning("event log %s was %s: made again; still serving", self.path, why)
            self._reopen(readable=readable, why=why)

    def _reopen(self, readable: bool, why: str | None) -> None:
        """Open the file the path names now and carry rows over; the caller holds the lock."""
        old = self._db
        self._db, self._inode = self._open(locked=True)
        if self._salvage is not None:
            try:
                self._salvage(old if readable else None, self._db)
            except sqlite3.Error as error:
                if why is None:  # another process replaced a damaged file: nothing to read
                    with suppress(sqlite3.Error):
                        self._salvage(None, self._db)
                else:
                    log.warning("event log: nothing carried over from the old file (%s)", error)
                    self._salvage(None, self._db)
        with suppress(sqlite3.Error):
            old.close()

    def _open(self, locked: bool = False) -> tuple[sqlite3.Connection, int]:
        """Connect; a file damaged before we ever held it is put aside and made again, with
        what can be carried over (the caller may hold the lock already: flock is per open
        file, so taking it twice in one process would wait forever)."""
        if self._memory:
            db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            db.executescript(self._schema)
            return db, 0
        try:
            run_dir(self.path.parent)
            opened = _inode(self.path)
            db = sqlite3.connect(
                self.path, timeout=5.0, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={self._synchronous}")
            db.executescript(self._schema)
            return db, os.stat(self.path).st_ino
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorcode", None) not in DAMAGED:
                raise StoreError(f"{self.path}: {error}") from error
            if locked:
                return self._afresh(opened, error)
            with _exclusive(self.path):
                return self._afresh(opened, error)
        except OSError as error:
            raise StoreError(f"{self.path}: {error}") from error

    def _afresh(self, damaged: int | None, error: Exception) -> tuple[sqlite3.Connection, int]:
        """Put the damaged file aside (unless another process already has) and start a new
        one with what can be carried over; the caller holds the lock."""
        if _inode(self.path) == damaged:
            aside = _put_aside(self.path)
            log.warning(
                "event log %s was damaged (%s): put aside as %s and made again",
                self.path,
                error,
                aside.name,
            )
        db, inode = self._open(locked=True)
        if self._salvage is not None:
            with suppress(sqlite3.Error):
                self._salvage(None, db)
        return db, inode


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _put_aside(path: Path) -> Path:
    """Rename the file and its WAL companions (a fresh file must not replay an old WAL)."""
    aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
    for suffix in ("", "-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    return aside


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """A lock shared by every process on this host, held while a file is put aside."""
    run_dir(path.parent)
    with open(f"{path}.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def run_dir(path: Path) -> None:
    """Create the run directory; it ignores itself in git, as .pytest_cache does."""
    path.mkdir(parents=True, exist_ok=True)
    ignore = path / ".gitignore"
    if not ignore.exists():
        with suppress(OSError):
            ignore.write_text("# created by C5 Brief: runtime state, never committed\n*\n")


class Journal:
    """An append-only text copy of recent claims beside the SQLite file: if the file's bytes
    are destroyed, the claims of workers since recycled (whose memory is gone) come back from
    here, so a retry of an event answered before the damage is still not answered again.

    One line per claim, appended with O_APPEND (atomic for short lines across processes);
    once over `limit` bytes it is rotated, the previous copy kept, so at least the last
    `limit` bytes of claims are always readable.
    """

    def __init__(self, path: Path, limit: int = 8 * 1024 * 1024) -> None:
        self.path, self._limit = path, limit
        self._lock = threading.Lock()
        self._fd, self._inode = self._open()

    def append(self, key: str, at: float) -> None:
        line = f"{at:.3f} {key}\n".encode()
        with self._lock:
            try:
                if _inode(self.path) != self._inode:  # rotated or deleted by another process
                    os.close(self._fd)
                    self._fd, self._inode = self._open()
                os.write(self._fd, line)
                if os.fstat(self._fd).st_size > self._limit:
                    with _exclusive(self.path):
                        if _inode(self.path) == self._inode:
                            os.replace(self.path, f"{self.path}.old")
            except OSError as error:
                log.warning("claim journal %s not written (%s)", self.path, error)

    def read(self, since: float) -> list[tuple[str, float]]:
        """Every (key, at) claimed after `since` that is still on disk."""
        found: list[tuple[str, float]] = []
        for name in (f"{self.path}.old", str(self.path)):
            with suppress(OSError), open(name, "rb") as file:
                for raw in file:
                    at, _, key = raw.decode("utf-8", "replace").rstrip("\n").partition(" ")
                    with suppress(ValueError):
                        if key and float(at) > since:
                            found.append((key, float(at)))
        return found

    def close(self) -> None:
        with self._lock, suppress(OSError):
            os.close(self._fd)

    def _open(self) -> tuple[int, int]:
        run_dir(self.path.parent)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return fd, os.fstat(fd).st_ino
