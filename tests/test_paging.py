"""Long answers come a page at a time: every item reachable once, the total on every page.

The shipped corpus's answers fit on one page, so these tests make the pages small."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.cli.ask import run_ask
from bot.cli.console import run_console
from bot.core.answer import answer
from bot.core.answers import listing, speech, timeline
from bot.core.knowledge import Knowledge
from bot.models import Answer
from bot.render.blocks import MORE, read_click, render

SMALL = 7  # items to a page in these tests
QUERIES = ["/timeline", "brief me", "/sources", "/timeline russia", "/quote tokayev"]


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "LIST_PAGE", SMALL)
    monkeypatch.setattr(timeline, "LIST_PAGE", SMALL)
    monkeypatch.setattr(speech, "QUOTES_LIMIT", 2)


def _items(result: Answer) -> list[str]:
    return (
        [s.file for s in result.sources]
        if result.kind == "sources"
        else [p.key() for p in result.passages]
    )


def _pages(kb: Knowledge, query: str) -> Iterator[Answer]:
    result = answer(kb, query)
    yield result
    while result.page.next is not None:
        result = answer(kb, query, result.page.next)
        yield result


@pytest.mark.parametrize("query", QUERIES)
def test_the_pages_together_are_the_whole_answer(
    kb: Knowledge, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = answer(kb, query)
    assert whole.page.next is None and whole.page.total == len(_items(whole))
    monkeypatch.setattr(listing, "LIST_PAGE", 3)
    monkeypatch.setattr(timeline, "LIST_PAGE", 3)
    monkeypatch.setattr(speech, "QUOTES_LIMIT", 3)
    pages = list(_pages(kb, query))
    assert len(pages) > 1, "a page smaller than the answer"
    assert [p.page.number for p in pages] == list(range(len(pages)))
    assert {p.page.total for p in pages} == {whole.page.total}
    seen = [item for p in pages for item in _items(p)]
    assert seen == _items(whole)
    for p in pages:
        assert p.page.start == sum(len(_items(x)) for x in pages[: p.page.number])
        assert p.bottom_line == whole.bottom_line  # counts and dates the whole answer
    beyond = answer(kb, query, len(pages) + 5)  # past the end: the last page
    assert beyond.page == pages[-1].page


@pytest.mark.usefixtures("small_pages")
def test_slack_more_walks_every_page_of_the_answer(kb: Knowledge) -> None:
    """More goes through the Slack pages of one answer page, then on to the next one."""
    every = [p.key() for page in _pages(kb, "/timeline") for p in page.passages]
    shown: list[str] = []
    a, p = 0, 0
    for _ in range(100):
        message = render(answer(kb, "/timeline", a), page=p, query="/timeline")
        shown += message.shown
        blocks = [b.to_dict() for b in message.blocks]
        context = " ".join(
            e.get("text", "") for b in blocks if b["type"] == "context" for e in b["elements"]
        )
        assert f"Showing {len(shown) - len(message.shown) + 1}–{len(shown)} of 48" in context
        more = [
            e["value"]
            for b in blocks
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"] == MORE
        ]
        if not more:
            break
        click = read_click(more[0])
        assert click is not None and click.q == "/timeline"
        a, p = click.a, click.p
    assert len(every) == 48 and shown == every


def test_a_button_written_before_paging_shows_the_first_answer_page() -> None:
    click = read_click('{"q": "/timeline", "p": 2}')
    assert click is not None and (click.a, click.p) == (0, 2)


@pytest.mark.usefixtures("small_pages")
def test_ask_prints_a_page_and_says_how_to_get_the_next(
    kb: Knowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_ask(kb, "/timeline", as_json=False, page=2) == 0
    out = capsys.readouterr().out
    assert "Showing 8–14 of 48" in out
    assert "\n8. " in out and "\n15. " not in out  # numbered within the whole answer
    assert "ask --page 3" in out


@pytest.mark.usefixtures("small_pages")
def test_ask_all_json_prints_every_page_with_its_total(
    kb: Knowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_ask(kb, "/timeline", as_json=True, every=True) == 0
    pages = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [p["page"]["number"] for p in pages] == list(range(7))
    assert {p["page"]["total"] for p in pages} == {48}
    assert sum(len(p["passages"]) for p in pages) == 48


@pytest.mark.usefixtures("small_pages")
def test_console_more_shows_the_next_page(
    kb: Knowledge, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = iter(["/timeline", "more", "more", "/sources", "more"])

    def typed(prompt: str = "") -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", typed)
    assert run_console(kb) == 0
    out = capsys.readouterr().out
    for first, last in [(1, 7), (8, 14), (15, 21)]:
        assert f"Showing {first}–{last} of 48" in out
    assert "\n15. " in out and "\n22. " not in out
    # /sources fits on one page: no 'more' offered, and 'more' is then just a question
    sources = out.split("The articles C5 Brief answers from")[1]
    assert "Showing" not in sources.split("c5>")[0] and "type 'more'" not in sources
