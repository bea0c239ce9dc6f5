"""build: seeds/ and knowledge/*.toml become knowledge/factbase.json and factbase.db.

Articles are read in one process per core and handed, in file order, to a sink that writes
each one's records to the JSON and the store as it comes (bot.build.sink): a build holds a
few columns per sentence and the search postings in compact arrays, never every record.
Deterministic (same inputs, same bytes, whatever the number of workers) and atomic (files
made beside the targets and renamed into place), so `build --check` can compare bytes and a
reader never sees half a file.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from bot.build import curation
from bot.build.article import Article, Patterns, annotate, read
from bot.build.sink import Sink, write_store
from bot.core.aliases import AliasMatcher
from bot.core.store import write_atomic
from bot.models import Actor, BuildReport, FactBase, Occasion, Source

Progress = Callable[[int, int], None]
T = TypeVar("T")


# Below this many articles the pool costs more than it saves (the shipped corpus has five).
PARALLEL_FROM = 40


def build_to(
    root: Path,
    target: Path,
    progress: Progress | None = None,
    *,
    workers: int | None = None,
    store: bool = True,
) -> BuildReport:
    """Read, segment, find mentions, quotations and dates, count, and write factbase.json at
    `target` (and, with `store`, factbase.db beside it); raise CurationError if wrong.

    Articles are independent until they are numbered, so each is read by one of `workers`
    processes (default: every core) and numbered by the sink, in file order.
    """
    cur = curation.load(root / "knowledge", root / "seeds")
    sources = sorted(cur.sources, key=lambda s: s.file)
    jobs = [(root / "seeds" / s.file, s) for s in sources]
    workers = workers or os.cpu_count() or 1
    sink = Sink(target, sources, cur.actors, store=store)
    try:
        if workers > 1 and len(jobs) >= PARALLEL_FROM:
            chunk = max(1, min(8, len(jobs) // (workers * 16)))
            window = Window(jobs, chunk * workers * 3)
            with multiprocessing.Pool(workers, _start_worker, (cur.actors, cur.occasions)) as pool:
                try:
                    made = pool.imap(_read_article, window, chunksize=chunk)
                    _add(sink, made, len(jobs), progress, window.done)
                finally:
                    window.close()  # before the pool stops: its job thread may be waiting
        else:
            _start_worker(cur.actors, cur.occasions)
            _add(sink, map(_read_article, jobs), len(jobs), progress)
    except BaseException:
        sink.close()
        raise
    return sink.finish()


def build(root: Path, progress: Progress | None = None, *, workers: int | None = None) -> FactBase:
    """The fact base of `root` in memory, as its factbase.json reads back: for tests and
    small corpora (a large one is built with `build_to` and opened from its store)."""
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "factbase.json"
        build_to(root, target, progress, workers=workers, store=False)
        return FactBase.model_validate_json(target.read_bytes())


_WORKER: dict[str, object] = {}


def _start_worker(actors: list[Actor], occasions: list[Occasion]) -> None:
    """Per process, once: the alias matcher (one compiled pattern for every alias), the
    actors' kinds and patterns, and the curated occasions."""
    _WORKER["matcher"] = AliasMatcher(actors)
    _WORKER["kinds"] = {a.id: a.kind for a in actors}
    _WORKER["patterns"] = Patterns(actors)
    _WORKER["occasions"] = occasions


def _read_article(job: tuple[Path, Source]) -> Article:
    """One article's records, numbered from 0 (the sink numbers them on), and what the store
    derives from them alone."""
    path, source = job
    matcher, kinds = _WORKER["matcher"], _WORKER["kinds"]
    patterns, occasions = _WORKER["patterns"], _WORKER["occasions"]
    assert isinstance(matcher, AliasMatcher) and isinstance(patterns, Patterns)
    assert isinstance(kinds, dict) and isinstance(occasions, list)
    article = read(source, path.read_text(encoding="utf-8"), matcher, kinds, occasions)
    return annotate(article, matcher, patterns)


def _add(
    sink: Sink,
    made: Iterable[Article],
    total: int,
    progress: Progress | None,
    written: Callable[[], None] = lambda: None,
) -> None:
    for done, article in enumerate(made, start=1):
        sink.add(article)
        written()
        if progress is not None:
            progress(done, total)


class Window(Iterable[T]):
    """Jobs handed out at most `size` ahead of the articles written: readers faster than
    the sink wait, rather than piling finished articles up in memory (Pool.imap alone
    takes every job at once and keeps every result until it is asked for)."""

    def __init__(self, jobs: Iterable[T], size: int) -> None:
        self.jobs, self.room, self.open = jobs, threading.Semaphore(size), True

    def __iter__(self) -> Iterator[T]:
        for job in self.jobs:
            while not self.room.acquire(timeout=0.1):
                if not self.open:
                    return
            yield job

    def done(self) -> None:
        """One article written: room for one more job."""
        self.room.release()

    def close(self) -> None:
        self.open = False


def serialise(fb: FactBase) -> bytes:
    """The committed form: indented, UTF-8, stable key order, one trailing newline."""
    return (json.dumps(fb.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n").encode()


def write(fb: FactBase, target: Path) -> bytes:
    """Write a fact base held in memory atomically, then its store stamped with its digest."""
    data = serialise(fb)
    write_atomic(target, data)
    write_store(fb, target)
    return data
