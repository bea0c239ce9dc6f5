"""What holds for every answer to every question we keep (the bank and the dev sample): its
passages are verbatim seed slices with no page furniture, a speaker shown is one the fact base
attributes those words to, and the grade matches the answer's kind.

The questions are read as inputs only: nothing here knows what any of them should answer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.knowledge import Knowledge
from bot.models import Answer, Cited
from bot.render.text import QUOTED, marked
from bot.render.text import render as text
from tests.test_factbase import FURNITURE

ROOT = Path(__file__).resolve().parent.parent
BANKS = [ROOT / "tests" / "eval" / "bank.jsonl", ROOT.parent / "shared" / "eval" / "dev.jsonl"]
QUERIES = sorted(
    {
        json.loads(line)["query"]
        for bank in BANKS
        if bank.exists()
        for line in bank.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
)


def test_there_are_questions_to_check() -> None:
    assert len(QUERIES) >= 240


def test_the_bank_is_well_formed(seed_texts: dict[str, str]) -> None:
    """Each question once (a repeat would count twice), and its evidence verbatim in the body
    of its article: never page furniture after the body (SOURCES.md)."""
    from bot.build.segment import body_end

    rows = [json.loads(line) for line in BANKS[0].read_text(encoding="utf-8").splitlines()]
    for key in ("id", "query"):
        said = [str(r[key]).lower() for r in rows]
        assert len(said) == len(set(said)), key
    for r in rows:
        assert r["answerable"] == bool(r["evidence"]), r["id"]
        for e in r["evidence"]:
            text = seed_texts[e["seed"]]
            at = text.find(e["text"])
            assert at >= 0 and at + len(e["text"]) <= body_end(text), r["id"]


def _spoken_by(kb: Knowledge, p: Cited) -> bool:
    """Whether the fact base gives words inside the passage to its speaker: a quotation
    attributed to them (which may have opened in a sentence before), or a sentence reporting
    what they said."""
    assert p.speaker_id is not None
    quoted = any(
        q.source == p.source and q.speaker == p.speaker_id and q.start < p.end and p.start < q.end
        for q in kb.fb.quotes
    )
    reported = any(
        p.start <= kb.starts[sid] < p.end and kb.fb.sentences[sid].source == p.source
        for sid in kb.reported.get(p.speaker_id, ())
    )
    return quoted or reported


def test_every_passage_is_verbatim_clean_and_rightly_attributed(
    ask: Callable[[str], Answer], kb: Knowledge, seed_texts: dict[str, str]
) -> None:
    wrong: list[str] = []
    for query in QUERIES:
        result = ask(query)
        for p in result.passages:
            if seed_texts[p.source][p.start : p.end] != p.text:
                wrong.append(f"not verbatim: {query!r} {p.key()}")
            wrong += [f"furniture {f!r}: {query!r}" for f in FURNITURE if f in p.text]
            if p.speaker_id and not _spoken_by(kb, p):
                wrong.append(f"{p.speaker_id} never said {p.key()}: {query!r}")
    assert wrong == []


def test_the_console_shows_each_passage_word_for_word(ask: Callable[[str], Answer]) -> None:
    """The console sets a passage off as a block quote and adds no quotation marks: the
    lines read back are the article's words (the matched sentence between asterisks), so a
    passage opening on the article's own mark never shows two ("““Predictably")."""
    seen = 0
    for query in QUERIES[::7]:
        result = ask(query)
        blocks: list[list[str]] = []  # each run of block-quoted lines, in order
        after_quote = False
        for line in text(result).splitlines():
            if line.startswith(QUOTED):
                if not after_quote:
                    blocks.append([])
                blocks[-1].append(line.removeprefix(QUOTED))
            after_quote = line.startswith(QUOTED)
        assert len(blocks) == len(result.passages), query
        for p, block in zip(result.passages, blocks, strict=True):
            assert " ".join(block) == " ".join(marked(p, "*").split()), query
        seen += len(blocks)
    assert seen > 0


@pytest.mark.parametrize("kind", ["not_found"])
def test_a_question_not_answered_says_so_plainly(ask: Callable[[str], Answer], kind: str) -> None:
    """Every 'not directly answered' or declined answer is graded so and says so in text; an
    answer graded 'answered' is never of that kind."""
    seen = 0
    for query in QUERIES:
        result = ask(query)
        shown = text(result)
        if result.kind == kind:
            seen += 1
            assert result.grade != "answered", query
            assert "directly" in shown or "don't answer" in shown, query
        else:
            assert result.grade == "answered", query
    assert seen > 0


_ASKS = re.compile(r"(?i)(who|what|when|where|why|how|which)\b")  # a question word opens it
# a note already follows the question ("...? I need it for a memo."): words added after it
# would go after the note, not the question, and are not tried
_NOTE_AFTER = re.compile(r"\?\s+\S[^?]*$")


def _after(wrap: Callable[[str], str]) -> Callable[[str], str]:
    """A wrapping that adds words after the question, tried where the question ends the text."""
    return lambda q: q if _NOTE_AFTER.search(q) else wrap(q)


# How people type a question they could have typed plainly: each must change no grade.
WRAPPINGS: dict[str, Callable[[str], str]] = {
    "a greeting": lambda q: f"hey, {q}",
    "a request to be told": lambda q: (  # before a question word, as people ask
        f"can you tell me {q[:1].lower()}{q[1:]}" if _ASKS.match(q) else q
    ),
    "thanks": _after(lambda q: f"{q.rstrip('?')}? thanks"),
    "sources asked for": lambda q: f"{q.rstrip('?')}, with sources",
    "a mention": lambda q: f"<@U0C5BRIEF> {q}",
    "a label before": lambda q: f"tl;dr: {q}",
    "a sentence of context before": lambda q: (
        f"I'm preparing a note for my team. {q}" if _ASKS.match(q) else q
    ),
    "where to look, before": lambda q: f"in the articles, {q[:1].lower()}{q[1:]}",
    "where to look, after": _after(lambda q: f"{q.rstrip('?')} in these articles?"),
    "a sentence of context after": _after(lambda q: f"{q.rstrip('?')}? I need it for a memo."),
    "a link pasted after": lambda q: f"{q} <https://example.org/notes>",
    "a question with no topic after": _after(
        lambda q: f"{q.rstrip('?')}? And what do the articles say?"
    ),
    # each word's first letter, also after a quotation mark ("'Is Nobody's Backyard'")
    "title case": lambda q: re.sub(r"(^|\s)(\W*)(\w)", lambda m: m[1] + m[2] + m[3].upper(), q),
}


@pytest.mark.parametrize("wrapping", list(WRAPPINGS))
def test_no_wrapping_turns_an_answer_into_not_answered(
    ask: Callable[[str], Answer], wrapping: str
) -> None:
    """A question answered as typed is answered when wrapped the way people type ("hey, ...",
    "can you tell me ...", "... thanks", "..., with sources", a mention, "tl;dr:", "in the
    articles," before or "in these articles" after, a sentence of context before or after, a
    pasted link, "... ? And what do the articles say?", Title Case): the wrapping asks
    nothing, so it must not read as a name no article uses or as someone's words asked for."""
    wrap = WRAPPINGS[wrapping]
    changed = [
        query
        for query in QUERIES
        if not query.startswith("/") and ask(query).grade == "answered"
        if ask(wrap(query)).grade != "answered"
    ]
    assert changed == []
