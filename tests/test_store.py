"""The SQLite store the build writes: same records and indexes as the JSON, and a store that
is corrupt, truncated, stale or of another version is refused at start with one message."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.build.sink import write_store
from bot.core import index, store
from bot.core.index import Bm25
from bot.core.knowledge import FactBaseError, Knowledge, load
from bot.core.store import FORMAT, columns_path, store_path
from bot.models import ActorStats, FactBase
from tests.conftest import FACTBASE


@pytest.fixture()
def stored(tmp_path: Path) -> Path:
    """A copy of the shipped fact base with its store written beside it."""
    target = tmp_path / "factbase.json"
    shutil.copy(FACTBASE, target)
    write_store(FactBase.model_validate_json(target.read_bytes()), target)
    return target


def test_store_holds_the_same_records_as_the_json(stored: Path) -> None:
    fb = FactBase.model_validate_json(stored.read_bytes())
    kb = load(stored)
    assert type(kb.fb) is not FactBase, "the store was not used"
    for name in ("sources", "actors", "paragraphs", "sentences", "mentions", "quotes"):
        assert list(getattr(kb.fb, name)) == list(getattr(fb, name)), name
    assert list(kb.fb.events) == fb.events
    assert list(map(_plain, kb.fb.actor_stats)) == fb.actor_stats
    assert list(kb.fb.digests) == fb.digests
    assert kb.fb.report == fb.report
    assert kb.fb.sentences[-1] == fb.sentences[-1]
    assert list(kb.fb.sentences[10:20]) == fb.sentences[10:20]


def test_store_lookups_equal_the_ones_derived_in_memory(stored: Path) -> None:
    fb = FactBase.model_validate_json(stored.read_bytes())
    memory, kb = Knowledge(fb), load(stored)
    sids = range(len(fb.sentences))
    assert [kb.actors_in[i] for i in sids] == [memory.actors_in[i] for i in sids]
    # Same insertion order too: answers count actors by iterating these sets.
    assert [list(kb.actors_in[i]) for i in sids] == [list(memory.actors_in[i]) for i in sids]
    assert [kb.quotes_in[i] for i in sids] == [memory.quotes_in[i] for i in sids]
    # Where each sentence names whom: the same mentions, in text order, within the sentence.
    assert [kb.names_at(i) for i in sids] == [memory.names_at(i) for i in sids]
    for i in sids:
        found, text = kb.names_at(i), fb.sentences[i].text
        assert {f.actor for f in found} == set(kb.actors_in[i])
        assert [f.start for f in found] == sorted(f.start for f in found)
        assert all(0 <= f.start < f.end <= len(text) for f in found)
    assert kb.words == memory.words and kb.record_terms == memory.record_terms
    assert list(kb.vocabulary) == list(memory.vocabulary)
    assert {a: _plain(s) for a, s in kb.stats.items()} == dict(memory.stats)
    assert list(kb.back) == list(memory.back) and any(kb.back)
    for a in fb.actors:
        assert kb.described[a.id] == memory.described[a.id]
        assert kb.reported[a.id] == memory.reported[a.id]
    assert any(kb.described.values()) and any(kb.reported.values())
    for p in range(len(fb.paragraphs)):
        assert kb.sentences_in[p] == memory.sentences_in[p]
    # Events: read from columns by the store, derived from the list in memory.
    assert [kb.event_of.get(i) for i in sids] == [memory.event_of.get(i) for i in sids]
    assert [kb.dated_in.get(i) or [] for i in sids] == [memory.dated_in.get(i, []) for i in sids]
    assert list(kb.dated) == list(memory.dated) and kb.dated
    assert list(kb.dated_by_date) == list(memory.dated_by_date)
    # Phrase checks: SQLite on the folded words the build saved, Python on the text.
    for phrase in ("the", "collective security", "csto", "s war", "no such words here"):
        assert kb.phrased(sids, phrase) == memory.phrased(sids, phrase), phrase
    assert kb.phrased(sids, "collective security")
    # Long answers' lookups: SQLite groups and sums; Python does the same in memory.
    assert kb.most_named == memory.most_named and len(kb.most_named) == len(fb.actors)
    assert kb.quotes_at([3, 1, 3]) == [fb.quotes[3], fb.quotes[1], fb.quotes[3]]
    every = range(len(fb.quotes))
    assert kb.spoken(every) == memory.spoken(every) and 0 < len(kb.spoken(every)) < len(every)
    for s in fb.sources:
        assert list(kb.sentences_of.get(s.file)) == list(memory.sentences_of.get(s.file))
    for built, read in [
        (memory.sentence_index, kb.sentence_index),
        (memory.paragraph_index, kb.paragraph_index),
        (memory.quote_index, kb.quote_index),
    ]:
        assert _postings(built) == _postings(read)
        assert built.idf == read.idf and list(built.norms) == list(read.norms)
        assert built.typical == read.typical


def test_stored_capped_postings_are_the_ones_a_query_would_choose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long list's capped postings, chosen once at build, are its CAP highest-impact
    postings (ties: lower id), the same as the in-memory index chooses: so capped queries
    on a large store rank as before. CAP lowered so the shipped corpus has long lists."""
    monkeypatch.setattr(index, "CAP", 5)
    target = tmp_path / "factbase.json"
    shutil.copy(FACTBASE, target)
    fb = FactBase.model_validate_json(target.read_bytes())
    write_store(fb, target)
    memory, kb = Knowledge(fb).sentence_index, load(target).sentence_index
    long = [t for t in memory.terms if len(memory.ids[t]) > 5]
    assert len(long) > 100
    for term in memory.terms:
        ids, tfs, norms = memory.ids[term], memory.tfs[term], memory.norms
        best = sorted(range(len(ids)), key=lambda i: (-tfs[i] / (tfs[i] + norms[ids[i]]), i))
        chosen = sorted(best[:5])
        expected = ([ids[i] for i in chosen], [tfs[i] for i in chosen])
        for made in (memory, kb):
            top = made.top(term)
            assert (list(top[0]), list(top[1])) == expected, term


