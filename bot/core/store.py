"""The built fact base as one SQLite file: written once by the build, opened read-only by the app.

`knowledge/factbase.db` sits beside factbase.json (the committed, reviewable record) and holds
the same records plus everything a query would otherwise derive at start: the search indexes'
postings (and each long list's capped postings), IDFs, which actors each sentence names, the
actors' stats, the corpus's words. Its columns of numbers (per sentence, paragraph, event:
length norms, offsets, which sentences refer back) are in `factbase.cols` beside it, mapped
and read in place (COLUMNS). The app opens it read-only and immutable with a memory map, so
every worker process shares the same pages through the page cache, and reads a record only
when a query needs it: start-up costs milliseconds and a record costs no memory until read.

Checked on open, refused with one message naming the fix: a file that is not this format, a
different schema or store version, a size that is not whole pages (truncated), a stamp of a
factbase.json other than the one beside it (stale), a columns file missing, of another size
or from another build, and, for stores small enough to read in a blink, SQLite's own
integrity check and the columns' checksum.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import sqlite3
import sys
import tempfile
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar, overload

from pydantic import TypeAdapter

from bot.core.index import Bm25
from bot.core.knowledge import (
    REBUILD,
    EventLookups,
    FactBaseError,
    Knowledge,
    Parts,
    Picked,
    outdated,
    spans_found,
)
from bot.models import (
    SCHEMA_VERSION,
    Actor,
    ActorStats,
    BuildReport,
    Event,
    Mention,
    Paragraph,
    Quote,
    Sentence,
    Source,
    SourceDigest,
)

# The store's own layout; bump when tables or blobs change. 2: per actor, the sentences
# describing it and reporting its words. 3: events as rows plus columns for their lookups.
# 4: each sentence's folded words, for phrase checks in SQL. 5: those in a table of their own.
# 6: each long postings list's capped postings, chosen at build. 7: actors' stats as columns
# of packed numbers, not JSON (Russia's sentences at 50,000 articles took 52 ms to decode).
# 8: the per-sentence, per-paragraph and per-event columns in factbase.cols (see COLUMNS).
# 9: offsets in 4 bytes, not 8 (a build of more than 2**31 mentions would stop, not wrap).
# 10: the sources as rows, made into records when a query cites one. 11: per quote, the id of
# the first quote of its wording (quote_first). 12: each sentence's mentions with their
# offsets (mention_spans), for the list checks.
FORMAT = 12
PHRASE_CHUNK = 500  # ids per query that lists them (rows_for)
GATHER_IN_NUMPY = 2048  # sentences from which `first_wordings` gathers with numpy
INDEXES = ("sentences", "paragraphs", "quotes")
CHECKED_BELOW = 32 * 1024 * 1024  # bytes: integrity-check whole stores up to this size
# Bytes of the store mapped into memory: all of a small one (the shipped store is 0.5 MB). A
# mapped page a query touched stays in the process's RSS; at 5,000 articles (a 228 MB store)
# mapping it all held about 200 MB more per process, for p50 and p99 within noise of this.
# Pages past the map are read through SQLite's own small cache and the kernel's page cache.
MMAP = 64 * 1024 * 1024

T = TypeVar("T")


def store_path(factbase: Path) -> Path:
    return factbase.with_suffix(".db")


# The number columns live in a file of their own beside the store, `factbase.cols`, which the
# app maps into memory and reads in place: SQLite keeps a blob in a chain of pages, so a
# column read from it is copied into each worker's private memory (190 MB at 50,000
# articles), while a mapped file's pages are read only when touched and shared by every
# worker through the page cache. Layout: MAGIC, the header's length (8 bytes, little-endian),
# the header (JSON: the build's token, each column's typecode, offset and length), then the
# columns, little-endian, each at an offset that is a multiple of 8.
COLUMNS_MAGIC = b"C5COLS\n\0"
ALIGN = 8


def columns_path(factbase: Path) -> Path:
    return factbase.with_suffix(".cols")


def digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks (a large fact base never sits in memory whole)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- the layout the build writes (bot.build.sink) --------------------------------------------

SCHEMA = """
PRAGMA page_size = 4096;
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (id INTEGER PRIMARY KEY, file TEXT NOT NULL, outlet TEXT NOT NULL,
    aliases TEXT NOT NULL, author TEXT NOT NULL, day INTEGER NOT NULL, record TEXT NOT NULL);
