"""Slack's Web API misbehaving, on purpose: the fake answers 429s, 5xx and permanent errors to
the real server, which must retry, explain, log with context and keep serving."""

from __future__ import annotations

import concurrent.futures
import re
import time
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slackfakes import (
    BOT_TOKEN,
    Call,
    FakeSlack,
    Server,
    mention_event,
    slash_command,
    unique,
)

from bot.render.blocks import APOLOGY, PLAIN_NOTE, UNREACHABLE_FIX
from bot.slack.errors import apologise


def ok_posts(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.status == 200]


def log_lines(server: Server, needle: str) -> list[str]:
    return [line for line in server.log.read_text(errors="replace").splitlines() if needle in line]


def wait_for_log(server: Server, needle: str, timeout: float = 10) -> list[str]:
    deadline = time.monotonic() + timeout
    while not (found := log_lines(server, needle)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


@pytest.mark.parametrize(
    ("status", "error", "headers", "times"),
    [
        (429, "ratelimited", {"Retry-After": "1"}, 1),
        (500, "internal_error", {}, 2),
        (503, "service_unavailable", {}, 1),
        (502, "bad_gateway", {}, 2),
        (504, "gateway_timeout", {}, 1),
    ],
    ids=["429 Retry-After", "500 twice", "503", "502 twice", "504"],
)
def test_passing_faults_on_chat_post_message_are_retried_and_answered_once(
    server: Server,
    fake_slack: FakeSlack,
    status: int,
    error: str,
    headers: dict[str, str],
    times: int,
) -> None:
    payload, channel = mention_event()
    fake_slack.fail(fake_slack.posts_to(channel), status, error, headers, times=times)
    started = time.monotonic()
    server.signed_json(payload)
    calls = fake_slack.wait_for(lambda c: fake_slack.posts_to(channel)(c) and c.status == 200)
    assert len(ok_posts(calls)) == 1
    assert [c.status for c in fake_slack.matching(fake_slack.posts_to(channel))] == [
        *([status] * times),
        200,
    ]
    if status == 429:
        assert time.monotonic() - started >= 1.0, "Retry-After was honoured"


def test_rate_limited_response_url_is_retried(server: Server, fake_slack: FakeSlack) -> None:
    response_url = fake_slack.response_url()
    fake_slack.fail(fake_slack.replies_to(response_url), 429, "", {"Retry-After": "1"})
    server.signed_form(slash_command("/brief", "csto", response_url))
    calls = fake_slack.wait_for(fake_slack.replies_to(response_url), count=2)
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].body["response_type"] == "ephemeral"


@pytest.mark.parametrize("code", ["channel_not_found", "not_in_channel"])
def test_a_channel_we_cannot_post_in_is_logged_and_the_user_told_in_their_dm(
    server: Server, fake_slack: FakeSlack, code: str
) -> None:
    user = unique("U")
    payload, channel = mention_event(user=user)
    fake_slack.fail(fake_slack.posts_to(channel), 200, code)
    assert server.signed_json(payload)[0] == 200
    [note] = fake_slack.wait_for(fake_slack.posts_to(user))
    assert f"<#{channel}>" in note.body["text"] and code in note.body["text"]
    assert UNREACHABLE_FIX.split(" `")[0] in note.body["text"]
    [line] = wait_for_log(server, channel)
    assert "app_mention" in line and code in line and "WARNING" in line
    assert "Traceback" not in server.log.read_text(errors="replace").split(line, 1)[1][:200]


def test_refused_blocks_are_sent_again_as_plain_text(server: Server, fake_slack: FakeSlack) -> None:
    payload, channel = mention_event()
    fake_slack.fail(fake_slack.posts_to(channel), 200, "invalid_blocks")
    server.signed_json(payload)
    refused, plain = fake_slack.wait_for(fake_slack.posts_to(channel), count=2)
    assert refused.body.get("blocks") and not plain.body.get("blocks")
    assert plain.body["text"].startswith(refused.body["text"]) and PLAIN_NOTE in plain.body["text"]
    assert wait_for_log(server, f"invalid_blocks) in {channel}")


def test_refused_blocks_on_a_response_url_are_sent_as_text(
    server: Server, fake_slack: FakeSlack
) -> None:
    response_url = fake_slack.response_url()
    fake_slack.fail(fake_slack.replies_to(response_url), 400, "invalid_blocks")
    server.signed_form(slash_command("/timeline", "", response_url))
    refused, plain = fake_slack.wait_for(fake_slack.replies_to(response_url), count=2)
    assert refused.status == 400 and plain.status == 200
    assert "blocks" not in plain.body and PLAIN_NOTE in plain.body["text"]


