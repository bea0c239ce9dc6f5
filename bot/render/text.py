"""Readable plain text for the console and for `ask`."""

from __future__ import annotations

import itertools
import textwrap

from bot.core import messages
from bot.models import Answer, Cited

WIDTH = 88
GUTTER = " | "
OPENING_MARKS = "“‘\"'"
CLOSING_MARKS = "”’\"'"
QUOTED = "   > "  # a passage's lines: verbatim words, set off as a block quote
# How a passage holds the speaker's words: the bare quotation needs no label.
VOICES = {"quoted": " (quoted)", "reported": " (reported speech)"}


def render(answer: Answer) -> str:
    lines = [answer.heading, "=" * min(len(answer.heading), WIDTH)]
    if answer.bottom_line:
        lines.append(_wrap(answer.bottom_line))
    shown = answer.items()
    if answer.page.paged(shown):
        at = answer.page
        lines.append(messages.showing(at.start + 1, at.start + shown, at.total))
    lines += [_wrap(n) for n in answer.notes]
    if answer.profile:
        p = answer.profile
        lines.append(f"Role: {p.role}")
        if answer.actor and answer.actor.aliases:
            lines.append(_wrap("Also named: " + ", ".join(answer.actor.aliases)))
        if p.memberships:
            lines.append(_wrap("Affiliations: " + "; ".join(p.memberships)))
        if p.mentions:
            lines.append(
                _wrap(
                    "Mentioned in: "
                    + "; ".join(f"{m.title} ({m.count})" for m in p.mentions)
                    + messages.more_sources(p.unlisted_sources)
                )
            )
    lines += _contrast(answer.contrast)
    source = None
    for i, passage in enumerate(answer.passages, start=answer.page.start + 1):
        if answer.kind == "compare" and passage.source != source:
            source = passage.source
            lines += ["", f"## {source_header(passage)}"]
        lines += ["", *_passage(i, passage)]
    for info in answer.sources:
        verified = "" if info.url_verified else " (link unverified)"
        lines += [
            "",
            f"- {info.title}",
            f"  {info.outlet}; {info.author}; {info.date}",
            f"  {info.url}{verified}",
        ]
    for entry in answer.help:
        lines += [f"  {entry.command:<28} {entry.description}", f"  {'':<28} e.g. {entry.example}"]
    if answer.related:
        lines += ["", _wrap("Related: " + ", ".join(r.name for r in answer.related))]
    if answer.suggestions:
        lines += ["", "Try: " + " | ".join(answer.suggestions)]
    if answer.age:
        lines += ["", f"({answer.age})"]
    return "\n".join(lines)


def _passage(i: int, p: Cited) -> list[str]:
    """A numbered passage as a block quote, as Slack shows it: no quotation marks added
    around words that often carry the article's own ("“Predictably, …,” Kirsanov wrote.")."""
    when = f"[{p.event_date}] " if p.event_date else ""
    said = speaker_label(p) if p.speaker else ""
    head = f"{i}. {when}{said}".rstrip()
    body = [  # each of the passage's own lines ("Name", then "Role at ...") wrapped alone
        wrapped
        for line in marked(p, "*").split("\n")
        for wrapped in textwrap.wrap(line, WIDTH - len(QUOTED), break_on_hyphens=False)
    ]
    verified = "" if p.url_verified else " (link unverified)"
    cite = f"   — {p.title}, {p.outlet}, {p.date}{verified}"
    return [
        head,
        *(QUOTED + line for line in body),
        textwrap.fill(cite, WIDTH, subsequent_indent="     "),
        f"     {p.url}",
    ]


def _contrast(pair: list[Cited]) -> list[str]:
    """Two sources leaning opposite ways, in two columns: each one's matched sentence, verbatim."""
    if len(pair) != 2:
        return []
    width = (WIDTH - len(GUTTER)) // 2
    columns = [
        [*textwrap.wrap(source_header(c), width), "", *textwrap.wrap(quoted(c.focus()), width)]
        for c in pair
    ]
    rows = itertools.zip_longest(*columns, fillvalue="")
    links = [
        f"{side}: {c.url}" + ("" if c.url_verified else " (link unverified)")
        for side, c in zip(("left", "right"), pair, strict=True)
    ]
    return [
        "",
        messages.CONTRAST_HEADING,
        *(f"{a:<{width}}{GUTTER}{b}".rstrip() for a, b in rows),
        *links,
    ]


def quoted(words: str) -> str:
    """Verbatim words between quotation marks, adding neither mark where the words already
    open or close with one (no "““…””")."""
    opening = "" if words[:1] in OPENING_MARKS else "“"
    closing = "" if words[-1:] in CLOSING_MARKS else "”"
    return f"{opening}{words}{closing}"


def _wrap(text: str) -> str:
    return textwrap.fill(text, WIDTH)


def marked(p: Cited, mark: str) -> str:
    """The passage with the sentence that matched between `mark`s, when context is shown."""
    if p.focus_start is None or p.focus_end is None:
        return p.text
    a, b = p.focus_start - p.start, p.focus_end - p.start
    return f"{p.text[:a]}{mark}{p.text[a:b]}{mark}{p.text[b:]}"


def speaker_label(p: Cited) -> str:
    """'Vladimir Putin (quoted), said Feb 2024': who, how, and when the words were said."""
    label = f"{p.speaker}{VOICES.get(p.voice or '', '')}"
    return f"{label}, said {p.said_date}" if p.said_date else label


def source_header(p: Cited) -> str:
    """A perspective's heading: outlet, author and date of the article."""
    return f"{p.outlet} — {p.author}, {p.date}" if p.author else f"{p.outlet}, {p.date}"
