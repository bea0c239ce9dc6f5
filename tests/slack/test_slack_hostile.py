"""Issue 13's hostile inputs against the real server: replayed signed requests, signed bodies that
are not Slack payloads, invisible characters in article text, capability URLs in logs, and the
message subtypes people send (a file with its question, a thread reply sent to the channel)."""

from __future__ import annotations

import concurrent.futures
import hashlib
import hmac
import json
import logging
import socket
import time
import urllib.error
import urllib.request

import pytest
from slackfakes import (
    FORM,
    SECRET,
    FakeSlack,
    Server,
    block_actions,
    dm,
    event_callback,
    form,
    interactive,
    mention,
    settle,
    signed_headers,
    slash_command,
    unique,
)

from bot.models import Answer, Cited
from bot.render.blocks import SHARE, click_value, render
from bot.slack.redact import HIDDEN, LEFT_OUT, Redact

REPLAYS = 100


def test_a_replayed_slash_command_is_answered_once(server: Server, fake_slack: FakeSlack) -> None:
    """The same signed bytes sent 100 times within 5 minutes: each gets 200, one answer goes out."""
    response_url = fake_slack.response_url()
    body = form(slash_command("/brief", "csto", response_url))
    headers = signed_headers(body)
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(lambda _: server.post(body, headers, FORM)[0], range(REPLAYS)))
    assert statuses == [200] * REPLAYS
    fake_slack.wait_for(fake_slack.replies_to(response_url))
    settle(fake_slack, server.signed_json)
    assert len(fake_slack.matching(fake_slack.replies_to(response_url))) == 1


def test_a_replayed_share_click_posts_once(server: Server, fake_slack: FakeSlack) -> None:
    response_url = fake_slack.response_url()
    body = interactive(block_actions(SHARE, click_value("/brief csto"), response_url))
    headers = signed_headers(body)
    statuses = [server.post(body, headers, FORM)[0] for _ in range(20)]
    assert statuses == [200] * 20
    fake_slack.wait_for(fake_slack.replies_to(response_url))
    settle(fake_slack, server.signed_json)
    public = [
        c
        for c in fake_slack.matching(fake_slack.replies_to(response_url))
        if c.body.get("response_type") == "in_channel"
    ]
    assert len(public) == 1


def test_a_fresh_signature_on_the_same_request_is_still_answered(
    server: Server, fake_slack: FakeSlack
) -> None:
    """Replay protection keys on the signature: a new, honest delivery is not a replay."""
    response_url = fake_slack.response_url()
    body = form(slash_command("/brief", "csto", response_url))
    assert server.post(body, signed_headers(body), FORM)[0] == 200
    fake_slack.wait_for(fake_slack.replies_to(response_url))


def _deep(depth: int) -> str:
    return '{"type": "event_callback", "event": ' + "[" * depth + "]" * depth + "}"