CREATE TABLE paragraphs (id INTEGER PRIMARY KEY, source INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL);
CREATE TABLE sentences (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE sentence_words (id INTEGER PRIMARY KEY, words TEXT NOT NULL);
CREATE TABLE quotes (id INTEGER PRIMARY KEY, source INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    sentence INTEGER NOT NULL, speaker TEXT, speech INTEGER NOT NULL);
CREATE TABLE mentions (id INTEGER PRIMARY KEY, actor TEXT NOT NULL,
    source INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    sentence INTEGER NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, event INTEGER NOT NULL,
    sentence INTEGER NOT NULL, expression TEXT NOT NULL, date TEXT, precision TEXT,
    relative INTEGER NOT NULL, actors TEXT NOT NULL);
CREATE TABLE stats (position INTEGER PRIMARY KEY, actor TEXT NOT NULL UNIQUE,
    mentioned INTEGER NOT NULL, sources BLOB NOT NULL, counts BLOB NOT NULL,
    co TEXT NOT NULL, quotes BLOB NOT NULL, sentences BLOB NOT NULL,
    described BLOB NOT NULL, reported BLOB NOT NULL);
CREATE TABLE postings (kind INTEGER NOT NULL, term TEXT NOT NULL, ids BLOB NOT NULL,
    tfs BLOB NOT NULL, PRIMARY KEY (kind, term)) WITHOUT ROWID;
CREATE TABLE capped (kind INTEGER NOT NULL, term TEXT NOT NULL, ids BLOB NOT NULL,
    tfs BLOB NOT NULL, PRIMARY KEY (kind, term)) WITHOUT ROWID;
"""
# The meta rows besides the search indexes' (`<index>.terms`, `.idf`, `.norms`, `.typical`):
# format, schema_version, factbase (the stamp), sources, actors, report, digests, the event
# lookups (events.by_sentence, .sentences, .dated, .by_date, .flags), words, record_terms,
# vocabulary, and per sentence or paragraph the columns StoredFacts and Parts read.


def write_atomic(target: Path, data: bytes) -> None:
    """Write beside the target, then rename over it: readers see the old file or the new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from a server run as another user
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stamp(factbase: Path, *, with_digest: bool) -> dict[str, Any]:
    """What the store records of the factbase.json it was built from."""
    stat = factbase.stat()
    stamped: dict[str, Any] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    if with_digest:
        stamped["sha256"] = digest(factbase)
    return stamped


# --- reading ------------------------------------------------------------------------------


def open_store(factbase: Path) -> Knowledge:
    """The Knowledge in factbase.db beside `factbase`; FactBaseError if it can't be used."""
    path = store_path(factbase)
    try:
        store = Store(path)
        store.check(factbase)
        fb = StoredFacts(store)
        return Knowledge(fb, store.parts(fb))
    except sqlite3.Error as exc:
        raise _corrupt(path, str(exc)) from None


def _corrupt(path: Path, why: str) -> FactBaseError:
    return FactBaseError(f"{path} is corrupt or truncated ({why}). Run `{REBUILD}` to rebuild it.")


# A connection must not cross a fork (gunicorn forks its workers): a child opens its own.
_FORKS = [0]


def _forked() -> None:
    _FORKS[0] += 1


os.register_at_fork(after_in_child=_forked)


class Store:
    """A read-only connection per thread (and per process, after a fork) to one store file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.uri = f"file:{path.resolve()}?mode=ro&immutable=1"
        self._local = threading.local()
        self.columns: dict[str, tuple[str, int, int]] = {}  # name -> typecode, offset, length
        self.columns_file = path

    def db(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "forks", None) != _FORKS[0]:
            db = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
            db.execute(f"PRAGMA mmap_size = {MMAP}")
            local.db, local.forks = db, _FORKS[0]
        connection: sqlite3.Connection = local.db
        return connection

    def meta(self, key: str) -> bytes:
        row = self.db().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise FactBaseError(f"{self.path} lacks {key!r}. Run `{REBUILD}` to rebuild it.")
        return bytes(row[0])

    def check(self, factbase: Path) -> None:
        """Refuse a store that is not whole, not this format, or not made from `factbase`."""
        try:
            size = self.path.stat().st_size
        except OSError as exc:
            raise _corrupt(self.path, exc.strerror or "unreadable") from None
        db = self.db()
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        if size != page_size * pages or size == 0:
            raise _corrupt(self.path, f"{size:,} bytes, expected {page_size * pages:,}")
        if size <= CHECKED_BELOW:
            verdict = db.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise _corrupt(self.path, str(verdict)[:200])
        if self.meta("format") != str(FORMAT).encode():
            raise FactBaseError(
                f"{self.path} was written by another version of C5 Brief. "
                f"Run `{REBUILD}` to rebuild it."
            )
        version = int(self.meta("schema_version"))
        if version != SCHEMA_VERSION:
            raise outdated(self.path, version)
        stamped = json.loads(self.meta("factbase"))
        if factbase.exists():
            now = stamp(factbase, with_digest=False)
            same = all(stamped.get(k) == v for k, v in now.items())
            if not same and stamped.get("sha256") != digest(factbase):
                raise FactBaseError(
                    f"{self.path} is stale: it was built from another {factbase.name}. "
                    f"Run `{REBUILD}` to rebuild it."
                )
        self.open_columns(factbase)

    def array(self, key: str, code: str) -> Sequence[Any]:
        """A column of numbers: viewed in place in the columns file (copied only on a
        big-endian machine), or read from the store's meta table."""
        if key not in self.columns:
            return from_le(code, self.meta(key))
        kind, at, size = self.columns[key]
        if kind != code:
            raise _corrupt(self.columns_file, f"{key} holds {kind!r}, not {code!r}")
        raw = self.mapped[at : at + size * array(code).itemsize]
        if sys.byteorder != "little":
            return from_le(code, bytes(raw))
        view: Sequence[Any] = raw.cast(code)  # type: ignore[call-overload]
        return view

    def open_columns(self, factbase: Path) -> None:
        """Map the columns file and check it is whole and the one this store was built with."""
        path = self.columns_file = columns_path(factbase)
        expected = json.loads(self.meta("columns"))
        try:
            with path.open("rb") as f:
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:  # missing, unreadable or empty
            raise _corrupt(path, getattr(exc, "strerror", None) or str(exc)) from None
        if len(mapped) != expected["size"]:
            raise _corrupt(path, f"{len(mapped):,} bytes, expected {expected['size']:,}")
        if mapped[: len(COLUMNS_MAGIC)] != COLUMNS_MAGIC:
            raise _corrupt(path, "not a columns file")
        start = len(COLUMNS_MAGIC) + 8
        length = int.from_bytes(mapped[len(COLUMNS_MAGIC) : start], "little")
        header = json.loads(mapped[start : start + length])
        if header["token"] != expected["token"]:
            raise FactBaseError(
                f"{path} is stale: it was written with another {self.path.name}. "
                f"Run `{REBUILD}` to rebuild it."
            )
        small = len(mapped) <= CHECKED_BELOW  # hashed at every start, like quick_check
        if small and hashlib.sha256(mapped[expected["start"] :]).hexdigest() != header["token"]:
            raise _corrupt(path, "its checksum differs")
        self.mapped = memoryview(mapped)
        self.columns = {k: tuple(v) for k, v in header["columns"].items()}

    def lines(self, key: str) -> list[str]:
        raw = self.meta(key)
        return raw.decode().split("\n") if raw else []

    def parts(self, fb: StoredFacts) -> Parts:
        names = [a.id for a in fb.actors]
        stats = StoredStats(self, fb.files)
        quotes_in = Grouped(
            self.array("quote_offsets", "i"),
            self.array("quote_ids", "i"),
            lambda ids: [fb.quotes[i] for i in ids],
        )
        return Parts(
            indexes=(self.index(0), self.index(1), self.index(2)),
            stats=stats,
            actors_in=Grouped(
                self.array("named_offsets", "i"),
                self.array("named", "i"),
                lambda ids: set(map(names.__getitem__, ids)),
            ),
            quotes_in=quotes_in,
            mentions_in=Grouped(
                self.array("mention_offsets", "i"),
                self.array("mention_spans", "i"),
                lambda flat: spans_found(names, flat),
            ),
            events=StoredEvents(self, fb.events),
            words=frozenset(self.lines("words")),
            record_terms=frozenset(self.lines("record_terms")),
            vocabulary=self.lines("vocabulary"),
            paragraph_of=self.array("paragraph_of", "i"),
            source_of=self.array("source_of", "i"),
            starts=self.array("starts", "i"),
            ends=self.array("ends", "i"),
            back=self.array("back", "B"),
            first_sentence=self.array("first_sentence", "i"),
            source_first=self.array("source_first", "i"),
            described=StoredPerActor(stats, 4, frozenset),
            reported=StoredPerActor(stats, 5, list),
            phrased=self.phrased,
            first_wordings=self.first_wordings,
            most_named=self.most_named,
            quotes_at=fb.quotes_at,
            spoken=self.spoken,
            bylines=self.bylines,
        )

    def bylines(self) -> Iterator[tuple[str, str, tuple[str, ...], str, int]]:
        rows = self.db().execute(
            "SELECT file, outlet, aliases, author, day FROM sources ORDER BY id"
        )
        for file, outlet, aliases, author, day in rows:
            yield file, outlet, tuple(json.loads(aliases)), author, day

    def most_named(self) -> list[str]:
        """Actor ids by mentions, most first, ties in fact base order: the build's totals,
        not every actor's record (sentence lists and all) read here."""
        rows = self.db().execute("SELECT actor FROM stats ORDER BY -mentioned, position")
        return [r[0] for r in rows]

    def first_wordings(self, sids: Sequence[int]) -> list[tuple[int, int]]:
        """What `Parts.first_wordings` promises, from three columns; numpy gathers the quotes
        of many sentences (a common word's sentences hold tens of thousands)."""
        offsets: Any = self.array("quote_offsets", "i")  # buffers: numpy reads them in place
        ids: Any = self.array("quote_ids", "i")
        first: Any = self.array("quote_first", "i")
        if len(sids) < GATHER_IN_NUMPY:
            return sorted(
                (q, sid)
                for sid in sids
                for q in ids[offsets[sid] : offsets[sid + 1]]
                if first[q] == q
            )
        import numpy as np  # here: the shipped corpus's lists are short

        at = np.asarray(sids, dtype=np.int64)
        starts = np.frombuffer(offsets, dtype=np.int32)[at]
        counts = np.frombuffer(offsets, dtype=np.int32)[at + 1] - starts
        # Each quote's place in quote_ids: its sentence's start plus its rank within it.
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        quotes = np.frombuffer(ids, dtype=np.int32)[np.repeat(starts, counts) + within]
        held = np.repeat(at, counts)
        keep = np.frombuffer(first, dtype=np.int32)[quotes] == quotes
        quotes, held = quotes[keep], held[keep]
        order = np.argsort(quotes, kind="stable")
        return list(zip(quotes[order].tolist(), held[order].tolist(), strict=True))

    def spoken(self, ids: Sequence[int]) -> list[int]:
        """The quotes among `ids` that are speech, in order: their flags read by SQLite,
        not a record made of each (a head of state has tens of thousands of quotes)."""
        sql = "SELECT id FROM quotes WHERE id IN ({}) AND speech"
        found = {r[0] for r in rows_for(self.db(), sql, ids)}
        return [i for i in ids if i in found]

    def phrased(self, sids: Sequence[int], phrase: str) -> list[int]:
        """The sentences whose folded words hold `phrase`: checked by SQLite in C on the
        words the build folded, not by reading and folding each sentence here (a common word
        has tens of thousands of sentences at 5,000 articles)."""
        sql = "SELECT id FROM sentence_words WHERE id IN ({}) AND instr(words, ?) > 0"
        found = {r[0] for r in rows_for(self.db(), sql, sids, phrase)}
        return [sid for sid in sids if sid in found]

    def index(self, kind: int) -> Bm25:
        name = INDEXES[kind]
        terms = self.lines(f"{name}.terms")
        idf = dict(zip(terms, self.array(f"{name}.idf", "d"), strict=True))

        def read(table: str, term: str) -> tuple[array[int], array[int]] | None:
            row = (
                self.db()
                .execute(f"SELECT ids, tfs FROM {table} WHERE kind = ? AND term = ?", (kind, term))
                .fetchone()
            )
            return None if row is None else (from_le("i", row[0]), from_le("i", row[1]))

        def fetch(term: str) -> tuple[array[int], array[int]]:
            found = read("postings", term)
            if found is None:
                raise _corrupt(self.path, f"no postings for {term!r}")
            return found

        return Bm25.stored(
            norms=self.array(f"{name}.norms", "d"),
            idf=idf,
            typical=float(self.meta(f"{name}.typical")),
            fetch=fetch,
            fetch_top=lambda term: read("capped", term),
        )


class Grouped(Mapping[int, T]):
    """sentence -> what it holds (actors, quotes), from offsets and ids read at open."""

    def __init__(
        self, offsets: Sequence[int], ids: Sequence[int], make: Callable[[Sequence[int]], T]
    ) -> None:
        self.offsets, self.ids, self.make = offsets, ids, make

    def __getitem__(self, sid: int) -> T:
        return self.make(self.ids_of(sid))

    def ids_of(self, sid: int) -> Sequence[int]:
        if not 0 <= sid < len(self.offsets) - 1:
            return ()
        return self.ids[self.offsets[sid] : self.offsets[sid + 1]]

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.offsets) - 1))

    def __len__(self) -> int:
        return len(self.offsets) - 1


