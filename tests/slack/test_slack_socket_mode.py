"""The same listeners through Bolt's dispatch with Socket Mode requests, plus the error handler."""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slackfakes import (
    BOT_TOKEN,
    FakeSlack,
    block_actions,
    dispatch,
    dm,
    event_callback,
    home_opened,
    mention_event,
    settle,
    slash_command,
    unique,
)

from bot.core.knowledge import Knowledge
from bot.render.blocks import MORE, click_value
from bot.settings import Settings
from bot.slack import commands, create_app, mentions


def test_create_app_makes_no_network_call(
    fake_slack: FakeSlack, kb: Knowledge, settings: Settings, client: WebClient
) -> None:
    before = len(fake_slack.calls)
    create_app(settings, kb, client)
    assert len(fake_slack.calls) == before


def test_slash_command(app: App, fake_slack: FakeSlack) -> None:
    response_url = fake_slack.response_url()
    assert dispatch(app, slash_command("/quote", "Tokayev", response_url)) == 200
    [call] = fake_slack.wait_for(fake_slack.replies_to(response_url))
    assert call.body["response_type"] == "ephemeral"
    assert "You asked: `/quote Tokayev`" in call.raw


def test_mention_in_thread(app: App, fake_slack: FakeSlack) -> None:
    payload, channel = mention_event(ts="1.5")
    assert dispatch(app, payload) == 200
    [call] = fake_slack.wait_for(fake_slack.posts_to(channel))
    assert call.body["thread_ts"] == "1.5"


def test_dm_and_retry_once(app: App, fake_slack: FakeSlack) -> None:
    channel = unique("D")
    payload = event_callback(dm("brief me", channel))
    assert dispatch(app, payload) == 200
    assert dispatch(app, payload) == 200  # Socket Mode redelivers with the same event_id
    fake_slack.wait_for(fake_slack.posts_to(channel))
    settle(fake_slack, partial(dispatch, app))
    assert len(fake_slack.matching(fake_slack.posts_to(channel))) == 1


def test_home(app: App, fake_slack: FakeSlack) -> None:
    user = unique("U")
    assert dispatch(app, event_callback(home_opened(user))) == 200
    fake_slack.wait_for(lambda c: c.method == "views.publish" and c.body.get("user_id") == user)


def test_more_button(app: App, fake_slack: FakeSlack) -> None:
    response_url = fake_slack.response_url()
    assert dispatch(app, block_actions(MORE, click_value("/timeline", 1), response_url)) == 200
    [call] = fake_slack.wait_for(fake_slack.replies_to(response_url))
    assert call.body["replace_original"] is True and "Page 2 of" in call.raw


def test_unregistered_command_is_not_handled(app: App, fake_slack: FakeSlack) -> None:
    assert dispatch(app, slash_command("/nope", "x", fake_slack.response_url())) == 404


def _failing(kb: Knowledge, query: str) -> Any:
    raise RuntimeError("engine exploded")


def test_failure_gives_the_user_a_reference_and_logs_the_traceback_once(
    app: App,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(commands, "answer", _failing)
    response_url = fake_slack.response_url()
    with caplog.at_level(logging.INFO):
        dispatch(app, slash_command("/brief", "secret-question-text", response_url))
        [call] = fake_slack.wait_for(fake_slack.replies_to(response_url))
    ref = re.search(r"Reference: `([0-9a-f]{8})`", call.body["text"])
    assert ref is not None and call.body["response_type"] == "ephemeral"
    with_traceback = [r for r in caplog.records if r.exc_info]
    assert len(with_traceback) == 1 and ref.group(1) in with_traceback[0].getMessage()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "secret-question-text" not in logged and BOT_TOKEN not in logged


def test_failure_in_a_mention_apologises_in_the_thread(
    app: App, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mentions, "answer", _failing)
    payload, channel = mention_event(ts="2.5")
    dispatch(app, payload)
    [call] = fake_slack.wait_for(fake_slack.posts_to(channel))
    assert call.body["thread_ts"] == "2.5" and "Reference:" in call.body["text"]
