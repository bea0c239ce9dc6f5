"""The query log's store: SQLite under RUN_DIR by default, Postgres when DATABASE_URL is set.

One SQLAlchemy Core engine either way; the schema comes from the Alembic migrations shipped
in this package (`migrate`), so an installed copy can bring any database to the current head.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.querylog.tables import feedback, queries

FILE = "querylog.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK = 0x0C5B  # Postgres advisory lock: hosts starting together migrate one at a time

log = logging.getLogger(__name__)


def url_for(database_url: str | None, run_dir: Path) -> str:
    """The SQLAlchemy URL: a SQLite file in run_dir, or Postgres through psycopg 3."""
    if not database_url:
        return f"sqlite:///{run_dir / FILE}"
    for scheme in ("postgres://", "postgresql://"):
        if database_url.startswith(scheme):
            return "postgresql+psycopg://" + database_url.removeprefix(scheme)
    return database_url


def engine_for(url: str) -> sa.Engine:
    """An engine that waits briefly for a busy database rather than failing at once."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 5, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: object) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return sa.create_engine(
        url, pool_size=2, max_overflow=2, pool_pre_ping=True, connect_args={"connect_timeout": 5}
    )


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (Alembic), one host at a time on Postgres."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a dozen INFO lines per start
    from alembic import command  # here: only the process that migrates pays for Alembic
    from alembic.config import Config

    before = revision_of(engine)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    after = revision_of(engine)
    if after != before:
        log.info("query log: schema migrated from %s to %s", before or "empty", after)


def revision_of(engine: sa.Engine) -> str | None:
    """The schema's current Alembic revision, or None for an empty database."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("alembic_version"):
            return None
        found = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    return str(found) if found is not None else None


@dataclass(frozen=True)
class Vote:
    """A 👍 or 👎 (and the optional comment) one person gave one answer."""

    query_id: str
    user_key: str
    at: float
    vote: str | None = None  # "up" or "down"; None when only a comment is added
    comment: str | None = None


class Store:
    """Reads and writes the log's rows; every call is one transaction."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def write(self, rows: Sequence[dict[str, Any]], votes: Iterable[Vote] = ()) -> None:
        with self.engine.begin() as connection:
            if rows:
                connection.execute(queries.insert(), list(rows))
            for vote in votes:
                connection.execute(self._upsert(vote))

    def _upsert(self, vote: Vote) -> sa.Executable:
        insert = (postgresql if self.engine.dialect.name == "postgresql" else sqlite).insert
        values: dict[str, Any] = {"at": vote.at}
        if vote.vote is not None:
            values["vote"] = vote.vote
        if vote.comment is not None:
            values["comment"] = vote.comment
        statement = insert(feedback).values(
            query_id=vote.query_id,
            user_key=vote.user_key,
            at=vote.at,
            vote=vote.vote or "down",  # a comment is only asked for after a 👎
            comment=vote.comment,
        )
        upsert: sa.Executable = statement.on_conflict_do_update(
            index_elements=["query_id", "user_key"], set_=values
        )
        return upsert

    def purge(self, before: float) -> int:
        """Delete what is older than `before`; the number of rows deleted."""
        with self.engine.begin() as connection:
            gone = connection.execute(sa.delete(queries).where(queries.c.at < before)).rowcount
            gone += connection.execute(sa.delete(feedback).where(feedback.c.at < before)).rowcount
        return int(gone)

    def queries_since(self, since: float) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(queries).where(queries.c.at >= since).order_by(queries.c.at)
            )
            rows = [dict(r._mapping) for r in found]
        for row in rows:
            row["passages"] = json.loads(row["passages"])
        return rows

    def feedback_since(self, since: float) -> list[dict[str, Any]]:
        """Votes with the query, kind and passages they judged (None if not in the log)."""
        joined = feedback.outerjoin(queries, feedback.c.query_id == queries.c.id)
        columns = [
            feedback.c.query_id,
            feedback.c.at,
            feedback.c.vote,
            feedback.c.comment,
            queries.c.query,
            queries.c.kind,
            queries.c.grade,
            queries.c.passages,
        ]
        with self.engine.connect() as connection:
            found = connection.execute(
                sa.select(*columns)
                .select_from(joined)
                .where(feedback.c.at >= since)
                .order_by(feedback.c.at)
            )
            rows = [dict(r._mapping) for r in found]
        for row in rows:
            row["passages"] = json.loads(row["passages"]) if row["passages"] else []
        return rows

    def count(self) -> tuple[int, int]:
        """Rows in the two tables: queries, votes."""
        with self.engine.connect() as connection:
            n = connection.execute(sa.select(sa.func.count()).select_from(queries)).scalar_one()
            v = connection.execute(sa.select(sa.func.count()).select_from(feedback)).scalar_one()
        return int(n), int(v)
