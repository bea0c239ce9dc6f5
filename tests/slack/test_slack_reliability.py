"""The served process under the conditions of issue 6: retries racing across workers, bounded
input, a broken fact base at start, DEBUG logging with secrets around, and SIGTERM mid-answer."""

from __future__ import annotations

import concurrent.futures
import http.client
import io
import json
import logging
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_bolt import BoltRequest
from slackfakes import (
    BOT_TOKEN,
    FORM,
    ROOT,
    SECRET,
    FakeSlack,
    Server,
    ask_slash,
    buttons,
    form,
    launch,
    mention_event,
    server_env,
    settle,
    signed_headers,
    slash_command,
)

from bot.core.knowledge import Knowledge
from bot.core.messages import TRUNCATED
from bot.models import SCHEMA_VERSION
from bot.render.blocks import escape
from bot.settings import Settings
from bot.slack import create_app
from bot.slack.app import web_client
from bot.slack.redact import HIDDEN, Redact
from bot.slack.server import MAX_BODY


def test_concurrent_retries_across_workers_are_answered_once(
    server: Server, fake_slack: FakeSlack
) -> None:
    """Slack's first delivery and its retries arrive together on different connections, so on
    different worker processes; exactly one answer must come out."""
    payload, channel = mention_event()

    def deliver(attempt: int) -> int:
        retry = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"}
        return server.signed_json(payload, **(retry if attempt else {}))[0]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert list(pool.map(deliver, [0, 1, 2, 3, 1, 2, 3, 3])) == [200] * 8
    fake_slack.wait_for(fake_slack.posts_to(channel))
    settle(fake_slack, server.signed_json)
    assert len(fake_slack.matching(fake_slack.posts_to(channel))) == 1


def test_a_long_query_is_cut_with_a_note(server: Server, fake_slack: FakeSlack) -> None:
    text = "csto " + "security cooperation in Central Asia " * 60  # about 2,200 characters
    call = ask_slash(server, fake_slack, "/brief", text)
    assert escape(TRUNCATED) in json.dumps(call.body["blocks"])
    for button in buttons(call.body["blocks"]):
        assert len(button["value"]) <= 2000


def test_control_characters_never_reach_slack(server: Server, fake_slack: FakeSlack) -> None:
    call = ask_slash(server, fake_slack, "/brief", "cs\x00to\x1b[31m \u202egnirts\u202c")
    for ch in ("\x00", "\x1b", "\u202e", "\u202c"):
        assert ch not in call.raw and ch not in json.dumps(call.body, ensure_ascii=False)


def test_a_huge_body_is_refused(server: Server, fake_slack: FakeSlack) -> None:
    response_url = fake_slack.response_url()
    fields = slash_command("/brief", "csto", response_url)
    body = form(fields) + "&padding=" + "x" * MAX_BODY
    status, _, _ = server.post(body, signed_headers(body), FORM)
    assert status == 413
    assert server.signed_form(fields)[0] == 200  # the server is still there
    fake_slack.wait_for(fake_slack.replies_to(response_url))


def test_a_huge_declared_body_is_refused_before_it_is_sent(server: Server) -> None:
    """Content-Length says 50 MB; the answer comes before a byte of the body is sent."""
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.putrequest("POST", "/slack/events")
        connection.putheader("Content-Type", FORM)
        connection.putheader("Content-Length", str(50 * MAX_BODY))
        connection.endheaders()
        assert connection.getresponse().status == 413
    finally:
        connection.close()


def test_health_check_and_unknown_paths(server: Server) -> None:
    status, _, _ = server.post("{}", {}, "application/json")
    assert status == 401
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(server.url + "/nope", timeout=5)
    assert missing.value.code == 404


# --- start-up ----------------------------------------------------------------------------------


