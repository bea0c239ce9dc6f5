"""write: articles go to factbase.json and factbase.db as they are read, not held in memory.

The build hands each article (bot.build.article.Article, ids from 0) to a `Sink`, in file
order. The sink numbers its records on from the articles before, appends them to the store's
tables and to one JSON fragment per table, and keeps only compact columns (a few integers
per sentence) and the search postings, in numpy buffers that are sorted and flushed to a
scratch SQLite file as runs. `finish` joins each term's runs into its postings row, writes
the lookups and the actors' stats, assembles factbase.json from its fragments (the same
bytes as `pipeline.serialise` of the whole fact base) and compacts the store into place.
Memory grows with the columns (tens of bytes a sentence), not with the records.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO, Any

import numpy as np

from bot.build import report
from bot.build.article import Article, Docs, Patterns, annotate
from bot.core.aliases import AliasMatcher
from bot.core.index import capped, idf_of, length_norms, typical_of
from bot.core.knowledge import wording
from bot.core.store import (
    ALIGN,
    COLUMNS_MAGIC,
    FORMAT,
    INDEXES,
    SCHEMA,
    columns_path,
    from_le,
    le,
    stamp,
    store_path,
)
from bot.core.text import terms, words
from bot.models import (
    SCHEMA_VERSION,
    Actor,
    BuildReport,
    Event,
    FactBase,
    Paragraph,
    Source,
)

FLUSH = 1 << 20  # postings buffered before a sorted run goes to the scratch file
TABLES = ("paragraphs", "sentences", "mentions", "quotes", "events", "digests")
FIELDS = {
    "paragraphs": ("source", "start", "end", "text", "id"),
    "sentences": ("source", "start", "end", "text", "id", "paragraph"),
    "mentions": ("actor", "source", "start", "end", "sentence"),
    "quotes": ("source", "start", "end", "text", "id", "sentence", "speaker", "speech"),
    "events": ("id", "sentence", "expression", "date", "precision", "relative", "actors"),
    "digests": ("source", "summary"),
}


class Sink:
    """Where the build writes, one article at a time: factbase.json at `target` (without
    `with_json`, the file there is the one the store is stamped with) and, with `store`,
    factbase.db beside it. Nothing replaces the old files until `finish`."""

    def __init__(
        self,
        target: Path,
        sources: Sequence[Source],
        actors: Sequence[Actor],
        *,
        with_json: bool = True,
        store: bool = True,
    ) -> None:
        self.target, self.sources, self.actors = target, list(sources), list(actors)
        self.with_json = with_json
        self.source_index = {s.file: i for i, s in enumerate(self.sources)}
        self.actor_index = {a.id: i for i, a in enumerate(self.actors)}
        target.parent.mkdir(parents=True, exist_ok=True)
        self.scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        self.fragments = {
            t: (self.scratch / f"{t}.json").open("w", encoding="utf-8") for t in TABLES
        }
        self.written = dict.fromkeys(TABLES, 0)
        self.db: sqlite3.Connection | None = None
        self.runs: sqlite3.Connection | None = None
        if store:
            self.db = _connect(self.scratch / "store.db")
            self.db.executescript(SCHEMA)
            self.runs = _connect(self.scratch / "runs.db")
            self.runs.execute(
                "CREATE TABLE runs (kind INTEGER, term INTEGER, run INTEGER, ids BLOB, tfs BLOB)"
            )
        self.columns: list[Column] = []
        column = self._column
        # Per sentence.
        self.paragraph_of, self.source_of = column("paragraph_of", "i"), column("source_of", "i")
        self.starts, self.ends = column("starts", "i"), column("ends", "i")
        self.back, self.flags = column("back", "B"), column("events.flags", "B")
        self.named_offsets, self.named = column("named_offsets", "i", [0]), column("named", "i")
        # Each mention in text order as (actor, start, end), offsets within its sentence: where
        # a sentence names whom, read by list checks without reading the sentence again.
        self.mention_offsets = column("mention_offsets", "i", [0])
        self.mention_spans = column("mention_spans", "i")
        self.quote_offsets = column("quote_offsets", "i", [0])
        self.quote_ids = column("quote_ids", "i")
        # Per quote: the id of the first quote of its wording (bot.core.knowledge.wording).
        self.quote_first, self.wordings = column("quote_first", "i"), dict[bytes, int]()
        # Per paragraph, per source.
        self.first_sentence, self.source_first = column("first_sentence", "i"), array("i")
        self.paragraph_columns = column("paragraph_columns", "i")
        # Events: by sentence, dated, and the dated ones' (date, id) to order them by date.
        self.by_sentence = column("events.by_sentence", "i")
        self.event_sentences = column("events.sentences", "i")
        self.dated, self.dated_day, self.dated_id = array("i"), array("i"), array("i")
        # Per actor (index in `actors`).
        self.own = [array("i") for _ in self.actors]  # sentences naming it
        self.spoken = [array("i") for _ in self.actors]  # its quotes
        self.described = [array("i") for _ in self.actors]
        self.reported = [array("i") for _ in self.actors]
        self.mention_sources = [array("i") for _ in self.actors]  # sources naming it, in order
        self.mention_counts = [array("i") for _ in self.actors]  # how often each names it
        self.co: list[Counter[str]] = [Counter() for _ in self.actors]
        self.mentioned: set[str] = set()
        self.tally: Counter[str] = Counter()
        self.names: Counter[str] = Counter()
        self.unattributed: list[str] = []
        self.digests = (self.scratch / "digests.compact").open("w", encoding="utf-8")
        self.words: set[str] = set()
        self.postings = [Postings(column(f"{name}.lengths", "i")) for name in INDEXES]

    def _column(self, name: str, code: str, first: Sequence[int] = ()) -> Column:
        made = Column(self.scratch / f"{name}.column", code, first)
        self.columns.append(made)
        return made

    def add(self, article: Article) -> None:
        """Append one article's records, their ids shifted past the articles before."""
        src = self.source_index[article.source.file]
        p0, s0 = len(self.paragraph_columns) // 3, len(self.paragraph_of)
        q0, e0, m0 = self.tally["quotes"], self.tally["events"], self.tally["mentions"]
        if len(self.source_first) != src:
            raise ValueError(f"{article.source.file}: articles must come in source order")
        self.source_first.append(s0)
        self._records(article, p0, s0, q0, e0, m0)
        self._columns(article, src, p0, s0, q0)
        self._actors(article, src, s0, q0)
        self._events(article, s0, e0)
        for kind, docs in enumerate(article.docs):
            self.postings[kind].add(docs, self.runs, kind)
        summary = [sid + s0 for sid in article.digest]
        self._json("digests", [(article.source.file, summary)])
        self.digests.write(("," if src else "") + _compact_text([article.source.file, summary]))
        self.names.update(article.names)
        self.unattributed += article.unattributed
        self.words.update(article.words)
        self.tally.update(
            paragraphs=len(article.paragraphs),
            sentences=len(article.sentences),
            mentions=len(article.mentions),
            quotes=len(article.quotes),
            events=len(article.events),
            phrases=sum(1 for q in article.quotes if not q.speech),
            quotes_without_speaker=len(article.unattributed),
            events_resolved=sum(1 for e in article.events if e.date),
        )

    def _records(self, a: Article, p0: int, s0: int, q0: int, e0: int, m0: int) -> None:
        file = a.source.file
        self._json("paragraphs", ((file, p.start, p.end, p.text, p.id + p0) for p in a.paragraphs))
        self._json(
            "sentences",
            ((file, s.start, s.end, s.text, s.id + s0, s.paragraph + p0) for s in a.sentences),
        )
        self._json(
            "mentions", ((m.actor, file, m.start, m.end, m.sentence + s0) for m in a.mentions)
        )
        self._json(
            "quotes",
            (
                (file, q.start, q.end, q.text, q.id + q0, q.sentence + s0, q.speaker, q.speech)
                for q in a.quotes
            ),
        )
        self._json("events", (_event(e, e0, s0) for e in a.events))
        db = self.db
        if db is None:
            return
        src = self.source_index[file]
        db.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?)",
            ((p.id + p0, src, p.start, p.end, p.text) for p in a.paragraphs),
        )
        db.executemany(
            "INSERT INTO sentences VALUES (?, ?)", ((s.id + s0, s.text) for s in a.sentences)
        )
        db.executemany(
            "INSERT INTO sentence_words VALUES (?, ?)",
            ((s.id + s0, folded) for s, folded in zip(a.sentences, a.folded, strict=True)),
        )
        db.executemany(
            "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (q.id + q0, src, q.start, q.end, q.text, q.sentence + s0, q.speaker, q.speech)
                for q in a.quotes
            ),
        )
        db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?)",
            (
                (m0 + i, m.actor, src, m.start, m.end, m.sentence + s0)
                for i, m in enumerate(a.mentions)
            ),
        )
        db.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((e0 + i, *_event(e, e0, s0)[:-1], _compact(e.actors)) for i, e in enumerate(a.events)),
        )

    def _json(self, table: str, rows: Iterable[tuple[Any, ...]]) -> None:
        if not self.with_json:
            return
        out, names = self.fragments[table], FIELDS[table]
        count = self.written[table]
        for row in rows:
            if count:
                out.write(",\n")
            out.write(_record(names, row))
            count += 1
        self.written[table] = count

    def _columns(self, a: Article, src: int, p0: int, s0: int, q0: int) -> None:
        sizes = [0] * len(a.paragraphs)
        for s in a.sentences:
            self.paragraph_of.append(s.paragraph + p0)
            self.source_of.append(src)
            self.starts.append(s.start)
            self.ends.append(s.end)
            sizes[s.paragraph] += 1
        first = s0
        for p, size in zip(a.paragraphs, sizes, strict=True):
            self.first_sentence.append(first)
            self.paragraph_columns.extend((src, p.start, p.end))
            first += size
        self.back.extend(a.back)
        flags = bytearray(len(a.sentences))  # per sentence: 1 has an event, 2 a dated one
        for e in a.events:
            flags[e.sentence] |= 3 if e.date else 1
        self.flags.extend(flags)
        first_named: dict[int, dict[str, None]] = defaultdict(dict)
        for m in a.mentions:
            first_named[m.sentence][m.actor] = None
        quotes_in: dict[int, list[int]] = defaultdict(list)
        for q in sorted(a.quotes, key=lambda q: q.id):
            quotes_in[q.sentence].append(q.id + q0)
            self.quote_first.append(self.wordings.setdefault(wording(q), q.id + q0))
        spans: dict[int, list[int]] = defaultdict(list)
        for m in sorted(a.mentions, key=lambda m: (m.sentence, m.start)):
            at = a.sentences[m.sentence].start
            spans[m.sentence] += (self.actor_index[m.actor], m.start - at, m.end - at)
        for sid in range(len(a.sentences)):
            self.named.extend(self.actor_index[x] for x in first_named.get(sid, ()))
            self.named_offsets.append(len(self.named))
            self.mention_spans.extend(spans.get(sid, ()))
            self.mention_offsets.append(len(self.mention_spans))
            self.quote_ids.extend(quotes_in.get(sid, ()))
            self.quote_offsets.append(len(self.quote_ids))

    def _actors(self, a: Article, src: int, s0: int, q0: int) -> None:
        in_sentence: dict[int, set[str]] = defaultdict(set)
        named: Counter[str] = Counter()
        for m in a.mentions:
            in_sentence[m.sentence].add(m.actor)
            named[m.actor] += 1
        for actor in sorted(named, key=self.actor_index.__getitem__):
            i = self.actor_index[actor]
            self.mention_sources[i].append(src)
            self.mention_counts[i].append(named[actor])
        self.mentioned.update(named)
        for sid in sorted(in_sentence):
            present = in_sentence[sid]
            for actor in present:
                i = self.actor_index[actor]
                self.own[i].append(sid + s0)
                self.co[i].update(present - {actor})
        for q in a.quotes:
            if q.speaker:
                self.spoken[self.actor_index[q.speaker]].append(q.id + q0)
        for sid, actor in a.described:
            self.described[self.actor_index[actor]].append(sid + s0)
        for sid, actor in a.reported:
            self.reported[self.actor_index[actor]].append(sid + s0)

    def _events(self, a: Article, s0: int, e0: int) -> None:
        order = sorted(range(len(a.events)), key=lambda i: a.events[i].sentence)
        for i in order:
            self.by_sentence.append(e0 + i)
            self.event_sentences.append(a.events[i].sentence + s0)
        for i, e in enumerate(a.events):
            if e.date:
                self.dated.append(e0 + i)
                self.dated_day.append(int(e.date.replace("-", "")))
                self.dated_id.append(e.id + e0)

    # --- finishing ------------------------------------------------------------------------

    def finish(self) -> BuildReport:
        """Write the stats, lookups and postings, assemble factbase.json, compact the store,
        and move both into place; the scratch directory goes."""
        try:
            built = BuildReport(
                counts=report.counts(
                    len(self.sources), len(self.actors), self.tally, self.mentioned
                ),
                unmatched_names=report.unmatched(self.names),
                quotes_without_speaker=self.unattributed,
            )
            self.source_first.append(len(self.paragraph_of))
            self.first_sentence.append(len(self.paragraph_of))
            self.digests.close()
            if self.db is not None:
                self._store(built)
            if self.with_json:
                data = self._assemble(built)
                os.chmod(data, 0o644)
                os.replace(data, self.target)
            if self.db is not None:
                assert self.runs is not None
                self.runs.close()
                self.db.execute(
                    "INSERT INTO meta VALUES ('factbase', ?)",
                    (json.dumps(stamp(self.target, with_digest=True)).encode(),),
                )
                self.db.commit()
                compact = self.scratch / "compact.db"
                self.db.execute("VACUUM INTO ?", (str(compact),))
                self.db.close()
                os.chmod(compact, 0o644)
                # Columns first: a store in place always has its columns (a crash between
                # the two leaves the old store, which then refuses the new columns as stale).
                os.chmod(self.scratch / "store.cols", 0o644)
                os.replace(self.scratch / "store.cols", columns_path(self.target))
                os.replace(compact, store_path(self.target))
            return built
        finally:
            self.close()

    def close(self) -> None:
        """Drop the scratch files (after `finish`, or after a failed build)."""
        for out in [*self.fragments.values(), self.digests]:
            out.close()
        for column in self.columns:
            column.close()
        for db in (self.db, self.runs):
            if db is not None:
                db.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def stats(self) -> Iterator[tuple[str, list[Any]]]:
        """Per actor, in curation order: mentions by source, co-mentions, quotes, sentences,
        and the sentences describing it and reporting its words."""
        files = [s.file for s in self.sources]
        for i, a in enumerate(self.actors):
            mentions = {
                files[s]: n
                for s, n in zip(self.mention_sources[i], self.mention_counts[i], strict=True)
            }
            co = dict(sorted(self.co[i].items(), key=lambda kv: (-kv[1], kv[0])))
            yield (
                a.id,
                [
                    mentions,
                    co,
                    list(self.spoken[i]),
                    list(self.own[i]),
                    list(self.described[i]),
                    list(self.reported[i]),
                ],
            )

    def _assemble(self, built: BuildReport) -> Path:
        """factbase.json from its parts: what `serialise` makes of the whole fact base."""
        for out in self.fragments.values():
            out.close()
        path = self.scratch / "factbase.json"
        with path.open("w", encoding="utf-8") as out:
            out.write("{\n")
            out.write(f' "schema_version": {SCHEMA_VERSION},\n')
            out.write(' "sources": ')
            _items(out, (s.model_dump(mode="json") for s in self.sources))
            out.write(",\n")
            out.write(' "actors": ')
            _items(out, (a.model_dump(mode="json") for a in self.actors))
            for table in TABLES[:-1]:
                out.write(f',\n "{table}": ')
                self._fragment(out, table)
            out.write(',\n "actor_stats": ')
            keys = ("actor", "mentions", "co_mentions", "quotes", "sentences")
            _items(
                out,
                (
                    dict(zip(keys, (actor, *record[:4]), strict=True))
                    for actor, record in self.stats()
                ),
            )
            out.write(',\n "digests": ')
            self._fragment(out, "digests")
            out.write(',\n "report": ')
            out.write(_indented(built.model_dump(mode="json"), 1))
            out.write("\n}\n")
        return path

    def _fragment(self, out: IO[str], table: str) -> None:
        """A table's records as a list: its fragment copied in."""
        if not self.written[table]:
            out.write("[]")
            return
        out.write("[\n")
        with (self.scratch / f"{table}.json").open(encoding="utf-8") as part:
            shutil.copyfileobj(part, out, 1 << 20)
        out.write("\n ]")

    def _store(self, built: BuildReport) -> None:
        db = self.db
        assert db is not None and self.runs is not None
        db.executemany(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    i,
                    s.file,
                    s.outlet,
                    json.dumps(s.aliases),
                    s.author,
                    s.date.toordinal(),
                    s.model_dump_json(),
                )
                for i, s in enumerate(self.sources)
            ),
        )
        db.executemany(
            "INSERT INTO stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    i,
                    actor,
                    sum(self.mention_counts[i]),
                    le(self.mention_sources[i]),
                    le(self.mention_counts[i]),
                    json.dumps(co),
                    *(le(array("i", ids)) for ids in lists),
                )
                for i, (actor, (_, co, *lists)) in enumerate(self.stats())
            ),
        )
        dated_order = sorted(
            range(len(self.dated)), key=lambda k: (self.dated_day[k], self.dated_id[k])
        )
        sentence_terms: list[str] = []
        meta: dict[str, bytes] = {
            "format": str(FORMAT).encode(),
            "schema_version": str(SCHEMA_VERSION).encode(),
            "actors": _compact([a.model_dump(mode="json") for a in self.actors]),
            "report": built.model_dump_json().encode(),
            "digests": b"[" + (self.scratch / "digests.compact").read_bytes() + b"]",
        }
        columns: list[tuple[str, array[Any] | Column]] = [
            ("events.dated", self.dated),
            ("events.by_date", array("i", (self.dated[k] for k in dated_order))),
            ("source_first", self.source_first),
            *((c.name, c) for c in self.columns if not c.name.endswith(".lengths")),
        ]
        self.runs.commit()
        self.runs.execute("CREATE INDEX runs_order ON runs (kind, term, run)")
        for kind, (name, postings) in enumerate(zip(INDEXES, self.postings, strict=True)):
            postings.flush(self.runs, kind)
            norms = length_norms(postings.lengths.values())
            idfs = postings.write(db, self.runs, kind, norms)
            if kind == 0:
                sentence_terms = postings.vocabulary()
            meta[f"{name}.terms"] = "\n".join(postings.vocabulary()).encode()
            meta[f"{name}.idf"] = le(array("d", idfs))
            columns.append((f"{name}.norms", norms))
            meta[f"{name}.typical"] = repr(typical_of(idfs)).encode()
        words_ = self.words | {
            w for s in self.sources for f in (s.title, s.author) for w in words(f)
        }
        record_terms = {
            t for s in self.sources for f in (s.title, s.outlet, s.author) for t in terms(f)
        }
        meta["words"] = "\n".join(sorted(words_)).encode()
        meta["record_terms"] = "\n".join(sorted(record_terms)).encode()
        meta["vocabulary"] = "\n".join(sorted(t for t in sentence_terms if t[:1] != "@")).encode()
        meta["columns"] = json.dumps(write_columns(self.scratch / "store.cols", columns)).encode()
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))


