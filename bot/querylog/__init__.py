"""The query log: questions answered, votes given, and the curator's report built from them."""

from __future__ import annotations

from pathlib import Path

from bot.querylog.grade import Grade, grade
from bot.querylog.keys import load_secret
from bot.querylog.store import Store, engine_for, migrate, url_for
from bot.querylog.writer import QueryLog

SURFACES = ("slash", "mention", "dm", "panel", "shortcut", "console", "button")

__all__ = ["SURFACES", "Grade", "QueryLog", "Store", "grade", "open_log", "open_store"]


def open_store(database_url: str | None, run_dir: Path, upgrade: bool = True) -> Store:
    """The store the settings name, its schema brought to the current head when `upgrade`."""
    if not database_url:
        run_dir.mkdir(parents=True, exist_ok=True)
    engine = engine_for(url_for(database_url, run_dir))
    if upgrade:
        migrate(engine)
    return Store(engine)


def open_log(
    database_url: str | None,
    run_dir: Path,
    secret: str | None,
    retention_days: float,
    upgrade: bool = False,
) -> QueryLog:
    """A process's query log; `upgrade=False` where the parent process already migrated."""
    store = open_store(database_url, run_dir, upgrade=upgrade)
    return QueryLog(store, load_secret(run_dir, secret), retention_days)
