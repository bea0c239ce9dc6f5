"""What analysts ask next: where the articles differ, when words were said, whole timelines,
and the line every answer opens with."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.build import curation
from bot.core import messages
from bot.core.cite import date_label, event_label, inside_reported_words
from bot.core.knowledge import Knowledge
from bot.core.stance import leaning
from bot.models import Answer
from bot.render.blocks import MORE, paginate, read_click, render
from bot.render.checks import problems
from bot.render.json import to_contract
from bot.render.text import render as text

Ask = Callable[[str], Answer]
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "query", ["/compare china russia", "how do the articles differ on the taliban threat?"]
)
def test_perspectives_cover_each_source_that_speaks_and_name_the_silent(
    ask: Ask, kb: Knowledge, query: str
) -> None:
    result = ask(query)
    assert result.kind == "compare"
    speaking = list(dict.fromkeys(p.source for p in result.passages))
    # one block per source, each passage under the source it comes from
    blocks = [
        p.source
        for i, p in enumerate(result.passages)
        if i == 0 or result.passages[i - 1].source != p.source
    ]
    assert blocks == speaking
    silent = [s.title for s in kb.fb.sources if s.file not in speaking]
    assert all(any(t in n for n in result.notes) for t in silent)
    assert result.bottom_line and result.bottom_line.startswith(f"{len(speaking)} of 5 sources")
    shown = text(result)
    for f in speaking:
        assert f"## {kb.sources[f].outlet} — {kb.sources[f].author}" in shown


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("the diplomat vs oilprice on the csto", "002_3339d7c86b7f98c3.txt"),
        ("oilprice vs the diplomat on the csto", "004_3b8bc09f36a11ea2.txt"),
    ],
)
def test_a_comparison_of_named_sources_lists_them_in_the_order_named(
    ask: Ask, query: str, first: str
) -> None:
    """ "A vs B": A's block first, whichever speaks more to the topic."""
    result = ask(query)
    assert result.kind == "compare"
    assert result.passages[0].source == first
    assert {p.source for p in result.passages} >= {
        "002_3339d7c86b7f98c3.txt",
        "004_3b8bc09f36a11ea2.txt",
    }


def test_quote_carries_when_it_was_said_beside_the_article_date(ask: Ask) -> None:
    result = ask("/quote putin")
    dated = [p for p in result.passages if p.said_date]
    assert dated, "no quotation of Putin carries the date it was said"
    for p in dated:
        assert p.said_date != p.date  # "Feb 2024" said, in an article of "19 Aug 2024"
    assert f"said {dated[0].said_date}" in text(result)


def test_statement_date_comes_from_the_text_not_the_article(ask: Ask) -> None:
    said = {p.said_date for p in ask("/quote putin").passages}
    article = {p.date for p in ask("/quote putin").passages}
    assert said - {None} and not (said & article)


def test_a_quote_said_at_a_named_occasion_carries_its_date(ask: Ask) -> None:
    """ "At the ... Summit in Astana, he said: ..." is dated by the summit, which the articles
    date elsewhere (knowledge/occasions.toml), not by the article it is read in."""
    occasions = curation.load(ROOT / "knowledge", ROOT / "seeds").occasions
    result = ask("/quote putin")
    at = [
        (p, o)
        for p in result.passages
        for o in occasions
        if any(re.match(rf"At the {re.escape(n)}\b", p.focus()) for n in o.names)
    ]
    assert at, "no quotation of Putin opens at a named occasion"
    for p, o in at:
        assert p.said_date == event_label(o.date.isoformat(), o.precision)
        assert p.said_date != p.date
        assert f"said {p.said_date}" in text(result)


@pytest.mark.parametrize(
    ("sentence", "expression", "inside"),
    [
        ("Mardan claimed that the CSTO had saved him in January 2022.", "January 2022", True),
        ("He said: “We met in March 2021 and agreed.”", "March 2021", True),
        ("In February, Putin said that Russia was ready.", "February", False),
        ("In an August 14 article, Komilov wrote that it was so.", "August 14", False),
        ("Putin said on Tuesday that Russia was ready.", "Tuesday", False),
    ],
)
def test_a_dateinside_reported_words_is_not_when_they_were_said(
    sentence: str, expression: str, inside: bool
) -> None:
    assert inside_reported_words(sentence, expression) is inside


