"""Which stores a server uses, from its settings: the event log (SQLite in RUN_DIR, or Redis
with REDIS_URL) and the query log (SQLite in RUN_DIR, or Postgres with DATABASE_URL)."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from bot.querylog import QueryLog, open_log, open_store
from bot.querylog.keys import load_secret
from bot.settings import WHERE, Settings
from bot.slack.dedupe import EventLog, SqliteEvents

if TYPE_CHECKING:  # redis-py is imported only where REDIS_URL is set (it costs ~15 MB a process)
    from bot.slack.dedupe_redis import RedisEvents

EVENT_LOG = "events.sqlite3"
MIGRATE_WAIT = 60  # seconds

log = logging.getLogger(__name__)


def prepare(settings: Settings) -> str | None:
    """Once, before workers start: check the event log can be written and bring the query log's
    schema up to date. A message saying what to fix, or None.

    A query log that cannot be reached is logged and left out (answers matter more); an event
    log that cannot be written stops start-up, as answering every retry would."""
    if settings.redis_url is not None:
        import redis

        from bot.slack.dedupe_redis import RedisEvents

        try:
            shared = RedisEvents(settings.redis_url.get_secret_value())
            shared.ping()
            shared.close()
        except redis.RedisError as error:
            return f"REDIS_URL cannot be reached ({type(error).__name__}). {WHERE}"
    try:
        SqliteEvents(settings.run_dir / EVENT_LOG).close()  # RUN_DIR also holds the query log
    except (OSError, sqlite3.Error) as error:
        return (
            f"RUN_DIR {settings.run_dir} cannot hold the event log ({error}): "
            f"set RUN_DIR to a writable directory. {WHERE}"
        )
    if settings.query_log:
        given = settings.query_log_secret
        load_secret(settings.run_dir, given.get_secret_value() if given is not None else None)
        # In a child process: Alembic's memory (about 10 MB) then stays out of the master and
        # of every worker forked from it.
        child = multiprocessing.get_context("fork").Process(
            target=_migrate, args=(_database_url(settings), settings.run_dir), name="c5-migrate"
        )
        child.start()
        child.join(MIGRATE_WAIT)
        if child.exitcode is None:
            child.kill()
            child.join()
            log.error(
                "query log: migrations did not finish in %d s; answering without it", MIGRATE_WAIT
            )
    return None


def _migrate(database_url: str | None, run_dir: Path) -> None:
    try:
        open_store(database_url, run_dir, upgrade=True).engine.dispose()
    except Exception as error:  # any database failure: serve without the log
        log.error(
            "query log unavailable (%s: %s); answering without it",
            type(error).__name__,
            str(error).split("\n")[0][:200],
        )


def event_log(settings: Settings) -> SqliteEvents | RedisEvents:
    """The event log for this process (open it after the fork)."""
    if settings.redis_url is not None:
        from bot.slack.dedupe_redis import RedisEvents

        return RedisEvents(settings.redis_url.get_secret_value())
    return SqliteEvents(settings.run_dir / EVENT_LOG)


def query_log(settings: Settings, upgrade: bool = False) -> QueryLog | None:
    """This process's query log, or None when it is off or cannot be opened (logged).
    `upgrade`: migrate here (a single process; the server's master migrates for its workers)."""
    if not settings.query_log:
        return None
    secret = settings.query_log_secret
    try:
        return open_log(
            _database_url(settings),
            settings.run_dir,
            secret.get_secret_value() if secret is not None else None,
            settings.query_log_retention_days,
            upgrade=upgrade,
        )
    except Exception as error:  # a bad URL or driver: serve without the log
        log.error("query log unavailable (%s); answering without it", type(error).__name__)
        return None


def _database_url(settings: Settings) -> str | None:
    url = settings.database_url
    return url.get_secret_value() if url is not None else None


__all__ = ["EVENT_LOG", "EventLog", "event_log", "prepare", "query_log"]
