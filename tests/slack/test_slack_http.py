"""The real `python -m bot serve` process, driven over loopback with signed requests in the shapes
Slack sends, asserting on what reached the fake Slack Web API and the response_urls."""

from __future__ import annotations

import json
import re
import statistics
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from slackfakes import (
    BOT_TOKEN,
    BOT_USER,
    FORM,
    SECRET,
    Call,
    FakeSlack,
    Server,
    answer_blocks,
    ask_slash,
    block_actions,
    button_values,
    dm,
    event_callback,
    form,
    home_opened,
    mention_event,
    settle,
    signed_headers,
    slash_command,
    unique,
)

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.core.query import unescape
from bot.render.blocks import MORE, SHARE, SUGGEST, click_value, escape, render, render_home
from bot.slack.queries import replayable


def expected(kb: Knowledge, query: str, **options: Any) -> list[dict[str, Any]]:
    return [
        b.to_dict() for b in render(answer(kb, query), query=replayable(query), **options).blocks
    ]


def quoted(blocks: list[dict[str, Any]]) -> list[str]:
    """The passages as a reader sees them: block-quote lines, unescaped."""
    lines = [
        line.removeprefix("> ")
        for b in blocks
        if b["type"] == "section"
        for line in b["text"]["text"].split("\n")
        if line.startswith("> ")
    ]
    return [unescape(_BOLD.sub("", line)) for line in lines]


# Slack's bold marks (the matched sentence of a passage in context): formatting, not text.
_BOLD = re.compile(r"(?:(?<=\s)|^)\*(?=\S)|(?<=\S)\*(?=\s|$)")


def test_healthz_and_no_control_socket(server: Server) -> None:
    with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
        assert (response.status, response.read()) == (200, b"ok\n")
    assert not (server.home / ".gunicorn").exists()


def test_url_verification_echoes_the_challenge(server: Server) -> None:
    payload = {
        "token": "t",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }
    status, body, _ = server.signed_json(payload)
    assert status == 200 and json.loads(body)["challenge"] == payload["challenge"]


def _tampered(body: str, tamper: str) -> dict[str, str]:
    good = signed_headers(body)
    now = int(time.time())
    return {
        "missing": {},
        "timestamp only": {"X-Slack-Request-Timestamp": good["X-Slack-Request-Timestamp"]},
        "signature only": {"X-Slack-Signature": good["X-Slack-Signature"]},
        "malformed: not v0": {**good, "X-Slack-Signature": "v1=" + good["X-Slack-Signature"][3:]},
        "malformed: not hex": {**good, "X-Slack-Signature": "v0=" + "zz" * 32},
        "malformed: empty": {**good, "X-Slack-Signature": ""},
        "malformed: timestamp": {**good, "X-Slack-Request-Timestamp": "yesterday"},
        "malformed: negative timestamp": {**good, "X-Slack-Request-Timestamp": "-1"},
        "wrong secret": signed_headers(body, secret="not-the-secret"),
        "stale (6 minutes)": signed_headers(body, timestamp=now - 360),
        "from the future (6 minutes)": signed_headers(body, timestamp=now + 360),
        "body changed after signing": signed_headers(body.replace("csto", "otsc")),
    }[tamper]


TAMPERS = [
    "missing",
    "timestamp only",
    "signature only",
    "malformed: not v0",
    "malformed: not hex",
    "malformed: empty",
    "malformed: timestamp",
    "malformed: negative timestamp",
    "wrong secret",
    "stale (6 minutes)",
    "from the future (6 minutes)",
    "body changed after signing",
]


@pytest.mark.parametrize("tamper", TAMPERS)
def test_bad_signatures_get_401_and_no_answer(
    server: Server, fake_slack: FakeSlack, tamper: str
) -> None:
    response_url = fake_slack.response_url()
    command = form(slash_command("/brief", "csto", response_url))
    payload, channel = mention_event()
    event = json.dumps(payload)
    assert server.post(command, _tampered(command, tamper), FORM)[0] == 401
    assert server.post(event, _tampered(event, tamper), "application/json")[0] == 401
    settle(fake_slack, server.signed_json)
    assert fake_slack.matching(fake_slack.replies_to(response_url)) == []
    assert fake_slack.matching(fake_slack.posts_to(channel)) == []