def test_whole_timeline_pages_to_its_last_event(ask: Ask, kb: Knowledge) -> None:
    result = ask("/timeline")
    assert len(result.passages) == len(kb.dated)
    first, last = result.passages[0].event_date, result.passages[-1].event_date
    assert result.bottom_line == f"{len(kb.dated)} events, {first} to {last}"
    pages = paginate(result)
    assert len(pages) > 1
    seen = []
    page = 0
    while True:
        message = render(result, page=page)
        seen += pages[page]
        more = [
            e["value"]
            for b in message.blocks
            if b.type == "actions"
            for e in b.to_dict()["elements"]
            if e["action_id"] == MORE
        ]
        if not more:
            break
        click = read_click(more[0])
        assert click is not None and click.p == page + 1
        page = click.p
    assert seen == result.passages  # every event shown once, the last on the last page


def test_when_question_leads_with_the_answer_then_date_order(ask: Ask) -> None:
    result = ask("when did Russia invade Ukraine?")
    assert result.kind == "timeline"
    whole = [(p.source, p.focus_start or p.start) for p in ask("/timeline").passages]
    order = [whole.index((p.source, p.focus_start or p.start)) for p in result.passages[1:]]
    assert order and order == sorted(order)


@pytest.mark.parametrize("query", ["/brief csto members", "/actor toqaev", "/compare china russia"])
def test_answers_open_with_a_bottom_line(ask: Ask, kb: Knowledge, query: str) -> None:
    result = ask(query)
    line = result.bottom_line or ""
    match = re.search(r"(\d) of 5 sources", line)
    assert match, line
    files = {p.source for p in result.passages}
    if result.kind != "actor":
        assert int(match.group(1)) == len(files)
    dates = sorted(kb.sources[f].date for f in files)
    assert date_label(next(s for s in kb.fb.sources if s.date == dates[0])) in line
    assert text(result).splitlines()[2] == line  # right under the heading


@pytest.mark.parametrize("query", ["/compare defense union", "/compare kazakhstan proposal"])
def test_sources_leaning_opposite_ways_are_shown_side_by_side(ask: Ask, query: str) -> None:
    result = ask(query)
    against, for_ = sorted(result.contrast, key=lambda c: leaning(c.focus()))
    assert leaning(against.focus()) < 0 < leaning(for_.focus())
    assert against.source != for_.source
    assert all(c in result.passages for c in result.contrast)  # cited below as well
    message = render(result)
    blocks = [b.to_dict() for b in message.blocks]
    assert problems(blocks, message.text) == []  # within Slack's limits, fields included
    fields = [b.get("fields") for b in blocks if b.get("fields")]
    assert len(fields) == 1 and len(fields[0]) == 2
    for field, c in zip(fields[0], result.contrast, strict=True):
        assert c.focus() in field["text"] and c.url.split("#")[0] in field["text"]
        assert len(field["text"]) <= 2000  # Slack's limit for a field
    shown = text(result)
    assert messages.CONTRAST_HEADING in shown
    assert all(c.url in shown for c in result.contrast)
    assert [c["text"] for c in to_contract(result)["contrast"]] == [c.text for c in result.contrast]


# "/compare sco": Xi's "jointly oppose external interference" takes no side on the SCO;
# "/compare eurasian security": "detrimental to the CSTO's cohesiveness" judges no plan.
@pytest.mark.parametrize(
    "query", ["/compare china russia", "/compare sco", "/compare eurasian security"]
)
def test_no_side_by_side_without_words_that_lean_on_the_topic(ask: Ask, query: str) -> None:
    result = ask(query)
    assert result.kind == "compare" and result.passages
    assert result.contrast == []
    assert messages.CONTRAST_HEADING not in text(result)


@pytest.mark.parametrize(
    ("sentence", "topic", "lean"),
    [
        ("The idea of a union at this stage seems premature.", (), -1),
        ("The idea of forming a union cannot be called viable.", (), -1),
        ("Uzbekistan would support the proposal.", (), 1),
        ("Uzbekistan did not support the proposal.", (), -1),
        ("The summit took place in Astana in July.", (), 0),
        # an act counts only on the topic or a plan; an effect is no stance
        ("SCO members should jointly oppose external interference.", ("sco",), 0),
        ("Russia opposed the union.", ("union",), -1),
        ("Kyrgyzstan supported the participation of many states.", ("sco",), 0),
        ("The challenges prove detrimental to the bloc.", ("bloc",), 0),
        # what follows a "but" is the stance; what comes before it is conceded
        ("The plan may look viable, but in practice it raises questions.", (), 0),
        ("The plan may look viable, but it is premature.", (), -1),
        ("But the idea cannot be called viable.", (), -1),
    ],
)
def test_which_way_a_sentence_leans(sentence: str, topic: tuple[str, ...], lean: int) -> None:
    assert leaning(sentence, topic) == lean