def test_an_unexpected_error_gets_an_apology_in_the_thread_and_one_traceback(
    server: Server, fake_slack: FakeSlack
) -> None:
    payload, channel = mention_event(ts="1724050999.000100")
    fake_slack.fail(fake_slack.posts_to(channel), 200, "fatal_error", times=1)
    assert server.signed_json(payload)[0] == 200
    calls = fake_slack.wait_for(fake_slack.posts_to(channel), count=2, timeout=20)
    apology = calls[-1]
    assert apology.status == 200 and apology.body["thread_ts"] == "1724050999.000100"
    assert APOLOGY in apology.body["text"]
    ref = re.search(r"Reference: `([0-9a-f]{8})`", apology.body["text"])
    assert ref is not None
    log = server.log.read_text(errors="replace")
    assert log.count(f"ref {ref.group(1)}") == 1
    after = log.split(f"ref {ref.group(1)}", 1)[1]
    assert after.count("Traceback") >= 1 and "SlackApiError" in after
    # ...and the process keeps serving.
    payload, again = mention_event()
    server.signed_json(payload)
    fake_slack.wait_for(fake_slack.posts_to(again))


def test_slow_slack_never_delays_acknowledgements(server: Server, fake_slack: FakeSlack) -> None:
    """Answers wait on a slow response_url; Slack's 3-second acknowledgement deadline does not."""
    urls = [fake_slack.response_url() for _ in range(24)]
    slow = fake_slack.replies_to(*urls)
    fake_slack.fail(slow, None, times=len(urls), delay=1.5)

    def ask(url: str) -> tuple[int, float]:
        started = time.perf_counter()
        status = server.signed_form(slash_command("/brief", "csto", url))[0]
        return status, time.perf_counter() - started

    with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
        acks = list(pool.map(ask, urls))
    assert all(status == 200 for status, _ in acks)
    assert max(seconds for _, seconds in acks) < 3.0
    answered = fake_slack.wait_for(slow, count=len(urls), timeout=30)
    assert len(answered) == len(urls)
    assert all(c.body["response_type"] == "ephemeral" for c in answered)


@pytest.mark.parametrize("status", [500, 429])
def test_an_answer_slack_keeps_refusing_is_owned_up_to_in_the_dm(
    server: Server, fake_slack: FakeSlack, status: int
) -> None:
    """Past every retry and the deadline the answer is lost: the user is told in their DM
    with the app, with a reference; not a traceback (our code did nothing wrong)."""
    user = unique("U")
    payload, channel = mention_event(user=user)
    headers = {"Retry-After": "1"} if status == 429 else {}
    fake_slack.fail(fake_slack.posts_to(channel), status, "down", headers, times=5)  # 1 + 4
    assert server.signed_json(payload)[0] == 200
    [note] = fake_slack.wait_for(fake_slack.posts_to(user), timeout=30)
    assert APOLOGY in note.body["text"]
    ref = re.search(r"Reference: `([0-9a-f]{8})`", note.body["text"])
    assert ref is not None
    log = server.log.read_text(errors="replace")
    assert f"undelivered answer: ref {ref.group(1)}" in log
    assert len(fake_slack.matching(fake_slack.posts_to(channel))) == 5


def test_a_response_url_that_keeps_failing_is_owned_up_to_in_the_dm(
    server: Server, fake_slack: FakeSlack
) -> None:
    user, url = unique("U"), fake_slack.response_url()
    fake_slack.fail(fake_slack.replies_to(url), 502, "bad gateway", times=5)
    assert server.signed_form(slash_command("/brief", "csto", url, user_id=user))[0] == 200
    [note] = fake_slack.wait_for(fake_slack.posts_to(user), timeout=30)
    assert APOLOGY in note.body["text"]
    assert [c.status for c in fake_slack.matching(fake_slack.replies_to(url))] == [502] * 5


@pytest.mark.parametrize(
    "error",
    [TimeoutError("timed out"), URLError(TimeoutError("timed out"))],
    ids=["read timeout", "connect timeout"],
)
def test_no_apology_when_slack_was_only_slow_to_say_it_took_the_answer(
    fake_slack: FakeSlack, error: Exception
) -> None:
    """A timeout leaves the outcome unknown (Slack may have the answer): no false apology."""
    url = fake_slack.response_url()
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    user = unique("U")
    apologise(error, {"response_url": url, "user_id": user}, client)
    apologise(RuntimeError("a real bug"), {"response_url": url, "user_id": user}, client)
    [call] = fake_slack.matching(fake_slack.replies_to(url))  # the bug's apology only
    assert APOLOGY in call.body["text"]
    assert fake_slack.matching(fake_slack.posts_to(user)) == []