@pytest.mark.parametrize("in_numpy", [False, True])
def test_documents_holding_every_term_are_found_either_way(
    stored: Path, in_numpy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/quote` candidates: the sentences holding all of a phrase's terms, whether the
    postings are intersected in Python (short lists) or by numpy (long ones)."""
    monkeypatch.setattr(index, "INTERSECT_IN_NUMPY", 0 if in_numpy else 10**9)
    found = load(stored).sentence_index
    phrases = [["secur"], ["collect", "secur"], ["russia", "secur", "region"], ["secur", "zzz"]]
    for terms in phrases:
        postings = [set(found.ids[t]) if t in found.ids else set() for t in terms]
        expected = sorted(set.intersection(*postings))
        assert found.having_all(terms) == expected, terms
    assert found.having_all(["russia", "secur", "region"])


@pytest.mark.parametrize("in_numpy", [False, True])
def test_each_quotation_is_looked_at_once(
    stored: Path, in_numpy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`/quote` phrases: of the quotes in some sentences, those that are the first quote of
    their wording, speaker and speech, each with its sentence, by id; the same from the
    store (gathered in Python or by numpy) as derived in memory."""
    monkeypatch.setattr(store, "GATHER_IN_NUMPY", 0 if in_numpy else 10**9)
    fb = FactBase.model_validate_json(stored.read_bytes())
    memory, kb = Knowledge(fb), load(stored)
    firsts: dict[tuple[str, str | None, bool], int] = {}
    for x in fb.quotes:
        firsts.setdefault((x.text, x.speaker, x.speech), x.id)
    for sids in (range(len(fb.sentences)), range(0, len(fb.sentences), 3), [5, 1, 3]):
        expected = sorted(
            (x.id, x.sentence)
            for x in fb.quotes
            if x.sentence in sids and firsts[(x.text, x.speaker, x.speech)] == x.id
        )
        assert kb.first_wordings(sids) == memory.first_wordings(sids) == expected
    assert 0 < len(kb.first_wordings(range(len(fb.sentences)))) < len(fb.quotes)


def _plain(stats: ActorStats) -> ActorStats:
    """The store's stats with their packed id arrays as lists, as the JSON has them."""
    return replace(stats, quotes=list(stats.quotes), sentences=list(stats.sentences))


def _postings(index: Bm25) -> list[tuple[str, list[int], list[int]]]:
    return [(t, list(index.ids[t]), list(index.tfs[t])) for t in index.terms]


def _truncate(db: Path, json: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _garbage(db: Path, json: Path) -> None:
    db.write_bytes(b"not a database at all" * 500)


def _scribble(db: Path, json: Path) -> None:
    """Overwrite pages in the middle: whole pages, so only the integrity check can tell."""
    data = bytearray(db.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 8192] = b"\xff" * 8192
    db.write_bytes(bytes(data))


def _stale(db: Path, json: Path) -> None:
    json.write_bytes(json.read_bytes().replace(b"Tokayev", b"Tokaev", 1))


def _other_format(db: Path, json: Path) -> None:
    with sqlite3.connect(db) as c:
        c.execute("UPDATE meta SET value = ? WHERE key = 'format'", (str(FORMAT + 1).encode(),))
    c.close()


def _other_schema(db: Path, json: Path) -> None:
    with sqlite3.connect(db) as c:
        c.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (b"1",))
    c.close()


def _columns_missing(db: Path, json: Path) -> None:
    columns_path(json).unlink()


def _columns_truncated(db: Path, json: Path) -> None:
    path = columns_path(json)
    path.write_bytes(path.read_bytes()[:-8])


def _columns_scribbled(db: Path, json: Path) -> None:
    """Same size, numbers changed: only the checksum can tell."""
    path = columns_path(json)
    data = bytearray(path.read_bytes())
    data[-100:-90] = b"\x7f" * 10
    path.write_bytes(bytes(data))


def _columns_of_another_build(db: Path, json: Path) -> None:
    """A whole, valid columns file from another build (its token differs)."""
    path = columns_path(json)
    data = path.read_bytes()
    at = data.index(b'"token": "') + len(b'"token": "')
    flipped = b"0" if data[at : at + 1] != b"0" else b"1"
    path.write_bytes(data[:at] + flipped + data[at + 1 :])


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_columns_missing, "corrupt or truncated"),
        (_columns_truncated, "corrupt or truncated"),
        (_columns_scribbled, "corrupt or truncated"),
        (_columns_of_another_build, "is stale"),
        (_truncate, "corrupt or truncated"),
        (_garbage, "corrupt or truncated"),
        (_scribble, "corrupt or truncated"),
        (_stale, "is stale"),
        (_other_format, "another version of C5 Brief"),
        (_other_schema, "schema version 1"),
    ],
)
def test_bad_store_is_refused_with_one_message(
    stored: Path,
    damage: Callable[[Path, Path], None],
    says: str,
    run_cli: Callable[..., object],
) -> None:
    damage(store_path(stored), stored)
    with pytest.raises(FactBaseError) as info:
        load(stored)
    message = str(info.value)
    assert says in message and "python -m bot build" in message
    result = run_cli("--factbase", str(stored), "ask", "csto")
    assert result.returncode != 0  # type: ignore[attr-defined]
    err = result.stderr.strip()  # type: ignore[attr-defined]
    assert says in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_a_touched_but_unchanged_json_still_opens_its_store(stored: Path) -> None:
    """A checkout rewrites mtimes: the digest, not the time, decides what is stale."""
    stored.write_bytes(stored.read_bytes())
    kb = load(stored)
    assert type(kb.fb) is not FactBase


def _rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        # The stamp differs (the files' mtimes); everything else is content.
        rows = {t: c.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    c.close()
    rows["meta"] = [r for r in rows["meta"] if r[0] != "factbase"]
    return rows


def test_streamed_build_writes_the_store_the_records_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's store (readers in a pool, postings flushed in many small runs) holds the
    same rows as the store made from its JSON read back whole, which the tests above check
    against the lookups derived in memory."""
    from benchmarks.generate import generate
    from bot.build import sink
    from bot.build.pipeline import PARALLEL_FROM, build_to

    monkeypatch.setattr(sink, "FLUSH", 500)
    root = generate(tmp_path / "corpus", PARALLEL_FROM + 2).root
    target = root / "knowledge" / "factbase.json"
    build_to(root, target, workers=2)
    streamed = _rows(store_path(target))
    assert len(streamed["postings"]) > 1000
    again = tmp_path / "again" / "factbase.json"
    again.parent.mkdir()
    shutil.copy(target, again)
    write_store(FactBase.model_validate_json(again.read_bytes()), again)
    assert _rows(store_path(again)) == streamed
    assert not list(target.parent.glob(".factbase*")), "scratch files left behind"


def test_a_reader_that_fails_stops_the_build_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An article that cannot be read ends the pool (no reader left waiting for room in
    the window of jobs) and leaves no scratch files, no JSON and no store."""
    from benchmarks.generate import generate
    from bot.build import pipeline
    from bot.build.pipeline import PARALLEL_FROM, build_to

    root = generate(tmp_path / "corpus", PARALLEL_FROM + 20).root
    real = pipeline.read

    def read(source, text, *args):  # type: ignore[no-untyped-def]
        if source.file.endswith("00030.txt"):
            raise RuntimeError("unreadable")
        return real(source, text, *args)

    monkeypatch.setattr(pipeline, "read", read)  # readers are forked: they see it too
    target = root / "knowledge" / "factbase.json"
    with pytest.raises(RuntimeError, match="unreadable"):
        build_to(root, target, workers=2)
    left = sorted(p.name for p in target.parent.iterdir())
    assert left == ["actors.toml", "sources.toml"], "nothing written, no scratch left"
