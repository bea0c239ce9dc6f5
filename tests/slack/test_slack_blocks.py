"""Block Kit rendering: Slack's limits, escaping, paging and the plain-text fallback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from slackfakes import buttons, dicts

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.models import ActorRef, Answer, Cited, HelpEntry, Profile, SourceCount
from bot.render.blocks import (
    HOME_BLOCKS,
    HOME_SOURCES,
    MORE,
    SHARE,
    VALUE_CHARS,
    click_value,
    escape,
    paginate,
    read_click,
    render,
    render_home,
    suggestion_query,
)
from bot.render.checks import problems

QUERIES = [
    "brief me",
    "help",
    "/brief csto",
    "/brief central asian defense alliance",
    "/actor Tokayev",
    "/actor Putin",
    "/quote Tokayev",
    "/timeline",
    "/timeline CSTO",
    "/sources",
    "/brief zzzqqq",
    "/brief <!channel>",
]
HOSTILE = ["<!channel>", "<!here>", "<@U123>", "<http://evil.example|click>", "a & b", "x>y"]


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every string Slack would show from these blocks."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return found


def cited(text: str, n: int = 0, **extra: Any) -> Cited:
    fields: dict[str, Any] = {
        "source": "000_x.txt",
        "start": n,
        "end": n + len(text),
        "text": text,
        "url": "https://example.org/a?x=1&y=2",
        "title": "A <b> title & more",
        "outlet": "Outlet",
        "date": "Aug 2024",
        "url_verified": True,
    }
    return Cited(**{**fields, **extra})


def big_answer(passages: int, length: int) -> Answer:
    words = ("Tokayev proposed a regional security pact; <!channel> & partners agreed. " * 400)[
        :length
    ]
    return Answer(
        kind="brief",
        query="/brief pact",
        heading="Briefing: pact",
        passages=[cited(f"{i} {words}", i) for i in range(passages)],
        related=[
            ActorRef(id=f"a{i}", name=f"Actor {i}", kind="person", aliases=[]) for i in range(30)
        ],
        notes=["A note."] * 3,
        suggestions=["/actor Tokayev", "/sources"],
    )


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<!channel>", "&lt;!channel&gt;"),
        ("<!here>", "&lt;!here&gt;"),
        ("<@U123>", "&lt;@U123&gt;"),
        ("<http://evil|click>", "&lt;http://evil|click&gt;"),
        ("a & b", "a &amp; b"),
        ("&lt;", "&amp;lt;"),
        ("plain", "plain"),
    ],
)
def test_escape(raw: str, shown: str) -> None:
    assert escape(raw) == shown


@pytest.mark.parametrize("query", QUERIES)
def test_every_real_answer_fits_slack(kb: Knowledge, query: str) -> None:
    ans = answer(kb, query)
    for page in range(len(paginate(ans))):
        reply = render(ans, page=page, restate=True, shareable=True)
        blocks = dicts(reply.blocks)
        assert blocks
        assert problems(blocks, reply.text) == []
        assert reply.text.strip()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_escaped_everywhere(hostile: str) -> None:
    ans = Answer(
        kind="not_found",
        query=f"/brief {hostile}",
        heading=f"No match for {hostile}",
        passages=[cited(f"He said {hostile}", speaker=hostile, outlet=hostile)],
        notes=[hostile],
        suggestions=[f"/actor {hostile}"],
        age=hostile,
    )
    reply = render(ans, question=f"/brief {hostile}", restate=True, shareable=True)
    shown = "\n".join([*texts(dicts(reply.blocks)), reply.text])
    if "<" in hostile:
        assert hostile not in shown
    assert escape(hostile) in shown
    assert escape(hostile) in reply.text


@pytest.mark.parametrize(("passages", "length"), [(1, 50), (6, 400), (30, 1200), (3, 7000)])
def test_paging_keeps_every_passage_whole_and_in_order(passages: int, length: int) -> None:
    ans = big_answer(passages, length)
    pages = paginate(ans)
    assert [c for page in pages for c in page] == ans.passages
    for page, content in enumerate(pages):
        reply = render(ans, page=page, restate=True, shareable=True)
        blocks = dicts(reply.blocks)
        assert blocks
        assert problems(blocks, reply.text) == []
        quoted = " ".join(
            b["text"]["text"]
            for b in blocks
            if b["type"] == "section" and b["text"]["text"].startswith(">")
        )
        flat = " ".join(quoted.replace("> ", " ").split())
        for c in content:  # the whole passage is on its page, possibly over several sections
            assert " ".join(escape(c.text).split()) in flat


def test_more_button_carries_the_next_page_and_the_last_page_has_none() -> None:
    ans = big_answer(12, 300)
    pages = paginate(ans)
    assert len(pages) > 1
    for page in range(len(pages)):
        more = [b for b in buttons(dicts(render(ans, page=page).blocks)) if b["action_id"] == MORE]
        if page + 1 < len(pages):
            click = read_click(more[0]["value"])
            assert click is not None and (click.q, click.p) == (ans.query, page + 1)
        else:
            assert more == []


@pytest.mark.parametrize(("shareable", "has_share"), [(True, True), (False, False)])
def test_share_button_only_when_asked(shareable: bool, has_share: bool) -> None:
    shown = buttons(dicts(render(big_answer(1, 10), shareable=shareable).blocks))
    assert any(b["action_id"] == SHARE for b in shown) is has_share


@pytest.mark.parametrize(
    ("query", "suggestion", "expected"),
    [
        ("/brief zzz", "/sources", "/sources"),
        ("/brief zzz", "help", "help"),
        ("/actor Putn", "Vladimir Putin", "/actor Vladimir Putin"),
        ("free text", "CSTO", "CSTO"),
    ],
)
def test_suggestion_query(query: str, suggestion: str, expected: str) -> None:
    assert suggestion_query(query, suggestion) == expected


def test_button_value_stays_under_slack_limit_for_long_queries() -> None:
    value = click_value('"' * 900 + "x" * 100, 3)
    assert len(value) <= VALUE_CHARS
    click = read_click(value)
    assert click is not None and click.p == 3


@pytest.mark.parametrize("value", ["", "not json", '{"q": 1}', '{"q": "x", "extra": 1}'])
def test_foreign_button_values_are_refused(value: str) -> None:
    assert read_click(value) is None


@pytest.mark.parametrize(
    ("verified", "url", "expect"),
    [
        (True, "https://e.org/a", "<https://e.org/a|Outlet>"),
        (False, "https://e.org/a", "(link unverified)"),
        (True, None, "(no link)"),
    ],
)
def test_attribution_names_speaker_source_outlet_date_and_link(
    verified: bool, url: str | None, expect: str
) -> None:
    ans = Answer(
        kind="quote",
        query="/quote x",
        heading="Quotes",
        passages=[cited("Words.", speaker="Kassym-Jomart Tokayev", url=url, url_verified=verified)],
    )
    shown = "\n".join(texts(dicts(render(ans).blocks)))
    for part in (
        "Kassym-Jomart Tokayev",
        "A &lt;b&gt; title &amp; more",
        "Outlet",
        "Aug 2024",
        expect,
    ):
        assert part in shown
    assert "> Words." in shown


def test_article_text_is_verbatim_and_links_are_labelled_with_the_outlet() -> None:
    """Slack would auto-link "Oilprice.com" in a quotation unless the text is verbatim, and a
    screen reader reading "link, link, link" tells the listener nothing."""
    ans = Answer(
        kind="brief",
        query="oil",
        heading="Oil",
        passages=[cited("Oilprice.com reported it.", outlet="Oilprice.com", title="Oil & gas")],
    )
    blocks = dicts(render(ans).blocks)
    quoted = [b["text"] for b in blocks if b["type"] == "section" and "Oilprice" in str(b)]
    assert quoted and all(t.get("verbatim") is True for t in quoted)
    [attribution] = [
        e for b in blocks if b["type"] == "context" for e in b["elements"] if "— " in e["text"]
    ]
    assert attribution["verbatim"] is True
    assert "|Oilprice.com>" in attribution["text"] and "|link>" not in attribution["text"]


def test_a_link_label_without_an_outlet_is_the_title() -> None:
    ans = Answer(kind="brief", query="x", heading="X", passages=[cited("Words.", outlet="")])
    shown = "\n".join(texts(dicts(render(ans).blocks)))
    assert "|A &amp;lt;b&amp;gt; title &amp;amp; more>" not in shown  # escaped once, not twice
    assert "|A &lt;b&gt; title &amp; more>" in shown


def test_actor_profile_and_help_render_on_first_page() -> None:
    ans = Answer(
        kind="actor",
        query="/actor t",
        heading="Kassym-Jomart Tokayev",
        profile=Profile(
            role="President of Kazakhstan",
            role_evidence=cited("Tokayev, the president"),
            mentions=[SourceCount(source="s", title="T", count=3)],
            sources_count=41,
            memberships=["Kazakhstan"],
            quotes_count=2,
        ),
        help=[HelpEntry(command="/brief", example="/brief csto", description="a briefing")],
    )
    shown = "\n".join(texts(dicts(render(ans).blocks)))
    assert "President of Kazakhstan" in shown and "`/brief csto`" in shown
    assert "_T_ (3) and 40 more sources" in shown


def test_home_lists_sources_and_actors_within_limits(kb: Knowledge) -> None:
    blocks = dicts(render_home(kb.fb.sources, kb.fb.actors))
    assert blocks
    assert problems(blocks, "", max_blocks=HOME_BLOCKS) == []
    shown = "\n".join(texts(blocks))
    for source in kb.fb.sources:
        assert escape(source.title) in shown and escape(source.outlet) in shown
    for actor in kb.fb.actors:
        assert escape(actor.name) in shown


def test_home_of_a_large_library_still_lists_the_actors(kb: Knowledge) -> None:
    """Thousands of sources: the Home tab lists the first few and says how many more, and the
    actors and examples still fit in Slack's 100 blocks."""
    many = [
        s.model_copy(update={"title": f"{s.title} {i}"}) for i in range(800) for s in kb.fb.sources
    ]
    blocks = dicts(render_home(many, kb.fb.actors))
    assert problems(blocks, "", max_blocks=HOME_BLOCKS) == []
    shown = "\n".join(texts(blocks))
    assert f"Sources ({len(many)})" in shown
    assert f"and {len(many) - HOME_SOURCES:,} more" in shown and "/sources" in shown
    assert escape(many[0].title) in shown and escape(many[-1].title) not in shown
    assert all(escape(a.name) in shown for a in kb.fb.actors) and "`/brief csto`" in shown


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(0, 40),
    text=st.text(min_size=1, max_size=4000),
    notes=st.lists(st.text(max_size=500), max_size=8),
    heading=st.text(max_size=300),
)
def test_any_answer_fits_and_escapes(n: int, text: str, notes: list[str], heading: str) -> None:
    ans = Answer(
        kind="brief",
        query="/brief " + text[:50],
        heading=heading,
        passages=[cited(text, i) for i in range(n)],
        notes=notes,
    )
    for page in range(len(paginate(ans))):
        reply = render(ans, page=page, restate=True, shareable=True)
        blocks = dicts(reply.blocks)
        assert blocks
        assert problems(blocks, reply.text) == []
        assert "<!" not in json.dumps([t for t in texts(blocks) if "<http" not in t])
        assert "<" not in reply.text and reply.text.strip()


