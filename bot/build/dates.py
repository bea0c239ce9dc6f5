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


def when(sentence: str, published: date, occasions: list[Occasion]) -> Dated | None:
    """What the sentence dates: the date it gives, or the occasion it happens at when that one
    is known more precisely ("during the 2022 St. Petersburg Economic Forum": June 2022, as
    another article dates the forum, rather than 2022)."""
    found = find(sentence, published)
    at = occasion(sentence, occasions)
    if at is None or (found is not None and not _refines(at, found)):
        return found
    return at


def _refines(finer: Dated, coarser: Dated) -> bool:
    """A more precise date inside the other's year (and month, when that is known)."""
    if RANK[finer.precision] >= RANK[coarser.precision] or finer.date.year != coarser.date.year:
        return False
    return coarser.precision == "year" or finer.date.month == coarser.date.month


# Words that put what a sentence tells at an occasion: "At the ... Summit, he said", "disagreeing
# with Putin during the ... Forum", "attended the meeting of ...". Not "a month after the summit",
# nor "what was said at the Astana summit" (a sentence about the summit, not at it).
_OPENS_AT = r"^\W*(?:at|during)\s+"
_PRESENT_AT = r"\b(?:" + "|".join(sorted(WORDS.presence_words)) + r")\s+"


def occasion(sentence: str, occasions: list[Occasion]) -> Dated | None:
    """A curated occasion the sentence opens at or tells of someone present at: its date."""
    for o in occasions:
        for name in o.names:
            named = rf"(?:the\s+)?{re.escape(name)}\b"
            if re.search(rf"(?i)(?:{_OPENS_AT}|{_PRESENT_AT}){named}", sentence):
                return Dated(name, o.date, o.precision, False)
    return None