def test_a_forged_event_does_not_use_up_its_event_id(server: Server, fake_slack: FakeSlack) -> None:
    """A forged copy arriving first must not stop the genuine event from being answered."""
    payload, channel = mention_event()
    body = json.dumps(payload)
    assert server.post(body, signed_headers(body, secret="forger"), "application/json")[0] == 401
    assert server.signed_json(payload)[0] == 200
    fake_slack.wait_for(fake_slack.posts_to(channel))


@pytest.mark.parametrize(
    ("command", "text", "query"),
    [
        ("/brief", "csto", "/brief csto"),
        ("/actor", "Tokayev", "/actor Tokayev"),
        ("/quote", "Tokayev", "/quote Tokayev"),
        ("/timeline", "", "/timeline"),
        ("/sources", "", "/sources"),
        ("/actor", "help", "help"),
        ("/sources", "help", "help"),
    ],
)
def test_slash_command_answers_privately_with_the_question_and_a_share_button(
    server: Server, fake_slack: FakeSlack, kb: Knowledge, command: str, text: str, query: str
) -> None:
    call = ask_slash(server, fake_slack, command, text)
    assert call.body["response_type"] == "ephemeral"
    assert call.body["unfurl_links"] is False and call.body["unfurl_media"] is False
    typed = f"{command} {text}".strip()
    assert answer_blocks(call.body["blocks"]) == expected(
        kb, query, question=typed, restate=True, shareable=True
    )
    assert f"You asked: `{typed}`" in json.dumps(call.body["blocks"])
    assert SHARE in button_values(call.body["blocks"])
    assert call.body["text"].strip()


@pytest.mark.parametrize(
    ("typed", "sent"),
    [("R&D <b>", "R&amp;D &lt;b&gt;"), ("&lt; literally", "&amp;lt; literally")],
    ids=["markup", "a typed entity"],
)
def test_slash_restates_what_was_typed_escaped_once(
    server: Server, fake_slack: FakeSlack, typed: str, sent: str
) -> None:
    """Slack sends `&`, `<` and `>` as entities; the restated question shows what the user
    typed, escaped once for Slack, in the blocks and in the notification text alike."""
    call = ask_slash(server, fake_slack, "/brief", sent)
    once = escape(f"/brief {typed}")
    assert f"You asked: `{once}`" in json.dumps(call.body["blocks"])
    assert f"Asked: {once}" in call.body["text"]


def test_slash_answer_quotes_the_seeds_verbatim(
    server: Server, fake_slack: FakeSlack, seeds_text: str
) -> None:
    call = ask_slash(server, fake_slack, "/brief", "csto")
    lines = quoted(call.body["blocks"])
    assert lines, "a CSTO briefing quotes the articles"
    flat_seeds = " ".join(seeds_text.split())
    for line in lines:
        assert " ".join(line.split()) in flat_seeds


@pytest.mark.parametrize(
    "send",
    [
        lambda s, f, hostile: s.signed_form(slash_command("/brief", hostile, f.response_url())),
        lambda s, f, hostile: s.signed_json(mention_event(hostile)[0]),
        lambda s, f, hostile: s.signed_json(event_callback(dm(hostile, unique("D")))),
    ],
    ids=["slash", "mention", "dm"],
)
def test_broadcast_mentions_in_a_query_never_reach_slack_unescaped(
    server: Server, fake_slack: FakeSlack, send: Any
) -> None:
    hostile = "<!channel> <!here> <!everyone> <@U0DEADBEEF> <http://evil.example|click> csto"
    before = len(fake_slack.calls)
    assert send(server, fake_slack, hostile)[0] == 200
    fake_slack.wait_for(lambda c: c in fake_slack.calls[before:] and c.method != "auth.test")
    settle(fake_slack, server.signed_json)
    raw = "".join(c.raw for c in fake_slack.calls[before:])
    for token in ("<!channel>", "<!here>", "<!everyone>", "<@U0DEADBEEF>", "<http://evil"):
        assert token not in raw