STATS = "sources, counts, co, quotes, sentences, described, reported"


class StoredStats(Mapping[str, ActorStats]):
    """actor -> ActorStats, read from the store on first use: its lists stay packed arrays
    (a large actor names hundreds of thousands of sentences)."""

    def __init__(self, store: Store, files: Sequence[str]) -> None:
        self.store, self.files = store, files
        self.kept: dict[str, ActorStats] = {}
        self.order = [r[0] for r in store.db().execute("SELECT actor FROM stats ORDER BY position")]
        self.known = frozenset(self.order)

    def __getitem__(self, actor: str) -> ActorStats:
        kept = self.kept.get(actor)
        if kept is None:
            if actor not in self.known:
                raise KeyError(actor)
            mentions, co, quotes, sentences, _, _ = self.record(actor)
            if len(self.kept) >= ACTORS_KEPT:
                self.kept = {}
            kept = self.kept[actor] = ActorStats(actor, mentions, co, quotes, sentences)
        return kept

    def record(self, actor: str) -> list[Any]:
        """Mentions by source, co-mentions, quotes, sentences, described, reported."""
        found = (
            self.store.db()
            .execute(f"SELECT {STATS} FROM stats WHERE actor = ?", (actor,))
            .fetchone()
        )
        if found is None:
            raise KeyError(actor)
        return self.unpack(found)

    def unpack(self, row: Sequence[Any]) -> list[Any]:
        files = self.files
        sources, counts = from_le("i", row[0]), from_le("i", row[1])
        mentions = {files[s]: n for s, n in zip(sources, counts, strict=True)}
        return [mentions, json.loads(row[2]), *(from_le("i", blob) for blob in row[3:])]

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def __contains__(self, actor: object) -> bool:
        return actor in self.known