# --- graded answers and passages in context --------------------------------------------------


def test_not_directly_answered_says_so_before_the_nearest_passages(kb: Knowledge) -> None:
    result = answer(kb, "what did kirsanov say about the economy of japan")
    assert result.grade == "not_directly" and result.passages
    shown = texts(dicts(render(result).blocks))
    note = next(i for i, t in enumerate(shown) if result.notes[0][:40] in t)
    first_passage = next(i for i, t in enumerate(shown) if t.startswith(">"))
    assert shown[0] == result.heading and note < first_passage


def test_declined_answer_shows_no_passage(kb: Knowledge) -> None:
    result = answer(kb, "who is the pope")
    assert result.grade == "declined"
    assert not [t for t in texts(dicts(render(result).blocks)) if t.startswith(">")]


def test_context_passage_marks_the_matched_sentence(kb: Knowledge) -> None:
    in_context = [
        p
        for q in ("/brief csto", "/brief russia", "/brief china", "/brief taliban")
        for p in answer(kb, q).passages
        if p.focus_start is not None
    ]
    assert in_context, "no passage was shown with its context"
    p = in_context[0]
    focus = p.text[p.focus_start - p.start : p.focus_end - p.start]
    message = render(Answer(kind="brief", query="q", heading="h", passages=[p]))
    quoted = next(t for t in texts(dicts(message.blocks)) if t.startswith(">"))
    assert f"*{escape(focus)}*" in quoted
    assert quoted.replace("*", "").removeprefix("> ") == escape(p.text).replace("*", "")


def test_how_the_words_stand_is_labelled(kb: Knowledge) -> None:
    """A sentence that quotes someone, or reports them, is the article's sentence: the label
    says so, so the narrator's words are never shown as the speaker's."""
    result = answer(kb, "/quote kirsanov")
    assert {p.voice for p in result.passages} == {"quoted", "reported"}
    assert all(p.speaker == "Fedor Kirsanov" for p in result.passages)
    shown = texts(dicts(render(result).blocks))
    assert any("*Fedor Kirsanov* (reported speech)" in t for t in shown)
    assert any("*Fedor Kirsanov* (quoted)" in t for t in shown)