@pytest.mark.parametrize("in_thread", [False, True])
def test_mention_is_answered_in_its_thread(
    server: Server, fake_slack: FakeSlack, kb: Knowledge, in_thread: bool
) -> None:
    extra = {"thread_ts": "1724040000.000001"} if in_thread else {}
    payload, channel = mention_event("what about the CSTO?", ts="1724050000.000100", **extra)
    assert server.signed_json(payload)[0] == 200
    [call] = fake_slack.wait_for(fake_slack.posts_to(channel))
    assert call.body["thread_ts"] == ("1724040000.000001" if in_thread else "1724050000.000100")
    assert answer_blocks(call.body["blocks"]) == expected(kb, "what about the CSTO?")
    assert call.body["unfurl_links"] is False


def test_direct_message_brief_me_gets_the_overview_in_the_dm(
    server: Server, fake_slack: FakeSlack, kb: Knowledge
) -> None:
    channel = unique("D")
    assert server.signed_json(event_callback(dm("brief me", channel)))[0] == 200
    [call] = fake_slack.wait_for(fake_slack.posts_to(channel))
    assert "thread_ts" not in call.body or call.body["thread_ts"] is None
    assert answer_blocks(call.body["blocks"]) == expected(kb, "brief me")
    assert answer(kb, "brief me").heading in call.body["text"]


@pytest.mark.parametrize(
    "extra",
    [
        {"subtype": "message_changed"},
        {"subtype": "message_deleted"},
        {"subtype": "bot_message", "bot_id": "BOTHER"},
        {"bot_id": "BOTHER"},
        {"user": BOT_USER, "bot_id": "BBOT0001"},
        {"channel_type": "channel"},
    ],
    ids=["edit", "delete", "bot-subtype", "other-bot", "own", "not-a-dm"],
)
def test_messages_that_are_not_questions_get_200_and_no_reply(
    server: Server, fake_slack: FakeSlack, extra: dict[str, str]
) -> None:
    channel = unique("D")
    assert server.signed_json(event_callback(dm("csto", channel, **extra)))[0] == 200
    settle(fake_slack, server.signed_json)
    assert fake_slack.matching(fake_slack.posts_to(channel)) == []