# Records of a table kept after reading: a worker's hot passages. Not more: records kept
# while a very large answer is made pin the memory its passages used (8,192 kept left about
# 35 MB more private memory at 5,000 articles than 2,048, for about 0.1 ms at the median).
KEPT = 2048
ACTORS_KEPT = 256  # actors' stats kept after reading (each holds its sentence lists)


class StoredPerActor(Mapping[str, T]):
    """actor -> sentences the build found describing it (field 4) or reporting it (field 5)."""

    def __init__(self, stats: StoredStats, field: int, make: Callable[[list[int]], T]) -> None:
        self.stats, self.field, self.make = stats, field, make
        self.kept: dict[str, T] = {}

    def __getitem__(self, actor: str) -> T:
        kept = self.kept.get(actor)
        if kept is None:
            if len(self.kept) >= ACTORS_KEPT:
                self.kept = {}
            kept = self.kept[actor] = self.make(self.stats.record(actor)[self.field])
        return kept

    def __iter__(self) -> Iterator[str]:
        return iter(self.stats)

    def __len__(self) -> int:
        return len(self.stats)


class Table(Sequence[T]):
    """A table's rows as a sequence of records, each read from the store when indexed
    and kept for the next query (up to KEPT, then the keep starts afresh)."""

    def __init__(self, store: Store, size: int, read: Callable[[int, int], list[T]]) -> None:
        self.store, self.size, self.read = store, size, read
        self.kept: dict[int, T] = {}

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if type(i) is int:  # most reads: a record read before
            kept = self.kept.get(i)
            if kept is not None:
                return kept
        if isinstance(i, slice):
            start, stop, step = i.indices(self.size)
            rows = self.read(start, stop) if stop > start else []
            return rows[::step]
        if i < 0:
            i += self.size
            kept = self.kept.get(i)
            if kept is not None:
                return kept
        if not 0 <= i < self.size:
            raise IndexError(i)
        if len(self.kept) >= KEPT:
            self.kept = {}
        record = self.kept[i] = self.read(i, i + 1)[0]
        return record

    def __iter__(self) -> Iterator[T]:
        step = 4096
        for start in range(0, self.size, step):
            yield from self.read(start, min(start + step, self.size))