MALFORMED = {
    "JSON cut short": ('{"type": "event_callback", "event": {', "application/json"),
    "JSON, not an object": ("[1, 2, 3]", "application/json"),
    "JSON nested 100,000 deep": (_deep(100_000), "application/json"),
    "JSON nested 500 deep": (_deep(500), "application/json"),
    "form with a broken payload": ("payload=%7Bnot-json", FORM),
    "form payload nested 100,000 deep": ("payload=" + "%5B" * 100_000, FORM),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_signed_but_malformed_bodies_get_400_without_a_traceback(
    server: Server, fake_slack: FakeSlack, name: str
) -> None:
    text, kind = MALFORMED[name]
    raw = text.encode("utf-8", "surrogateescape")
    before = server.log.read_text(errors="replace")
    headers = _sign_bytes(raw)  # the exact bytes, as Slack signs them
    status, reply = _post_bytes(server, raw, headers, kind)
    assert status == 400, reply
    assert b"Traceback" not in reply and b"<html" not in reply.lower()
    settle(fake_slack, server.signed_json)
    after = server.log.read_text(errors="replace")[len(before) :]
    assert "Traceback" not in after and "RecursionError" not in after


def _sign_bytes(raw: bytes) -> dict[str, str]:
    ts = str(int(time.time()))
    base = b"v0:" + ts.encode() + b":" + raw
    mac = hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={mac}"}


def _post_bytes(
    server: Server, raw: bytes, headers: dict[str, str], kind: str
) -> tuple[int, bytes]:
    request = urllib.request.Request(
        server.url + "/slack/events",
        data=raw,
        headers={"Content-Type": kind, **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


INVISIBLE = ["\u202e", "\u200b", "\u2066", "\ufeff", "\x1b", "\x00", "\u00ad"]


def test_invisible_characters_in_article_text_never_reach_slack() -> None:
    """Article text (a quote, a title, a speaker) is cleaned at the renderer as queries are."""
    hidden = "".join(INVISIBLE)
    text = f"The CSTO{hidden} is a{hidden} military alliance."
    cited = Cited(
        source="s1.txt",
        start=0,
        end=len(text),
        text=text,
        url="https://example.org/a",
        url_verified=True,
        title=f"Title{hidden}",
        outlet="Outlet",
        date="2024",
        speaker=f"Speaker{hidden}",
    )
    answer = Answer(query="csto", kind="brief", heading=f"CSTO{hidden}", passages=[cited])
    message = render(answer)
    shown = json.dumps([b.to_dict() for b in message.blocks], ensure_ascii=False) + message.text
    for ch in INVISIBLE:
        assert ch not in shown
    assert "The CSTO is a military alliance." in shown


@pytest.mark.parametrize(
    ("line", "gone"),
    [
        (
            "Going to retry the same request: POST https://hooks.slack.com/commands/T1/2/abcDEF",
            "abcDEF",
        ),
        ("answer to https://hooks.slack.com/actions/T1/99/Zx9 failed", "Zx9"),
        ("wss://wss-primary.slack.com/link/?ticket=1234-abcd&app_id=A1", "1234-abcd"),
    ],
)
def test_capability_urls_are_redacted_like_tokens(line: str, gone: str) -> None:
    record = logging.LogRecord("slack_sdk.webhook", logging.INFO, __file__, 1, line, None, None)
    Redact().filter(record)
    assert gone not in record.getMessage() and HIDDEN in record.getMessage()


def test_library_debug_lines_leave_payloads_out() -> None:
    envelope = '{"envelope_id": "e1", "payload": {"event": {"text": "secret plans"}}}'
    line = f"on_message invoked: (message: {envelope})"
    record = logging.LogRecord(
        "slack_sdk.socket_mode.builtin.client", logging.DEBUG, "f", 1, line, None, None
    )
    Redact().filter(record)
    assert "secret plans" not in record.getMessage() and LEFT_OUT in record.getMessage()


@pytest.mark.parametrize("subtype", ["file_share", "thread_broadcast"])
def test_people_s_messages_with_a_subtype_are_answered(
    server: Server, fake_slack: FakeSlack, subtype: str
) -> None:
    channel = unique("D")
    server.signed_json(event_callback(dm("csto", channel, subtype=subtype)))
    fake_slack.wait_for(fake_slack.posts_to(channel))
    mentioned = unique("C")
    server.signed_json(event_callback(mention("<@UBOT0001> csto", mentioned, subtype=subtype)))
    fake_slack.wait_for(fake_slack.posts_to(mentioned))


def test_slow_clients_cannot_starve_the_server(server: Server, fake_slack: FakeSlack) -> None:
    """60 connections trickling headers and 10 trickling a body hold no thread: /healthz and
    a signed command still get through at once (24 threads would all be taken otherwise)."""
    host, port = server.url.removeprefix("http://").split(":")
    slow = []
    try:
        for n in range(70):
            sock = socket.create_connection((host, int(port)), timeout=5)
            head = (
                b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n{"
                if n < 10
                else b"GET /healthz HTTP/1.1\r\nX-Slow: "
            )
            sock.sendall(head)
            slow.append(sock)
        time.sleep(0.5)
        started = time.perf_counter()
        with urllib.request.urlopen(server.url + "/healthz", timeout=5) as response:
            assert response.status == 200
        response_url = fake_slack.response_url()
        assert server.signed_form(slash_command("/brief", "csto", response_url))[0] == 200
        assert time.perf_counter() - started < 2.0  # starved, this waits for the 5 s timeout
        fake_slack.wait_for(fake_slack.replies_to(response_url))
    finally:
        for sock in slow:
            sock.close()
