"""`eval FILE.jsonl`: hit@1, hit@3, MRR and declines, beside a plain BM25 baseline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.core.answer import answer
from bot.core.knowledge import Knowledge

MIN_OVERLAP = 30


class Gold(BaseModel):
    model_config = ConfigDict(extra="ignore")
    seed: str
    text: str


class Case(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    query: str
    answerable: bool
    evidence: list[Gold] = []


@dataclass(frozen=True)
class Hit:
    """A returned passage (or none, when declined)."""

    source: str
    start: int
    end: int


Runner = Callable[[str], tuple[list[Hit], bool]]


@dataclass
class Score:
    name: str
    hit1: float
    hit3: float
    mrr: float
    declined: str
    wrongly_declined: int


def run_eval(kb: Knowledge, path: Path, seeds: Path, *, baseline: bool) -> int:
    cases = [
        Case.model_validate_json(line)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    texts = {p.name: p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")}
    runners: list[tuple[str, Runner]] = [("c5brief", lambda q: _ours(kb, q))]
    if baseline:
        runners.append(("bm25 paragraphs (baseline)", _baseline(kb)))
    scores = [score(name, run, cases, texts) for name, run in runners]
    answerable = sum(c.answerable for c in cases)
    print(f"{len(cases)} cases: {answerable} answerable, {len(cases) - answerable} unanswerable")
    print(f"{'system':<28}{'hit@1':>7}{'hit@3':>7}{'MRR':>7}{'declined':>10}{'wrong-decl':>12}")
    for s in scores:
        print(
            f"{s.name:<28}{s.hit1:>7.3f}{s.hit3:>7.3f}{s.mrr:>7.3f}{s.declined:>10}"
            f"{s.wrongly_declined:>12}"
        )
    return 0


def score(name: str, run: Runner, cases: Sequence[Case], texts: dict[str, str]) -> Score:
    ranks: list[int | None] = []
    declined = 0
    wrongly = 0
    unanswerable = 0
    for case in cases:
        hits, was_declined = run(case.query)
        if not case.answerable:
            unanswerable += 1
            declined += was_declined
            continue
        wrongly += was_declined
        ranks.append(_first_hit(hits, case.evidence, texts))
    n = len(ranks) or 1
    return Score(
        name=name,
        hit1=sum(1 for r in ranks if r is not None and r < 1) / n,
        hit3=sum(1 for r in ranks if r is not None and r < 3) / n,
        mrr=sum(1 / (r + 1) for r in ranks if r is not None) / n,
        declined=f"{declined}/{unanswerable}",
        wrongly_declined=wrongly,
    )


def _first_hit(hits: Sequence[Hit], gold: Sequence[Gold], texts: dict[str, str]) -> int | None:
    spans = []
    for g in gold:
        at = texts.get(g.seed, "").find(g.text)
        if at >= 0:
            spans.append((g.seed, at, at + len(g.text)))
    for rank, hit in enumerate(hits):
        for seed, start, end in spans:
            need = min(MIN_OVERLAP, end - start)
            if hit.source == seed and min(hit.end, end) - max(hit.start, start) >= need:
                return rank
    return None


def _ours(kb: Knowledge, query: str) -> tuple[list[Hit], bool]:
    result = answer(kb, query)
    return [Hit(p.source, p.start, p.end) for p in result.passages], result.kind == "not_found"


def _baseline(kb: Knowledge) -> Runner:
    """Plain BM25 (rank_bm25) over paragraphs with whitespace tokens: the bar to beat."""
    from rank_bm25 import BM25Okapi

    paragraphs = kb.fb.paragraphs
    index = BM25Okapi([_tokens(p.text) for p in paragraphs])

    def run(query: str) -> tuple[list[Hit], bool]:
        scores = index.get_scores(_tokens(query))
        best = sorted(range(len(paragraphs)), key=lambda i: -scores[i])[:3]
        return [
            Hit(paragraphs[i].source, paragraphs[i].start, paragraphs[i].end) for i in best
        ], False

    return run


_PUNCTUATION = ".,;:!?\"“”‘’'()"


def _tokens(text: str) -> list[str]:
    """The baseline's tokens: whitespace-split words, punctuation trimmed, lower-cased."""
    return [t for t in (w.strip(_PUNCTUATION).lower() for w in text.split()) if t]
