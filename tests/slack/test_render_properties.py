"""Property tests: whatever text users or articles hold (Slack control sequences, unmatched
quotes, emoji, right-to-left scripts), every renderer returns a message Slack accepts and that
pings nobody. `bot.render.checks.problems` is the definition of "accepts"."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slackfakes import HOSTILE_BITS, dicts

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.models import (
    Actor,
    ActorRef,
    Answer,
    Cited,
    Evidence,
    HelpEntry,
    Profile,
    Source,
    SourceCount,
    SourceInfo,
)
from bot.render import json as json_render
from bot.render import text as text_render
from bot.render.blocks import (
    HOME_BLOCKS,
    paginate,
    read_click,
    render,
    render_apology,
    render_home,
    render_plain,
    render_unreachable,
)
from bot.render.checks import control_sequences, problems, unescaped
from bot.slack.queries import command_query, free_query, replayable

hostile = st.lists(st.one_of(st.sampled_from(HOSTILE_BITS), st.text(max_size=12)), max_size=24).map(
    "".join
)
short = hostile.map(lambda t: t[:120])
USER = "UANALYST1"
ALLOWED = [f"<@{USER}>"]


def cited(text: str, n: int, speaker: str | None, meta: str, url: str | None) -> Cited:
    return Cited(
        source="000_x.txt",
        start=n,
        end=n + len(text),
        text=text,
        url=url,
        speaker=speaker,
        title=meta,
        outlet=meta[::-1],
        date=meta[:12],
        url_verified=n % 2 == 0,
        event_date=meta[:20] or None,
    )


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    meta = draw(short)
    url = draw(st.one_of(st.none(), hostile.map(lambda t: "https://e.example/" + t)))
    passages = [
        cited(draw(hostile) or "x", i, draw(st.one_of(st.none(), short)), meta, url)
        for i in range(draw(st.integers(0, 30)))
    ]
    names = draw(st.lists(short, max_size=12))
    return Answer(
        kind=draw(st.sampled_from(["brief", "actor", "quote", "timeline", "compare", "not_found"])),
        query=draw(short),
        heading=draw(hostile),
        actor=None,
        profile=draw(
            st.one_of(
                st.none(),
                st.builds(
                    Profile,
                    role=short,
                    role_evidence=st.none(),
                    mentions=st.lists(
                        st.builds(SourceCount, source=short, title=short, count=st.integers(0, 9)),
                        max_size=5,
                    ),
                    memberships=st.lists(short, max_size=5),
                    quotes_count=st.integers(0, 99),
                    sources_count=st.integers(0, 9),
                ),
            )
        ),
        passages=passages,
        # two sources side by side: any two of the passages, however long or hostile
        contrast=draw(st.sampled_from([[], passages[:2], passages[-2:]]))
        if len(passages) > 1
        else [],
        related=[
            ActorRef(id=f"a{i}", name=n, kind="person", aliases=[]) for i, n in enumerate(names)
        ],
        suggestions=draw(st.lists(short, max_size=6)),
        sources=[
            SourceInfo(
                file="f",
                title=t,
                outlet=t,
                original_outlet=None,
                author=t,
                date=t,
                date_note=t or None,
                url="https://e.example/" + t,
                url_verified=False,
                url_note=None,
            )
            for t in draw(st.lists(short, max_size=6))
        ],
        help=[
            HelpEntry(command=c, example=c, description=c)
            for c in draw(st.lists(short, max_size=6))
        ],
        notes=draw(st.lists(hostile, max_size=5)),
        age=draw(st.one_of(st.none(), short)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ans=answers(), question=hostile, query=short)
def test_any_answer_renders_within_limits_and_escaped(
    ans: Answer, question: str, query: str
) -> None:
    for page in range(len(paginate(ans))):
        for options in (
            {
                "restate": True,
                "shareable": True,
                "question": question,
                "query": query,
                "understood": question,  # a follow-up's reading names what the reader typed
            },
            {"asked_by": USER, "restate": True},
            {"asked_by": "<!channel>", "restate": True},
            {},
        ):
            message = render(ans, page=page, **options)  # type: ignore[arg-type]
            assert problems(dicts(message.blocks), message.text, allowed=ALLOWED) == []
            plain = render_plain(message)
            assert problems([], plain.text, allowed=ALLOWED) == []
    text_render.render(ans)
    json.loads(json_render.render(ans))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(short, max_size=12),
    names=st.lists(short, max_size=400),
)
def test_any_home_tab_fits_and_is_escaped(titles: list[str], names: list[str]) -> None:
    sources = [
        Source(
            id=f"s{i}",
            file=f"{i}.txt",
            title=t or "t",
            outlet=t or "o",
            author=t or "a",
            date=date(2024, 1 + i % 12, 1),
            date_precision=("day", "month", "year")[i % 3],  # type: ignore[arg-type]
            url="https://e.example/" + t,
            url_verified=bool(i % 2),
        )
        for i, t in enumerate(titles)
    ]
    kinds = ("person", "state", "organisation", "group", "outlet")
    actors = [
        Actor(
            id=f"a{i}",
            name=n or "n",
            kind=kinds[i % 5],  # type: ignore[arg-type]
            role=n or "r",
            evidence=[Evidence(seed="x", text="y")],
        )
        for i, n in enumerate(names)
    ]
    blocks = dicts(render_home(sources, actors))
    assert problems(blocks, "C5 Brief", max_blocks=HOME_BLOCKS) == []


@settings(max_examples=100, deadline=None)
@given(ref=hostile, channel=hostile, code=hostile)
def test_error_messages_are_escaped(ref: str, channel: str, code: str) -> None:
    apology = render_apology(ref)
    assert problems(dicts(apology.blocks), apology.text) == []
    note = render_unreachable(channel, code)
    assert problems(dicts(note.blocks), note.text) == []
    real = render_unreachable("C0123ABCD", code)
    assert problems(dicts(real.blocks), real.text, allowed=["<#C0123ABCD>"]) == []


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile, command=st.sampled_from(["/brief", "/actor", "/quote", "/timeline", ""]))
def test_any_typed_query_is_answered_and_rendered_safely(
    kb: Knowledge, text: str, command: str
) -> None:
    """The real query router and fact base, as the listeners call them (a small fuzz run; the
    10,000-input run is benchmarks/fuzz.py)."""
    query = command_query(command, text) if command else free_query(text, "UBOT0001")
    ans = answer(kb, query)
    for page in range(len(paginate(ans))):
        message = render(ans, page=page, query=replayable(query), question=text, restate=True)
        assert problems(dicts(message.blocks), message.text) == []
        for block in message.blocks:
            for button in getattr(block, "elements", None) or []:
                click = read_click(getattr(button, "value", "") or "")
                assert click is None or not control_sequences(click.q)


def test_the_checker_catches_what_it_should() -> None:
    """The property tests are only as good as this: it must flag raw markup and over-limits."""
    assert unescaped("hello <!channel>") and unescaped("a & b") and unescaped("x > y")
    assert not unescaped("> quoted &amp; &lt;safe&gt; <https://e.org/a|link>")
    assert not unescaped("<@U1234> asked", ["<@U1234>"]) and unescaped("<@U1234> asked")
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}
    assert problems([section], "t") and problems([section] * 51, "t")
    field = {"type": "mrkdwn", "text": "f"}
    assert not problems([{"type": "section", "fields": [field] * 2}], "t")
    assert problems([{"type": "section", "fields": [field] * 11}], "t")
    assert problems([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}], "t")
    assert problems([{"type": "section"}], "t")
    button = {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "value": "v"}
    assert problems([{"type": "actions", "elements": [button]}], "t")
