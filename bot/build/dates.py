"""Find what a sentence dates and normalise it: 1991, January 2022, August 9, last week.

Dates without a year, and relative ones, are resolved against the source's own date and
marked relative, so a reader can tell a stated date from an inferred one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.lexicon import WORDS
from bot.models import Occasion, Precision

MONTHS = WORDS.months
# A month's name or its abbreviation ("Sept", "Dec."), longest first so "Sept" beats "Sep".
_MONTH = (
    r"(?P<month>"
    + "|".join(name.capitalize() for name in sorted(MONTHS, key=len, reverse=True))
    + r")\.?"
)
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_EDGE_BEFORE = r"(?<![\w-])"
_EDGE_AFTER = r"(?![\w-])"

PATTERNS: list[tuple[re.Pattern[str], Precision]] = [
    (re.compile(_EDGE_BEFORE + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+" + _YEAR + _EDGE_AFTER), "day"),
    (
        re.compile(_EDGE_BEFORE + r"(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+" + _YEAR + _EDGE_AFTER),
        "day",
    ),
    (
        re.compile(_EDGE_BEFORE + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?" + _EDGE_AFTER),
        "day",
    ),
    (re.compile(_EDGE_BEFORE + _MONTH + r",?\s+" + _YEAR + _EDGE_AFTER), "month"),
    (
        re.compile(
            r"(?i:\b(?:in|on|since|by|until|from|through|during|early|late|mid|of)\s+)(?P<expr>"
            + _MONTH
            + r")"
            + _EDGE_AFTER
        ),
        "month",
    ),
    (
        re.compile(r"(?i)\b(?:the\s+)?(?:(?:early|mid|late)[- ])?(?P<decade>1[89]\d0|20\d0)s\b"),
        "year",
    ),
    (re.compile(_EDGE_BEFORE + _YEAR + _EDGE_AFTER), "year"),
    (re.compile(r"(?i)\b(?P<shift>last|next|this)\s+(?P<unit>week|month|year)\b"), "month"),
]
RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class Dated:
    expression: str
    date: date
    precision: Precision
    relative: bool


def find(sentence: str, published: date) -> Dated | None:
    """The most precise date the sentence gives (the first, among equals)."""
    found: list[tuple[int, int, Dated]] = []
    for pattern, precision in PATTERNS:
        for match in pattern.finditer(sentence):
            begin = match.start("expr") if match.groupdict().get("expr") else match.start()
            if any(s <= begin < e for s, e, _ in found):
                continue
            dated = _normalise(match, precision, published)
            if dated is not None:
                found.append((begin, match.end(), dated))
    if not found:
        return None
    return min(found, key=lambda f: (RANK[f[2].precision], f[0]))[2]


def _normalise(match: re.Match[str], precision: Precision, published: date) -> Dated | None:
    groups = match.groupdict()
    text = groups.get("expr") or match.group()
    if groups.get("shift"):
        return _relative(text, groups["shift"].lower(), groups["unit"].lower(), published)
    if groups.get("decade"):
        return Dated(text, date(int(groups["decade"]), 1, 1), "year", False)
    year = int(groups["year"]) if groups.get("year") else None
    month = MONTHS[groups["month"].lower()] if groups.get("month") else 1
    day = int(groups["day"]) if groups.get("day") else 1
    try:
        when = date(year or published.year, month, day)
    except ValueError:
        return None
    return Dated(text, when, precision, year is None)


def _relative(text: str, shift: str, unit: str, published: date) -> Dated:
    step = {"last": -1, "this": 0, "next": 1}[shift]
    if unit == "year":
        return Dated(text, date(published.year + step, 1, 1), "year", True)
    if unit == "week":
        return Dated(text, date(published.year, published.month, 1), "month", True)
    months = published.year * 12 + published.month - 1 + step
    return Dated(text, date(months // 12, months % 12 + 1, 1), "month", True)


def occasion(sentence: str, occasions: list[Occasion]) -> Dated | None:
    """A sentence that gives no date but opens at a curated occasion ("At the Shanghai
    Cooperation Organization Summit in Astana, he said"): the occasion's date. Only there: "a
    month after the summit" names it without happening at it."""
    for o in occasions:
        for name in o.names:
            if re.match(rf"(?i)(?:at|during)\s+(?:the\s+)?{re.escape(name)}\b", sentence):
                return Dated(name, o.date, o.precision, False)
    return None
