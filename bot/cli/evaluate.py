"""`eval FILE.jsonl`: hit@1, hit@3, MRR and declines per half and per kind, beside BM25.

A question bank is split by a stable hash of each question into a *tune* half (look at its
failures while working: `--failures tune`) and a *holdout* half (report its figures).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.core.answer import answer
from bot.core.knowledge import Knowledge

MIN_OVERLAP = 30
Half = Literal["tune", "holdout"]


class Gold(BaseModel):
    model_config = ConfigDict(extra="ignore")
    seed: str
    text: str


class Case(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    query: str
    answerable: bool
    kind: str = "?"
    evidence: list[Gold] = []

    @property
    def half(self) -> Half:
        """Stable across runs and machines: the first byte of the question's SHA-256."""
        return "tune" if hashlib.sha256(self.query.encode()).digest()[0] % 2 == 0 else "holdout"


@dataclass(frozen=True)
class Hit:
    """A returned passage."""

    source: str
    start: int
    end: int


@dataclass(frozen=True)
class Outcome:
    hits: list[Hit]
    declined: bool  # "not found", whether declined outright or "not directly answered"


Runner = Callable[[str], Outcome]


@dataclass
class Score:
    hit1: float
    hit3: float
    mrr: float
    answerable: int
    wrongly_declined: int
    unanswerable: int
    declined: int

    def row(self, name: str) -> str:
        if not self.answerable:
            return (
                f"{name:<30}{'-':>7}{'-':>7}{'-':>7}{'-':>14}"
                f"{self.declined:>8}/{self.unanswerable:<3}"
            )
        return (
            f"{name:<30}{self.hit1:>7.3f}{self.hit3:>7.3f}{self.mrr:>7.3f}"
            f"{self.wrongly_declined:>10}/{self.answerable:<3}"
            f"{self.declined:>8}/{self.unanswerable:<3}"
        )


def load_cases(path: Path) -> list[Case]:
    return [
        Case.model_validate_json(line)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def run_eval(
    kb: Knowledge,
    path: Path,
    seeds: Path,
    *,
    baseline: bool,
    failures: str | None = None,
    only: Sequence[str] = (),
) -> int:
    """`only`: id prefixes to keep, so that one set of the bank (say the questions written
    blind, `f` and `g`) is scored on its own."""
    cases = [c for c in load_cases(path) if not only or c.id.startswith(tuple(only))]
    texts = {p.name: p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")}
    runners: list[tuple[str, Runner]] = [("c5brief", lambda q: _ours(kb, q))]
    if baseline:
        runners.append(("bm25 paragraphs", _baseline(kb)))
    outcomes = {name: [run(c.query) for c in cases] for name, run in runners}
    answerable = sum(c.answerable for c in cases)
    print(f"{len(cases)} cases: {answerable} answerable, {len(cases) - answerable} unanswerable")
    halves = sorted({c.half for c in cases}, reverse=True) if len(cases) >= 60 else []
    groups: list[tuple[str, list[int]]] = [("all", list(range(len(cases))))]
    groups += [(h, [i for i, c in enumerate(cases) if c.half == h]) for h in halves]
    header = (
        f"{'system':<30}{'hit@1':>7}{'hit@3':>7}{'MRR':>7}{'ans-declined':>14}{'unans-decl':>12}"
    )
    for label, members in groups:
        print(f"\n[{label}: {len(members)} questions]")
        print(header)
        for name, _ in runners:
            picked = [cases[i] for i in members]
            print(score([outcomes[name][i] for i in members], picked, texts).row(name))
        kinds = sorted({cases[i].kind for i in members})
        if len(kinds) > 1 and label != "all":
            for kind in kinds:
                of_kind = [i for i in members if cases[i].kind == kind]
                for name, _ in runners:
                    result = score(
                        [outcomes[name][i] for i in of_kind], [cases[i] for i in of_kind], texts
                    )
                    print(result.row(f"  {kind} ({len(of_kind)}) {name[:10]}"))
    if failures:
        _print_failures(cases, outcomes["c5brief"], texts, failures)
    return 0


def score(outcomes: Sequence[Outcome], cases: Sequence[Case], texts: dict[str, str]) -> Score:
    ranks: list[int | None] = []
    declined = wrongly = unanswerable = 0
    for case, outcome in zip(cases, outcomes, strict=True):
        if not case.answerable:
            unanswerable += 1
            declined += outcome.declined
            continue
        wrongly += outcome.declined
        ranks.append(first_hit(outcome.hits, case.evidence, texts))
    n = len(ranks) or 1
    return Score(
        hit1=sum(1 for r in ranks if r is not None and r < 1) / n,
        hit3=sum(1 for r in ranks if r is not None and r < 3) / n,
        mrr=sum(1 / (r + 1) for r in ranks if r is not None) / n,
        answerable=len(ranks),
        wrongly_declined=wrongly,
        unanswerable=unanswerable,
        declined=declined,
    )


def first_hit(hits: Sequence[Hit], gold: Sequence[Gold], texts: dict[str, str]) -> int | None:
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


def _print_failures(
    cases: Sequence[Case], outcomes: Sequence[Outcome], texts: dict[str, str], half: str
) -> None:
    print(f"\nFailures ({half} half):")
    for case, outcome in zip(cases, outcomes, strict=True):
        if case.half != half:
            continue
        if case.answerable:
            rank = first_hit(outcome.hits, case.evidence, texts)
            if outcome.declined or rank is None or rank > 0:
                why = "DECLINED" if outcome.declined else f"rank={rank}"
                print(f"  {case.id} [{case.kind}] {why}: {case.query}")
        elif not outcome.declined:
            print(f"  {case.id} [{case.kind}] ANSWERED unanswerable: {case.query}")


def _ours(kb: Knowledge, query: str) -> Outcome:
    result = answer(kb, query)
    hits = [Hit(p.source, p.start, p.end) for p in result.passages]
    return Outcome(hits, result.kind == "not_found")


def _baseline(kb: Knowledge) -> Runner:
    """Plain BM25 (rank_bm25) over paragraphs with whitespace tokens: the bar to beat."""
    from rank_bm25 import BM25Okapi

    paragraphs = kb.fb.paragraphs
    index = BM25Okapi([_tokens(p.text) for p in paragraphs])

    def run(query: str) -> Outcome:
        scores = index.get_scores(_tokens(query))
        best = sorted(range(len(paragraphs)), key=lambda i: -scores[i])[:3]
        hits = [Hit(paragraphs[i].source, paragraphs[i].start, paragraphs[i].end) for i in best]
        return Outcome(hits, False)

    return run


_PUNCTUATION = ".,;:!?\"“”‘’'()"


def _tokens(text: str) -> list[str]:
    """The baseline's tokens: whitespace-split words, punctuation trimmed, lower-cased."""
    return [t for t in (w.strip(_PUNCTUATION).lower() for w in text.split()) if t]