def _serve_refused(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m bot serve` that must refuse to start: exit status 2, output captured."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    return done


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("missing.json", None, "is missing"),
        ("corrupt.json", f'{{"schema_version": {SCHEMA_VERSION}, "sources": [', "is corrupt"),
        ("half.json", f'{{"schema_version": {SCHEMA_VERSION}, "sources": []}}', "is corrupt"),
        ("old.json", '{"schema_version": 0}', "schema version 0"),
    ],
)
def test_a_broken_fact_base_stops_start_up(
    fake_slack: FakeSlack, tmp_path: Path, name: str, content: str | None, says: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    env = server_env(fake_slack.api_url, tmp_path, 9, FACTBASE_PATH=str(path))
    done = _serve_refused(env)
    assert says in done.stderr and str(path) in done.stderr
    assert "python -m bot build" in done.stderr
    assert "Listening at" not in done.stdout + done.stderr


# --- logs --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def debug_server(
    fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with launch(fake_slack.api_url, tmp_path_factory.mktemp("debug"), LOG_LEVEL="DEBUG") as s:
        yield s


def test_secrets_never_reach_the_log_even_at_debug(
    debug_server: Server, fake_slack: FakeSlack
) -> None:
    ask_slash(debug_server, fake_slack, "/brief", "csto")
    payload, channel = mention_event()
    debug_server.signed_json(payload)
    fake_slack.wait_for(fake_slack.posts_to(channel))
    body = form(slash_command("/brief", "csto", fake_slack.response_url()))
    assert debug_server.post(body, signed_headers(body, secret="forger"), FORM)[0] == 401
    log = debug_server.log.read_text(errors="replace")
    assert " DEBUG " in log and "chat.postMessage" in log, "DEBUG logging was on"
    assert BOT_TOKEN not in log and SECRET not in log


def test_debug_logs_no_payload(debug_server: Server, fake_slack: FakeSlack) -> None:
    """Slack's libraries log requests, envelopes and our posts at DEBUG: never their content
    (a user's words, an answer), only that they happened."""
    marker = "marker-5b1e-question"
    ask_slash(debug_server, fake_slack, "/brief", f"csto {marker}")
    payload, channel = mention_event(text=f"csto {marker}")
    debug_server.signed_json(payload)
    fake_slack.wait_for(fake_slack.posts_to(channel))
    log = debug_server.log.read_text(errors="replace")
    assert " DEBUG " in log and marker not in log


def test_the_filter_redacts_messages_arguments_and_tracebacks(
    fake_slack: FakeSlack, kb: Knowledge, settings: Settings
) -> None:
    """A request logged at DEBUG by Bolt and slack_sdk themselves, through the filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact([SECRET, BOT_TOKEN]))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        app = create_app(settings, kb, web_client(settings))
        body = form(slash_command("/brief", "csto", fake_slack.response_url()))
        request = BoltRequest(body=body, headers={**signed_headers(body), "content-type": FORM})
        assert app.dispatch(request).status == 200
        logging.getLogger("c5.test").debug("token %s and secret %s", BOT_TOKEN, SECRET)
        logging.getLogger("c5.test").debug("other tokens: xoxb-1-2-abc xapp-1-A1-2-def")
        try:
            raise RuntimeError(f"failed with {BOT_TOKEN}")
        except RuntimeError:
            logging.getLogger("c5.test").exception("boom")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    shown = stream.getvalue()
    assert "Sending a request" in shown, "slack_sdk logged the Web API call at DEBUG"
    assert BOT_TOKEN not in shown and SECRET not in shown
    assert "xoxb-1-2-abc" not in shown and "xapp-1-A1-2-def" not in shown
    assert shown.count(HIDDEN) >= 5


def test_a_malformed_log_call_is_logged_not_raised() -> None:
    """A `%` mismatch in any library's log call must not raise into the listener making it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact([BOT_TOKEN]))
    log = logging.getLogger("c5.test.malformed")
    log.addHandler(handler)
    try:
        log.warning("two %s %s", BOT_TOKEN)  # one argument short
    finally:
        log.removeHandler(handler)
    shown = stream.getvalue()
    assert "two %s %s" in shown and BOT_TOKEN not in shown and HIDDEN in shown


# --- shutdown ----------------------------------------------------------------------------------


def test_sigterm_lets_answers_in_flight_finish(fake_slack: FakeSlack, tmp_path: Path) -> None:
    """Answers still being written when SIGTERM arrives reach Slack; then the process exits 0."""
    with launch(fake_slack.api_url, tmp_path) as server:
        assert server.proc is not None
        urls = [fake_slack.response_url() for _ in range(8)]
        replies = fake_slack.replies_to(*urls)
        fake_slack.fail(replies, None, times=len(urls), delay=2.0)
        with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
            acks = list(
                pool.map(lambda u: server.signed_form(slash_command("/brief", "csto", u))[0], urls)
            )
        assert acks == [200] * len(urls)
        assert fake_slack.matching(replies) == []  # all still in flight
        server.proc.send_signal(signal.SIGTERM)
        code = server.proc.wait(timeout=30)
        assert code == 0
        assert len(fake_slack.matching(replies)) == len(urls)
        log = server.log.read_text(errors="replace")
        assert "Handling signal: term" in log and "Shutting down: Master" in log


def test_recycled_workers_lose_and_double_no_answer(fake_slack: FakeSlack, tmp_path: Path) -> None:
    """Workers replaced every few requests (WORKER_MAX_REQUESTS) still answer every command
    exactly once, including ones a retiring worker had acknowledged but not yet answered."""
    with launch(fake_slack.api_url, tmp_path, WORKER_MAX_REQUESTS="10") as server:
        urls = [fake_slack.response_url() for _ in range(60)]
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            acks = list(
                pool.map(lambda u: server.signed_form(slash_command("/brief", "csto", u))[0], urls)
            )
        assert acks == [200] * len(urls)
        for url in urls:
            fake_slack.wait_for(fake_slack.replies_to(url))
    # Stopped and drained: nothing more can arrive.
    for url in urls:
        assert len(fake_slack.matching(fake_slack.replies_to(url))) == 1
    assert server.log.read_text(errors="replace").count("Autorestarting worker") >= 3


def test_an_unwritable_run_dir_stops_start_up_with_one_message(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """Not a boot failure in every worker: one line naming RUN_DIR, exit 2, nothing served."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = server_env(fake_slack.api_url, tmp_path, 9, RUN_DIR=str(blocker / "run"))
    done = _serve_refused(env)
    assert "RUN_DIR" in done.stderr and str(blocker / "run") in done.stderr
    assert "Traceback" not in done.stderr and "Listening at" not in done.stderr