def test_retried_event_is_answered_once(server: Server, fake_slack: FakeSlack) -> None:
    payload, channel = mention_event()
    assert server.signed_json(payload)[0] == 200
    retry = server.signed_json(
        payload, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert retry[0] == 200
    fake_slack.wait_for(fake_slack.posts_to(channel))
    settle(fake_slack, server.signed_json)
    assert len(fake_slack.matching(fake_slack.posts_to(channel))) == 1


def test_home_tab_is_published_from_the_fact_base(
    server: Server, fake_slack: FakeSlack, kb: Knowledge
) -> None:
    user = unique("U")
    assert server.signed_json(event_callback(home_opened(user)))[0] == 200
    [call] = fake_slack.wait_for(
        lambda c: c.method == "views.publish" and c.body.get("user_id") == user
    )
    view = call.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert view["blocks"] == [b.to_dict() for b in render_home(kb.fb.sources, kb.fb.actors)]


def test_messages_tab_opening_publishes_nothing(server: Server, fake_slack: FakeSlack) -> None:
    user = unique("U")
    assert server.signed_json(event_callback(home_opened(user, tab="messages")))[0] == 200
    settle(fake_slack, server.signed_json)
    assert fake_slack.matching(lambda c: c.body.get("user_id") == user) == []


def _click(server: Server, fake: FakeSlack, action_id: str, value: str, **where: Any) -> list[Call]:
    response_url = fake.response_url()
    status, _, _ = server.signed_action(block_actions(action_id, value, response_url, **where))
    assert status == 200
    count = 2 if action_id == SHARE and where.get("ephemeral", True) else 1
    return fake.wait_for(fake.replies_to(response_url), count=count)


def test_slash_answer_buttons_work_end_to_end(
    server: Server, fake_slack: FakeSlack, kb: Knowledge
) -> None:
    """Ask, press More on the private answer, then share that page in the channel."""
    first = ask_slash(server, fake_slack, "/actor", "Tokayev")
    more = button_values(first.body["blocks"])[MORE]

    [page2] = _click(server, fake_slack, MORE, more)
    assert page2.body["replace_original"] is True
    assert answer_blocks(page2.body["blocks"]) == expected(
        kb, "/actor Tokayev", page=1, restate=True, shareable=True
    )
    assert quoted(page2.body["blocks"]) != quoted(first.body["blocks"])

    shared, deleted = _click(server, fake_slack, SHARE, button_values(page2.body["blocks"])[SHARE])
    assert shared.body["response_type"] == "in_channel" and shared.body["replace_original"] is False
    assert answer_blocks(shared.body["blocks"]) == expected(
        kb, "/actor Tokayev", page=1, asked_by="UANALYST1", restate=True
    )
    assert "<@UANALYST1> asked" in json.dumps(shared.body["blocks"])
    assert SHARE not in button_values(shared.body["blocks"])
    assert deleted.body.get("delete_original") is True


@pytest.mark.parametrize(
    ("where", "replace", "shareable"),
    [
        ({"ephemeral": True}, True, True),
        ({"ephemeral": False}, False, True),  # a public thread reply: the next page is private
        ({"ephemeral": False, "channel": "D0DMCHANNEL"}, True, False),
    ],
    ids=["ephemeral", "public", "dm"],
)
def test_more_on_each_surface(
    server: Server,
    fake_slack: FakeSlack,
    kb: Knowledge,
    where: dict[str, Any],
    replace: bool,
    shareable: bool,
) -> None:
    [call] = _click(server, fake_slack, MORE, click_value("/timeline", 1), **where)
    assert call.body["replace_original"] is replace
    assert call.body["response_type"] == "ephemeral"
    assert answer_blocks(call.body["blocks"]) == expected(
        kb, "/timeline", page=1, restate=shareable, shareable=shareable
    )


def test_more_continues_the_same_command(
    server: Server, fake_slack: FakeSlack, kb: Knowledge
) -> None:
    """Page 2 of `/brief csto` is the brief's page 2, not page 2 of what `csto` alone gives."""
    first = ask_slash(server, fake_slack, "/brief", "csto")
    [page2] = _click(server, fake_slack, MORE, button_values(first.body["blocks"])[MORE])
    assert answer_blocks(page2.body["blocks"]) == expected(
        kb, "/brief csto", page=1, restate=True, shareable=True
    )
    assert first.body["blocks"][0] == page2.body["blocks"][0]  # the same heading


def test_did_you_mean_answers_the_suggestion(
    server: Server, fake_slack: FakeSlack, kb: Knowledge
) -> None:
    first = ask_slash(server, fake_slack, "/brief", "zzzqqq")
    offered = button_values(first.body["blocks"])
    suggestions = {k: v for k, v in offered.items() if k.startswith(SUGGEST)}
    assert suggestions, "an unanswerable question offers something else"
    action_id, value = sorted(suggestions.items())[0]
    [call] = _click(server, fake_slack, action_id, value)
    query = json.loads(value)["q"]
    assert answer_blocks(call.body["blocks"]) == expected(kb, query, restate=True, shareable=True)


def test_slash_command_round_trip_latency(
    server: Server, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """Request sent -> answer received at the response_url, over loopback. Printed and saved."""
    acks, answers = [], []
    for i in range(20):
        response_url = fake_slack.response_url()
        body = form(
            slash_command(
                "/brief", ["csto", "Tokayev defence union", "Afghanistan"][i % 3], response_url
            )
        )
        started = time.perf_counter()
        status, _, _ = server.post(body, signed_headers(body), FORM)
        acked = time.perf_counter()
        [call] = fake_slack.wait_for(fake_slack.replies_to(response_url))
        assert status == 200
        acks.append(acked - started)
        answers.append(call.at - started)
    report = (
        f"slash command over loopback, n=20: ack median {statistics.median(acks) * 1000:.1f} ms; "
        f"answer at response_url median {statistics.median(answers) * 1000:.1f} ms, "
        f"max {max(answers) * 1000:.1f} ms"
    )
    print(report)
    Path("/tmp/c5brief_slash_latency.txt").write_text(report + "\n")
    assert max(acks) < 3.0, "Slack gives up on a slash command after 3 seconds"


def test_server_log_holds_no_payloads_or_secrets(server: Server, fake_slack: FakeSlack) -> None:
    body = form(slash_command("/brief", "payload-marker-7f3a", fake_slack.response_url()))
    assert server.post(body, signed_headers(body, secret="wrong"), FORM)[0] == 401
    settle(fake_slack, server.signed_json)
    log = server.log.read_text(errors="replace")
    for secret in ("payload-marker-7f3a", BOT_TOKEN, SECRET):
        assert secret not in log