class StoredEvents(EventLookups):
    """The event lookups from the store's columns: nothing is made at open (a large library
    has tens of thousands of events); a sentence's events are found by bisection."""

    def __init__(self, store: Store, table: Sequence[Event]) -> None:
        self.table = table
        self.order = store.array("events.by_sentence", "i")
        self.sentence = store.array("events.sentences", "i")
        self.by_date_positions = store.array("events.by_date", "i")
        flags = store.array("events.flags", "B")
        super().__init__(
            event_of=_Lookup(self._last, flags, 1),
            dated=Picked(table, store.array("events.dated", "i")),
            dated_in=_Lookup(self._dated, flags, 2),
        )

    def _at(self, sentence: int) -> list[Event]:
        lo = bisect_left(self.sentence, sentence)
        hi = bisect_right(self.sentence, sentence, lo)
        return [self.table[self.order[k]] for k in range(lo, hi)]

    def _last(self, sentence: int) -> Event | None:
        found = self._at(sentence)
        return found[-1] if found else None

    def _dated(self, sentence: int) -> list[Event] | None:
        found = [e for e in self._at(sentence) if e.date]
        return found or None

    def by_date(self) -> Sequence[Event]:
        return Picked(self.table, self.by_date_positions)


class _Lookup(Mapping[int, T]):
    """sentence -> a value worked out when asked (None: the sentence has none); only `get`
    and `[]` are used, so iteration is over the sentences that have one, found by asking."""

    def __init__(self, find: Callable[[int], T | None], flags: Sequence[int], bit: int) -> None:
        self.find, self.flags, self.bit = find, flags, bit

    def get(self, sentence: int, default: Any = None) -> Any:
        """Asked for every sentence a query looks at: most have no event, which one byte
        of `flags` says without a search."""
        if not 0 <= sentence < len(self.flags) or not self.flags[sentence] & self.bit:
            return default
        found = self.find(sentence)
        return default if found is None else found

    def __getitem__(self, sentence: int) -> T:
        found: T | None = self.get(sentence)
        if found is None:
            raise KeyError(sentence)
        return found

    def __contains__(self, sentence: object) -> bool:
        return isinstance(sentence, int) and self.get(sentence) is not None

    def __iter__(self) -> Iterator[int]:
        raise TypeError("a stored lookup is read by key only")

    def __len__(self) -> int:
        raise TypeError("a stored lookup is read by key only")


