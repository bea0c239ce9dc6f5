"""The curator's report: what the log says the articles are missing.

Questions not answered (grouped when they ask the same thing), answers marked 👎 with their
comments, the most asked topics and actors, names asked about that no article uses, and the
build's own list of names that match no actor. Every figure is a count over `since`..`until`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.core.knowledge import Knowledge
from bot.core.question import read as question
from bot.core.text import fold, terms
from bot.core.unknown import unknown_names
from bot.querylog.grade import GRADES
from bot.querylog.store import Store

TOP = 10
_SINCE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": 60, "h": 3600, "d": 86_400, "w": 7 * 86_400}
_COMMAND = re.compile(r"^/[a-z]+\s*")


def parse_since(text: str) -> float:
    """`7d`, `24h`, `30m` or `2w` as seconds; ValueError for anything else."""
    found = _SINCE.match(text)
    if found is None:
        raise ValueError(f"--since takes a number and m, h, d or w (e.g. 7d), not {text!r}")
    return int(found.group(1)) * _UNITS[found.group(2)]


@dataclass
class Counted:
    label: str
    count: int
    detail: str = ""


@dataclass
class Disliked:
    query: str
    kind: str
    votes: int
    comments: list[str] = field(default_factory=list)


@dataclass
class Report:
    since: float
    until: float
    questions: int
    grades: dict[str, int]
    surfaces: dict[str, int]
    unanswered: list[Counted]
    disliked: list[Disliked]
    thumbs_up: int
    thumbs_down: int
    topics: list[Counted]
    actors: list[Counted]
    unknown_names: list[Counted]
    unmatched_names: list[Counted]


def topic_key(query: str) -> str:
    """What a question asks, for grouping: its content terms (stemmed, folded, sorted), without
    the slash command, so "/brief CSTO?" and "what about the csto" meet."""
    rest = _COMMAND.sub("", query.strip())
    found = sorted(set(terms(rest)))
    return " ".join(found) if found else fold(rest).strip()


def build(store: Store, kb: Knowledge, since: float, until: float | None = None) -> Report:
    until = time.time() if until is None else until
    rows = [r for r in store.queries_since(since) if r["at"] <= until]
    votes = [v for v in store.feedback_since(since) if v["at"] <= until]
    asked = [r for r in rows if r["kind"] != "help"]
    unanswered = _groups([r for r in asked if r["grade"] != "answered"], detail=True)
    actors: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    shown: dict[str, str] = {}
    read: dict[str, tuple[set[str], list[str]]] = {}  # a log repeats its questions
    for row in asked:
        if row["query"] not in read:
            q = question(kb, row["query"])  # as the answer engine read it
            read[row["query"]] = (set(q.actors), unknown_names(kb, q))
        named, names = read[row["query"]]
        named = named | ({row["actor"]} if row["actor"] else set())
        actors.update(kb.actors[a].name for a in named if a in kb.actors)
        for name in names:
            key = fold(name)
            shown.setdefault(key, name)
            unknown[key] += 1
    return Report(
        since=since,
        until=until,
        questions=len(rows),
        grades={g: sum(r["grade"] == g for r in rows) for g in GRADES},
        surfaces=dict(Counter(r["surface"] for r in rows).most_common()),
        unanswered=unanswered,
        disliked=_disliked(votes),
        thumbs_up=sum(v["vote"] == "up" for v in votes),
        thumbs_down=sum(v["vote"] == "down" for v in votes),
        topics=_groups(asked)[:TOP],
        actors=[Counted(name, n) for name, n in actors.most_common(TOP)],
        unknown_names=[Counted(shown[k], n) for k, n in unknown.most_common(TOP)],
        unmatched_names=[
            Counted(name, n)
            for name, n in sorted(kb.fb.report.unmatched_names.items(), key=lambda i: -i[1])
        ][:TOP],
    )


def _groups(rows: list[dict[str, Any]], detail: bool = False) -> list[Counted]:
    """Rows grouped by topic_key, most asked first, each shown by its most common wording."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[topic_key(row["query"])].append(row)
    found = []
    for members in groups.values():
        wordings = Counter(r["query"] for r in members).items()
        wording = min(wordings, key=lambda w: (-w[1], w[0]))[0]  # most common; ties: A to Z
        grades = Counter(r["grade"] for r in members)
        note = ", ".join(f"{g.replace('_', ' ')} {grades[g]}" for g in GRADES if grades[g])
        found.append(Counted(wording, len(members), note if detail else ""))
    return sorted(found, key=lambda c: (-c.count, c.label))


def _disliked(votes: list[dict[str, Any]]) -> list[Disliked]:
    by_answer: dict[str, Disliked] = {}
    for vote in votes:
        if vote["vote"] != "down":
            continue
        item = by_answer.setdefault(
            vote["query_id"],
            Disliked(vote["query"] or "(not in the log)", vote["kind"] or "?", 0),
        )
        item.votes += 1
        if vote["comment"]:
            item.comments.append(vote["comment"])
    return sorted(by_answer.values(), key=lambda d: (-d.votes, d.query))


# --- output ----------------------------------------------------------------------------------


def as_json(report: Report) -> str:
    return json.dumps(asdict(report), indent=2, ensure_ascii=False)


def as_csv(report: Report) -> str:
    """One row per figure: section, label, count, detail."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "label", "count", "detail"])
    writer.writerow(["questions", "all", report.questions, ""])
    for grade, n in report.grades.items():
        writer.writerow(["grades", grade, n, ""])
    for surface, n in report.surfaces.items():
        writer.writerow(["surfaces", surface, n, ""])
    for section in ("unanswered", "topics", "actors", "unknown_names", "unmatched_names"):
        for item in getattr(report, section):
            writer.writerow([section, item.label, item.count, item.detail])
    writer.writerow(["feedback", "up", report.thumbs_up, ""])
    writer.writerow(["feedback", "down", report.thumbs_down, ""])
    for item in report.disliked:
        writer.writerow(["disliked", item.query, item.votes, " | ".join(item.comments)])
    return out.getvalue()


def as_text(report: Report) -> str:
    start = time.strftime("%Y-%m-%d %H:%M", time.gmtime(report.since))
    end = time.strftime("%Y-%m-%d %H:%M", time.gmtime(report.until))
    grades = ", ".join(f"{g.replace('_', ' ')} {n}" for g, n in report.grades.items())
    surfaces = ", ".join(f"{s} {n}" for s, n in report.surfaces.items()) or "none"
    lines = [
        f"C5 Brief curator's report, {start} to {end} UTC",
        f"Questions: {report.questions} ({grades}); by surface: {surfaces}",
        f"Feedback: {report.thumbs_up} 👍, {report.thumbs_down} 👎",
    ]

    def section(title: str, items: list[Counted], empty: str) -> None:
        lines.extend(["", title])
        if not items:
            lines.append(f"  {empty}")
        for item in items:
            tail = f"  ({item.detail})" if item.detail else ""
            lines.append(f"  {item.count:>4}  {item.label}{tail}")

    section("Not answered (same question grouped):", report.unanswered, "none")
    lines.extend(["", "Marked 👎:"])
    if not report.disliked:
        lines.append("  none")
    for item in report.disliked:
        lines.append(f"  {item.votes:>4}  {item.query}  [{item.kind}]")
        lines.extend(f"        “{c}”" for c in item.comments)
    section("Most asked:", report.topics, "none")
    section("Actors asked about:", report.actors, "none")
    section("Names asked about that no article uses:", report.unknown_names, "none")
    section(
        "Names in the articles that match no actor (build report):", report.unmatched_names, "none"
    )
    return "\n".join(lines)
