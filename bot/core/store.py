"""Reading a large fact base fast: section by section, plus a compact index saved beside it.

factbase.json stays the reviewable record. `factbase.index` is derived from it and only saves
the load from tokenising every passage again: the search indexes' postings as flat arrays,
stamped with the SHA-256 of the JSON they were made from. A missing or stale index is ignored
(the indexes are then built from the text, as they always were), so it can never change an
answer; the build writes it, deterministically, next to the JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from bot.core.index import Bm25
from bot.core.text import actor_key, terms
from bot.models import FactBase

MAGIC = b"C5INDEX2\n"  # 2: actor keys among the terms
INDEXES = ("sentences", "paragraphs", "quotes")
_KEY = b'\n "'
SECTIONED_FROM = 4_000_000  # bytes; below this one parse is quicker than setting up eleven


def index_path(factbase: Path) -> Path:
    return factbase.with_suffix(".index")


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def parse(raw: bytes) -> FactBase:
    """FactBase.model_validate_json(raw), one top-level list at a time.

    The same validation, but only one section's parse tree is alive at once, which keeps a
    large fact base's peak memory down. Anything unexpected takes the whole-file path, so
    errors read exactly as before.
    """
    if len(raw) < SECTIONED_FROM or not raw.startswith(b"{"):
        return FactBase.model_validate_json(raw)
    starts = _sections(raw)
    if sorted(name for name, _ in starts) != sorted(FactBase.model_fields):
        return FactBase.model_validate_json(raw)
    fields: dict[str, Any] = {}
    ends = [raw.rfind(b"\n", 0, at) for _, at in starts[1:]] + [raw.rfind(b"}")]
    for (name, start), end in zip(starts, ends, strict=True):
        while raw[end - 1] in b" \n\r\t,":
            end -= 1
        annotation = FactBase.model_fields[name].annotation
        if annotation is None:
            return FactBase.model_validate_json(raw)
        try:
            fields[name] = TypeAdapter(annotation).validate_json(raw[start:end])
        except ValueError:
            return FactBase.model_validate_json(raw)
    return FactBase.model_construct(**fields)


def _sections(raw: bytes) -> list[tuple[str, int]]:
    """(key, where its value starts) for each top-level key of the indented JSON the build
    writes: a line that starts with one space and a quote. JSON strings cannot hold a raw
    newline, and nested keys are indented further, so nothing else looks like that."""
    out = []
    at = raw.find(_KEY)
    while at >= 0:
        colon = raw.find(b'": ', at + len(_KEY))
        if colon < 0:
            break
        out.append((raw[at + len(_KEY) : colon].decode(errors="replace"), colon + 3))
        at = raw.find(_KEY, colon)
    return out


def write_index(fb: FactBase, factbase: Path) -> Path:
    """Write factbase.index for the JSON at `factbase` (which must already be written)."""
    indexes = build_indexes(fb)
    header: dict[str, Any] = {"factbase_sha256": digest(factbase.read_bytes()), "indexes": []}
    blobs: list[bytes] = []
    for name, index in zip(INDEXES, indexes, strict=True):
        offsets = array("q", [0])
        ids, tfs = array("i"), array("i")
        for term in index.terms:
            ids.extend(index.ids[term])
            tfs.extend(index.tfs[term])
            offsets.append(len(ids))
        vocabulary = "\n".join(index.terms).encode()
        parts = [_le(index.lengths), _le(offsets), _le(ids), _le(tfs), vocabulary]
        header["indexes"].append({"name": name, "parts": [len(p) for p in parts]})
        blobs += parts
    head = json.dumps(header, sort_keys=True).encode()
    target = index_path(factbase)
    write_atomic(target, MAGIC + len(head).to_bytes(8, "little") + head + b"".join(blobs))
    return target


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


def build_indexes(fb: FactBase) -> tuple[Bm25, Bm25, Bm25]:
    """The three search indexes, from the text: what load does when there is no index file."""
    in_sentence: dict[int, set[str]] = defaultdict(set)
    for m in fb.mentions:
        in_sentence[m.sentence].add(m.actor)
    in_paragraph: dict[int, set[str]] = defaultdict(set)
    for s in fb.sentences:
        in_paragraph[s.paragraph] |= in_sentence.get(s.id, set())
    return (
        Bm25(tokens(s.text, in_sentence.get(s.id, ())) for s in fb.sentences),
        Bm25(tokens(p.text, in_paragraph.get(p.id, ())) for p in fb.paragraphs),
        Bm25(tokens(q.text, in_sentence.get(q.sentence, ())) for q in fb.quotes),
    )


def tokens(text: str, actors: Iterable[str]) -> list[str]:
    """A passage's terms plus one key per actor it names, however spelt (Toqaev = Tokayev)."""
    return [*terms(text), *sorted(actor_key(a) for a in actors)]


def read_index(factbase: Path, raw: bytes) -> tuple[Bm25, Bm25, Bm25] | None:
    """The saved indexes if factbase.index exists and was made from exactly these bytes."""
    path = index_path(factbase)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    try:
        return _decode(data, raw)
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # a damaged index: build the indexes from the text instead


def _decode(data: bytes, raw: bytes) -> tuple[Bm25, Bm25, Bm25] | None:
    at = len(MAGIC)
    size = int.from_bytes(data[at : at + 8], "little")
    header = json.loads(data[at + 8 : at + 8 + size])
    if header.get("factbase_sha256") != digest(raw):
        return None
    at += 8 + size
    view = memoryview(data)
    out = []
    for entry in header["indexes"]:
        parts = []
        for length in entry["parts"]:
            if at + length > len(data):
                return None
            parts.append(view[at : at + length])
            at += length
        out.append(_index(*parts))
    a, b, c = out
    return a, b, c


def _index(
    lengths_raw: memoryview,
    offsets_raw: memoryview,
    ids_raw: memoryview,
    tfs_raw: memoryview,
    vocabulary: memoryview,
) -> Bm25:
    lengths, offsets, ids, tfs = (
        _from_le(code, raw)
        for code, raw in (("i", lengths_raw), ("q", offsets_raw), ("i", ids_raw), ("i", tfs_raw))
    )
    terms = bytes(vocabulary).decode().split("\n") if len(vocabulary) else []
    by_term_ids = {}
    by_term_tfs = {}
    for i, term in enumerate(terms):
        start, end = offsets[i], offsets[i + 1]
        by_term_ids[term] = ids[start:end]
        by_term_tfs[term] = tfs[start:end]
    return Bm25.from_postings(lengths, by_term_ids, by_term_tfs)


def _le(values: array[int]) -> bytes:
    """Little-endian bytes, whatever this machine's order, so the file is portable."""
    if sys.byteorder == "little":
        return values.tobytes()
    swapped = array(values.typecode, values)
    swapped.byteswap()
    return swapped.tobytes()


def _from_le(code: str, raw: memoryview) -> array[int]:
    values = array(code)
    values.frombytes(raw)
    if sys.byteorder != "little":
        values.byteswap()
    return values