class StoredFacts:
    """The fact base as the store holds it: what `Facts` promises, records read on demand."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.schema_version = int(store.meta("schema_version"))
        self.actors: list[Actor] = TypeAdapter(list[Actor]).validate_json(store.meta("actors"))
        db = store.db
        files = self.files = [r[0] for r in db().execute("SELECT file FROM sources ORDER BY id")]

        def sources(a: int, b: int) -> list[Source]:
            rows = db().execute("SELECT record FROM sources WHERE id >= ? AND id < ?", (a, b))
            return [Source.model_validate_json(r[0]) for r in rows]

        # Made when a query cites one: 50,000 of them as models held 83 MB per worker.
        self.sources: Table[Source] = Table(store, len(files), sources)
        paragraph_of = store.array("paragraph_of", "i")
        source_of = store.array("source_of", "i")
        starts, ends = store.array("starts", "i"), store.array("ends", "i")
        columns = store.array("paragraph_columns", "i")

        def sentences(a: int, b: int) -> list[Sentence]:
            rows = db().execute("SELECT id, text FROM sentences WHERE id >= ? AND id < ?", (a, b))
            return [
                Sentence(files[source_of[i]], starts[i], ends[i], text, i, paragraph_of[i])
                for i, text in rows
            ]

        def paragraphs(a: int, b: int) -> list[Paragraph]:
            rows = db().execute("SELECT id, text FROM paragraphs WHERE id >= ? AND id < ?", (a, b))
            return [
                Paragraph(files[columns[3 * i]], columns[3 * i + 1], columns[3 * i + 2], text, i)
                for i, text in rows
            ]

        quote_columns = 'source, start, "end", text, id, sentence, speaker, speech'

        def quote(r: tuple[Any, ...]) -> Quote:
            return Quote(files[r[0]], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]))

        def quotes(a: int, b: int) -> list[Quote]:
            rows = db().execute(
                f"SELECT {quote_columns} FROM quotes WHERE id >= ? AND id < ?", (a, b)
            )
            return list(map(quote, rows))

        def mentions(a: int, b: int) -> list[Mention]:
            rows = db().execute(
                'SELECT actor, source, start, "end", sentence FROM mentions '
                "WHERE id >= ? AND id < ?",
                (a, b),
            )
            return [Mention(r[0], files[r[1]], r[2], r[3], r[4]) for r in rows]

        def count(table: str) -> int:
            size: int = db().execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            return size

        self.sentences: Table[Sentence] = Table(store, len(paragraph_of), sentences)
        self.paragraphs: Table[Paragraph] = Table(store, len(columns) // 3, paragraphs)
        self.quotes: Table[Quote] = Table(store, count("quotes"), quotes)

        def quotes_at(ids: Sequence[int]) -> list[Quote]:
            """The quotes with these ids, in the order given: read PHRASE_CHUNK at a time
            rather than one query each (a phrase can stand in thousands of sentences)."""
            sql = f"SELECT {quote_columns} FROM quotes WHERE id IN ({{}})"
            rows = rows_for(db(), sql, list(dict.fromkeys(ids)))
            found = {r[4]: quote(r) for r in rows}
            return [found[i] for i in ids]

        self.quotes_at: Callable[[Sequence[int]], list[Quote]] = quotes_at

        self.mentions: Table[Mention] = Table(store, count("mentions"), mentions)

        def events(a: int, b: int) -> list[Event]:
            rows = db().execute(
                "SELECT event, sentence, expression, date, precision, relative, actors "
                "FROM events WHERE id >= ? AND id < ?",
                (a, b),
            )
            return [Event(r[0], r[1], r[2], r[3], r[4], bool(r[5]), json.loads(r[6])) for r in rows]

        self.events: Table[Event] = Table(store, count("events"), events)
        self.digests = [
            SourceDigest(s, summary) for s, summary in json.loads(store.meta("digests"))
        ]
        self._report: BuildReport | None = None

    @property
    def report(self) -> BuildReport:
        if self._report is None:
            self._report = BuildReport.model_validate_json(self.store.meta("report"))
        return self._report

    @property
    def actor_stats(self) -> Sequence[ActorStats]:
        """Every actor's stats, read in one pass each time and not kept: they hold every
        actor's sentence lists (about 30 MB of objects at 5,000 articles), wanted whole only
        by the overview; an actor's own answer reads its row alone (StoredStats)."""
        stats = StoredStats(self.store, self.files)
        rows = self.store.db().execute(f"SELECT actor, {STATS} FROM stats ORDER BY position")
        out = []
        for actor, *row in rows:
            mentions, co, quotes, sentences, _, _ = stats.unpack(row)
            out.append(ActorStats(actor, mentions, co, quotes, sentences))
        return out


def rows_for(db: sqlite3.Connection, sql: str, ids: Sequence[int], *after: Any) -> Iterator[Any]:
    """The rows of `sql`, whose `{}` takes the ids (then the `after` parameters), asked
    PHRASE_CHUNK ids at a time: SQLite takes at most 32,766 parameters a query."""
    for at in range(0, len(ids), PHRASE_CHUNK):
        chunk = list(ids[at : at + PHRASE_CHUNK])
        yield from db.execute(sql.format(",".join("?" * len(chunk))), (*chunk, *after))


def le(values: array[Any]) -> bytes:
    """Little-endian bytes, whatever this machine's order, so the file is portable."""
    if sys.byteorder == "little":
        return values.tobytes()
    swapped = array(values.typecode, values)
    swapped.byteswap()
    return swapped.tobytes()


def from_le(code: str, raw: bytes) -> array[Any]:
    values = array(code)
    values.frombytes(raw)
    if sys.byteorder != "little":
        values.byteswap()
    return values