def _event(e: Event, e0: int, s0: int) -> tuple[Any, ...]:
    """An article's event as the fact base numbers it: id, sentence, expression, date,
    precision, relative, actors (the JSON's fields; the store's row after its row id)."""
    return (e.id + e0, e.sentence + s0, e.expression, e.date, e.precision, e.relative, e.actors)


def write_columns(path: Path, columns: Sequence[tuple[str, array[Any] | Column]]) -> dict[str, Any]:
    """The columns file (bot.core.store.COLUMNS_MAGIC) at `path`, streamed column by column;
    what the store's meta records of it: its token (the SHA-256 of everything after the
    header, so the same build gives the same bytes) and its size."""
    sizes = [(name, c.code if isinstance(c, Column) else c.typecode, len(c)) for name, c in columns]
    # The header's length depends on the offsets, which depend on it: it gets a fixed room.
    room = 128 + 96 * len(columns)
    start = _aligned(len(COLUMNS_MAGIC) + 8 + room)
    at = start
    placed: dict[str, tuple[str, int, int]] = {}
    for name, code, size in sizes:
        placed[name] = (code, at, size)
        at = _aligned(at + size * array(code).itemsize)
    digest_ = hashlib.sha256()
    with path.open("wb") as out:

        def put(data: bytes) -> None:
            out.write(data)
            digest_.update(data)

        out.seek(start)
        for name, column in columns:
            put(b"\0" * (placed[name][1] - out.tell()))
            if isinstance(column, Column):
                with column.finished().open("rb") as part:
                    for chunk in iter(lambda: part.read(1 << 20), b""):
                        put(chunk)
            else:
                put(le(column))
        put(b"\0" * (at - out.tell()))
        header = json.dumps({"token": digest_.hexdigest(), "columns": placed}).encode()
        if len(header) > room:
            raise ValueError("column names too long for the columns header")
        out.seek(0)
        out.write(COLUMNS_MAGIC + len(header).to_bytes(8, "little") + header.ljust(room))
    return {"token": digest_.hexdigest(), "size": at, "start": start}


