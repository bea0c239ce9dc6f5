"""`report`: the curator's report from the query log, as text, CSV or JSON."""

from __future__ import annotations

import sys
import time

from bot.core.knowledge import Knowledge
from bot.querylog import open_store
from bot.querylog.report import as_csv, as_json, as_text, build, parse_since
from bot.settings import Settings

FORMATS = {"text": as_text, "csv": as_csv, "json": as_json}


def run_report(settings: Settings, kb: Knowledge, since: str, fmt: str) -> int:
    try:
        window = parse_since(since)
    except ValueError as error:
        print(f"c5brief: {error}", file=sys.stderr)
        return 2
    url = settings.database_url.get_secret_value() if settings.database_url else None
    try:
        store = open_store(url, settings.run_dir, upgrade=True)
        report = build(store, kb, time.time() - window)
    except Exception as error:  # the database: say which, never the URL (it holds a password)
        print(f"c5brief: cannot read the query log ({type(error).__name__})", file=sys.stderr)
        return 2
    print(FORMATS[fmt](report))
    return 0