def _aligned(at: int) -> int:
    return -(-at // ALIGN) * ALIGN


class Column:
    """An append-only column of numbers (an array typecode; "B" for bytes) that goes to a
    scratch file in blocks: a build's memory does not grow with its sentences."""

    BLOCK = 1 << 16

    def __init__(self, path: Path, code: str, first: Sequence[int] = ()) -> None:
        self.path, self.code, self.name = path, code, path.stem
        self.buffer = array(code, first)
        self.out: IO[bytes] | None = path.open("wb")
        self.size = len(self.buffer)

    def __len__(self) -> int:
        return self.size

    def append(self, value: int) -> None:
        self.buffer.append(value)
        self.size += 1
        if len(self.buffer) >= self.BLOCK:
            self._spill()

    def extend(self, values: Iterable[int]) -> None:
        before = len(self.buffer)
        self.buffer.extend(values)
        self.size += len(self.buffer) - before
        if len(self.buffer) >= self.BLOCK:
            self._spill()

    def _spill(self) -> None:
        assert self.out is not None, "a column read is closed"
        self.out.write(le(self.buffer))
        self.buffer = array(self.code)

    def finished(self) -> Path:
        """The file of the whole column, little-endian; nothing can be added after."""
        if self.out is not None:
            self._spill()
            self.out.close()
            self.out = None
        return self.path

    def read(self) -> bytes:
        return self.finished().read_bytes()

    def close(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None

    def values(self) -> array[int]:
        return from_le(self.code, self.read())


class Postings:
    """One search index's postings as they stream in: term ids in order of first use (the
    order Bm25 gives its terms), document lengths, and a numpy buffer of (term, document,
    frequency) that goes to the scratch file as a run sorted by term once it is large."""

    def __init__(self, lengths: Column) -> None:
        self.known: dict[str, int] = {}
        self.lengths = lengths
        self.buffered: list[tuple[np.ndarray[Any, Any], ...]] = []
        self.size = 0
        self.run = 0

    def vocabulary(self) -> list[str]:
        return list(self.known)

    def add(self, docs: Docs, runs: sqlite3.Connection | None, kind: int) -> None:
        known = self.known
        ids = np.array([known.setdefault(t, len(known)) for t in docs.vocabulary], dtype=np.int32)
        first = len(self.lengths)
        self.lengths.extend(docs.lengths)
        if runs is None or not len(docs.terms):
            return
        terms_ = ids[np.frombuffer(docs.terms, dtype=np.int32)]
        doc_ids = np.repeat(
            np.arange(first, len(self.lengths), dtype=np.int32),
            np.frombuffer(docs.counts, dtype=np.int32),
        )
        self.buffered.append((terms_, doc_ids, np.frombuffer(docs.tfs, dtype=np.int32).copy()))
        self.size += len(terms_)
        if self.size >= FLUSH:
            self.flush(runs, kind)

    def flush(self, runs: sqlite3.Connection, kind: int) -> None:
        """The buffered postings as one run: per term its documents (ascending) and
        frequencies, as little-endian blobs."""
        if not self.buffered:
            return
        terms_, docs, tfs = (np.concatenate(parts) for parts in zip(*self.buffered, strict=True))
        self.buffered, self.size = [], 0
        order = np.argsort(terms_, kind="stable")  # documents stay ascending within a term
        terms_, docs, tfs = terms_[order], docs[order].astype("<i4"), tfs[order].astype("<i4")
        cuts = np.flatnonzero(np.diff(terms_)) + 1
        starts = np.concatenate(([0], cuts)).tolist()
        ends = np.concatenate((cuts, [len(terms_)])).tolist()
        run = self.run
        self.run += 1
        runs.executemany(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?)",
            (
                (kind, int(terms_[a]), run, docs[a:b].tobytes(), tfs[a:b].tobytes())
                for a, b in zip(starts, ends, strict=True)
            ),
        )

    def write(
        self, db: sqlite3.Connection, runs: sqlite3.Connection, kind: int, norms: array[float]
    ) -> list[float]:
        """Each term's runs joined into its postings row (rows in key order, so the table's
        B-tree is appended to) and, for a list longer than CAP, its capped postings; the
        IDFs in term-id order, the order of `vocabulary`."""
        terms_, size = self.vocabulary(), len(self.lengths)
        idfs = [0.0] * len(terms_)
        tops: list[tuple[int, str, bytes, bytes]] = []

        def joined() -> Iterator[tuple[int, str, bytes, bytes]]:
            for term in sorted(range(len(terms_)), key=terms_.__getitem__):
                parts = runs.execute(
                    "SELECT ids, tfs FROM runs WHERE kind = ? AND term = ? ORDER BY run",
                    (kind, term),
                ).fetchall()
                ids = b"".join(r[0] for r in parts)
                if not ids:
                    raise ValueError(f"no postings for {terms_[term]!r}")
                idfs[term] = idf_of(size, len(ids) // 4)
                tfs = b"".join(r[1] for r in parts)
                top = capped(from_le("i", ids), from_le("i", tfs), norms)
                if top is not None:
                    tops.append((kind, terms_[term], le(top[0]), le(top[1])))
                yield kind, terms_[term], ids, tfs

        db.executemany("INSERT INTO postings VALUES (?, ?, ?, ?)", joined())
        db.executemany("INSERT INTO capped VALUES (?, ?, ?, ?)", tops)
        return idfs


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -16384;"
    )
    return db


def _compact_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _compact(value: object) -> bytes:
    return _compact_text(value).encode()


def _value(v: Any) -> str:
    """A record's field as json.dumps(indent=1) writes it inside a table's item."""
    if isinstance(v, str):
        return str(encode_basestring(v))
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return int.__repr__(v)
    if isinstance(v, list):
        if not v:
            return "[]"
        return "[\n" + ",\n".join("    " + _value(x) for x in v) + "\n   ]"
    raise TypeError(f"unexpected {type(v).__name__} in a record")


def _record(names: Sequence[str], row: Sequence[Any]) -> str:
    body = ",\n".join(f'   "{k}": {_value(v)}' for k, v in zip(names, row, strict=True))
    return "  {\n" + body + "\n  }"


def _indented(value: object, level: int) -> str:
    """json.dumps(value, indent=1) as it stands `level` deep in the whole document."""
    return json.dumps(value, indent=1, ensure_ascii=False).replace("\n", "\n" + " " * level)


def _items(out: IO[str], items: Iterable[object]) -> None:
    """A top-level list, one item at a time."""
    first = True
    for item in items:
        out.write("[\n  " if first else ",\n  ")
        out.write(_indented(item, 2))
        first = False
    out.write("[]" if first else "\n ]")


# --- a fact base already in memory --------------------------------------------------------


def write_store(fb: FactBase, factbase: Path) -> Path:
    """The store for a fact base held in memory (its JSON read back, in tests), stamped with
    the factbase.json at `factbase`: its articles fed to a sink one by one, the JSON kept."""
    matcher, patterns = AliasMatcher(fb.actors), Patterns(fb.actors)
    sink = Sink(factbase, fb.sources, fb.actors, with_json=False)
    try:
        for article in articles(fb):
            sink.add(annotate(article, matcher, patterns))
    except BaseException:
        sink.close()
        raise
    sink.finish()
    return store_path(factbase)


def articles(fb: FactBase) -> Iterator[Article]:
    """The fact base's records split back into articles, each numbered from 0."""
    from dataclasses import replace

    def grouped(records: Sequence[Any], key: Callable[[Any], str]) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = defaultdict(list)
        for r in records:
            out[key(r)].append(r)
        return out

    paragraphs = grouped(fb.paragraphs, lambda r: r.source)
    sentences = grouped(fb.sentences, lambda r: r.source)
    mentions = grouped(fb.mentions, lambda r: r.source)
    quotes = grouped(fb.quotes, lambda r: r.source)
    events = grouped(fb.events, lambda e: fb.sentences[e.sentence].source)
    for source in fb.sources:
        ps: list[Paragraph] = paragraphs.get(source.file, [])
        ss = sentences.get(source.file, [])
        p0 = ps[0].id if ps else 0
        s0 = ss[0].id if ss else 0
        qs = quotes.get(source.file, [])
        q0 = qs[0].id if qs else 0
        es = events.get(source.file, [])
        e0 = es[0].id if es else 0
        yield Article(
            source,
            paragraphs=[replace(p, id=p.id - p0) for p in ps],
            sentences=[replace(s, id=s.id - s0, paragraph=s.paragraph - p0) for s in ss],
            mentions=[replace(m, sentence=m.sentence - s0) for m in mentions.get(source.file, [])],
            quotes=[replace(q, id=q.id - q0, sentence=q.sentence - s0) for q in qs],
            events=[replace(e, id=e.id - e0, sentence=e.sentence - s0) for e in es],
        )
