"""The assistant panel, follow-ups in threads, the message shortcut and the fixes that came
with them, through the real server (signed requests) and Socket Mode dispatch, asserting on
the Web API calls and response_url posts the loopback stand-in for Slack received."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from slack_bolt import App
from slackfakes import (
    BOT_TOKEN,
    BOT_USER,
    Call,
    FakeSlack,
    Server,
    answer_blocks,
    assistant_thread_started,
    block_actions,
    button_values,
    dispatch,
    dm,
    event_callback,
    later_ts,
    mention,
    message_shortcut,
    unique,
)

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.render.blocks import MORE, SHARE, click_value, render
from bot.settings import Settings
from bot.slack import actions, create_app
from bot.slack.assistant import PROMPTS, STATUS
from bot.slack.queries import replayable
from bot.slack.shortcut import NOTHING


def expected(kb: Knowledge, query: str, **options: Any) -> list[dict[str, Any]]:
    message = render(answer(kb, query), query=replayable(query), **options)
    return [b.to_dict() for b in message.blocks]


@pytest.fixture()
def fake(fake_slack: FakeSlack) -> FakeSlack:
    return fake_slack


def api(fake: FakeSlack, method: str, **where: str) -> list[Call]:
    """Calls of a Web API method whose body has these fields."""
    return fake.wait_for(
        lambda c: c.method == method and all(c.body.get(k) == v for k, v in where.items())
    )


# --- the assistant panel ---------------------------------------------------------------------


def test_a_new_panel_thread_gets_the_suggested_prompts(server: Server, fake: FakeSlack) -> None:
    channel, thread = unique("D"), later_ts()
    status, _, _ = server.signed_json(event_callback(assistant_thread_started(channel, thread)))
    assert status == 200
    [call] = api(fake, "assistant.threads.setSuggestedPrompts", channel_id=channel)
    assert call.body["thread_ts"] == thread
    assert call.body["prompts"] == list(PROMPTS)
    kinds = " ".join(p["title"] for p in call.body["prompts"]).lower()
    assert all(k in kinds for k in ("brief", "actor", "quote", "comparison"))


def test_a_panel_message_shows_a_status_then_the_answer_in_its_thread(
    server: Server, fake: FakeSlack, kb: Knowledge
) -> None:
    channel, thread = unique("D"), later_ts()
    event = dm("/brief csto", channel, thread_ts=thread, ts=later_ts())
    assert server.signed_json(event_callback(event))[0] == 200
    [answered] = fake.wait_for(fake.posts_to(channel))
    [status] = api(fake, "assistant.threads.setStatus", channel_id=channel)
    [title] = api(fake, "assistant.threads.setTitle", channel_id=channel)
    assert status.body["thread_ts"] == thread and status.body["status"] == STATUS
    assert status.at < answered.at, "the status shows while the answer is being made"
    assert answered.body["thread_ts"] == thread
    assert answer_blocks(answered.body["blocks"]) == expected(kb, "/brief csto")
    assert title.body["title"] == "/brief csto"


def test_a_second_panel_message_follows_up_on_the_first(
    server: Server, fake: FakeSlack, kb: Knowledge
) -> None:
    channel, thread = unique("D"), later_ts()
    server.signed_json(event_callback(dm("/brief csto", channel, thread_ts=thread, ts=later_ts())))
    fake.wait_for(fake.posts_to(channel))
    event = dm("and what did Russia say?", channel, thread_ts=thread, ts=later_ts())
    server.signed_json(event_callback(event))
    _, second = fake.wait_for(fake.posts_to(channel), count=2)
    assert answer_blocks(second.body["blocks"]) == expected(
        kb, "what did Russia say about CSTO", understood="Russia on: CSTO"
    )
    assert "Read as: *Russia on: CSTO*" in json.dumps(second.body["blocks"])
    assert (
        len(
            fake.matching(
                lambda c: (
                    c.method == "assistant.threads.setTitle" and c.body.get("channel_id") == channel
                )
            )
        )
        == 1
    )


# --- follow-ups in channel threads -------------------------------------------------------------


def _mention_in(server: Server, channel: str, text: str, thread: str | None) -> None:
    extra = {"thread_ts": thread} if thread else {}
    event = mention(f"<@{BOT_USER}> {text}", channel, ts=later_ts(), **extra)
    assert server.signed_json(event_callback(event))[0] == 200


def test_a_mention_in_a_c5_thread_carries_the_thread_topic_over(
    server: Server, fake: FakeSlack, kb: Knowledge
) -> None:
    """ "/brief csto"-like question, then "and what did Russia say?" in its thread: the answer
    is about Russia on the CSTO, and says that is how it read the question."""
    channel, thread = unique("C"), later_ts()
    event = mention(f"<@{BOT_USER}> csto", channel, ts=thread)
    server.signed_json(event_callback(event))
    [first] = fake.wait_for(fake.posts_to(channel))
    assert first.body["metadata"]["event_type"] == "c5_answer"

    _mention_in(server, channel, "and what did Russia say?", thread)
    _, second = fake.wait_for(fake.posts_to(channel), count=2)
    assert second.body["thread_ts"] == thread
    assert answer_blocks(second.body["blocks"]) == expected(
        kb, "what did Russia say about CSTO", understood="Russia on: CSTO"
    )
    [replies] = api(fake, "conversations.replies", channel=channel)
    assert replies.body["ts"] == thread

    _mention_in(server, channel, "and China?", thread)  # the chain goes on from the last reading
    third = fake.wait_for(fake.posts_to(channel), count=3)[2]
    assert "Read as: *China on: CSTO*" in json.dumps(third.body["blocks"])


def test_a_question_put_to_c5_earlier_in_the_thread_counts_too(
    app: App, fake: FakeSlack, kb: Knowledge
) -> None:
    """An answer without metadata (an older one): the person's earlier mention is the context."""
    channel, thread = unique("C"), later_ts()
    first = {"type": "message", "user": "UANALYST1", "text": f"<@{BOT_USER}> csto", "ts": thread}
    fake.add_message(channel, first)
    event = mention(f"<@{BOT_USER}> what did Russia say?", channel, ts=later_ts(), thread_ts=thread)
    dispatch(app, event_callback(event))
    [call] = fake.wait_for(fake.posts_to(channel))
    assert "Read as: *Russia on: CSTO*" in json.dumps(call.body["blocks"])


def test_the_earlier_question_is_found_in_a_long_thread(app: App, fake: FakeSlack) -> None:
    """conversations.replies pages from the oldest message: the latest question is on page 3."""
    channel, thread = unique("C"), "1000.000000"
    chatter = [
        {"type": "message", "user": "UOTHER001", "text": f"note {i}", "ts": f"{1000 + i}.000000"}
        for i in range(450)
    ]
    chatter[430]["text"] = f"<@{BOT_USER}> csto"
    for message in chatter:
        fake.add_message(channel, {**message, "thread_ts": thread})
    event = mention(f"<@{BOT_USER}> what did Russia say?", channel, ts=later_ts(), thread_ts=thread)
    dispatch(app, event_callback(event))
    [call] = fake.wait_for(fake.posts_to(channel))
    assert "Read as: *Russia on: CSTO*" in json.dumps(call.body["blocks"])
    pages = fake.matching(
        lambda c: c.method == "conversations.replies" and c.body.get("channel") == channel
    )
    assert len(pages) == 3


def test_a_shared_answer_carries_its_reading_for_follow_ups(app: App, fake: FakeSlack) -> None:
    url = fake.response_url()
    dispatch(app, block_actions(SHARE, click_value("/brief csto"), url, ephemeral=False))
    [call] = fake.wait_for(fake.replies_to(url))
    assert call.body["response_type"] == "in_channel"
    assert call.body["metadata"]["event_type"] == "c5_answer"
    assert call.body["metadata"]["event_payload"]["q"] == "/brief csto"


def test_a_mention_in_someone_elses_thread_is_answered_on_its_own(
    server: Server, fake: FakeSlack, kb: Knowledge
) -> None:
    channel, thread = unique("C"), later_ts()
    fake.add_message(
        channel, {"type": "message", "user": "UOTHER001", "text": "lunch?", "ts": thread}
    )
    _mention_in(server, channel, "what did Russia say?", thread)
    [call] = fake.wait_for(fake.posts_to(channel))
    assert answer_blocks(call.body["blocks"]) == expected(kb, "what did Russia say?")
    assert "Read as" not in json.dumps(call.body["blocks"])


def test_a_reply_in_a_dm_answers_thread_follows_up_on_it(
    server: Server, fake: FakeSlack, kb: Knowledge
) -> None:
    channel = unique("D")
    server.signed_json(event_callback(dm("Tokayev", channel, ts=later_ts())))
    [first] = fake.wait_for(fake.posts_to(channel))
    assert first.body.get("thread_ts") is None  # a DM is answered at the top level
    answer_ts = _ts_of(fake, channel)
    event = dm("what did he propose?", channel, thread_ts=answer_ts, ts=later_ts())
    server.signed_json(event_callback(event))
    _, second = fake.wait_for(fake.posts_to(channel), count=2)
    assert second.body["thread_ts"] == answer_ts
    assert answer_blocks(second.body["blocks"]) == expected(
        kb, "what did Tokayev propose", understood="Tokayev on: propose"
    )


def _ts_of(fake: FakeSlack, channel: str) -> str:
    [(_, root)] = [key for key in fake.threads if key[0] == channel]
    return root


def test_without_history_access_a_threaded_mention_is_still_answered(
    app: App, fake: FakeSlack, kb: Knowledge
) -> None:
    channel, thread = unique("C"), later_ts()
    fake.fail(
        lambda c: c.method == "conversations.replies" and c.body.get("channel") == channel,
        error="missing_scope",
    )
    dispatch(
        app,
        event_callback(mention(f"<@{BOT_USER}> csto", channel, ts=later_ts(), thread_ts=thread)),
    )
    [call] = fake.wait_for(fake.posts_to(channel))
    assert call.body["thread_ts"] == thread and answer_blocks(call.body["blocks"]) == expected(
        kb, "csto"
    )


# --- the message shortcut ----------------------------------------------------------------------


def test_the_shortcut_answers_privately_with_a_share_button(
    server: Server, fake: FakeSlack, kb: Knowledge
) -> None:
    url = fake.response_url()
    text = "Tokayev proposed a Central Asian defence union, didn't he?"
    assert server.signed_action(message_shortcut(text, url))[0] == 200
    [call] = fake.wait_for(fake.replies_to(url))
    assert call.body["response_type"] == "ephemeral"
    assert answer_blocks(call.body["blocks"]) == expected(
        kb, text, question=f"Check: {text}", restate=True, shareable=True
    )
    assert SHARE in button_values(call.body["blocks"])


def test_the_shortcut_says_so_when_nothing_bears_on_the_message(
    server: Server, fake: FakeSlack
) -> None:
    url = fake.response_url()
    server.signed_action(message_shortcut("Happy birthday Sarah!", url))
    [call] = fake.wait_for(fake.replies_to(url))
    assert call.body["response_type"] == "ephemeral"
    assert NOTHING in call.body["text"] and "Happy birthday Sarah!" in call.body["text"]
    assert SHARE not in button_values(call.body["blocks"])


def test_the_shortcut_on_a_threaded_message_answers_in_that_thread(
    app: App, fake: FakeSlack
) -> None:
    url = fake.response_url()
    dispatch(app, message_shortcut("csto", url, thread_ts="1724050000.000100"))
    [call] = fake.wait_for(fake.replies_to(url))
    assert call.body["thread_ts"] == "1724050000.000100"


# --- fixes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", [MORE, SHARE])
def test_button_replies_to_a_threaded_answer_stay_in_the_thread(
    server: Server, fake: FakeSlack, action: str
) -> None:
    url = fake.response_url()
    payload = block_actions(
        action, click_value("/timeline", 1), url, ephemeral=False, thread_ts="1724050000.000100"
    )
    assert server.signed_action(payload)[0] == 200
    [call] = fake.wait_for(fake.replies_to(url))
    assert call.body["thread_ts"] == "1724050000.000100"


def _failing(kb: Knowledge, query: str) -> Any:
    raise RuntimeError("engine exploded")


@pytest.mark.parametrize("trouble", ["stale button", "failure"])
def test_notes_about_a_threaded_answers_buttons_stay_in_the_thread(
    app: App, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch, trouble: str
) -> None:
    value = "not a value we wrote" if trouble == "stale button" else click_value("/timeline", 1)
    if trouble == "failure":
        monkeypatch.setattr(actions, "answer", _failing)
    url = fake.response_url()
    dispatch(app, block_actions(MORE, value, url, ephemeral=False, thread_ts="1724050000.000100"))
    [call] = fake.wait_for(fake.replies_to(url))
    assert call.body["thread_ts"] == "1724050000.000100"
    assert call.body["response_type"] == "ephemeral"


def test_no_token_warning_at_start(
    server: Server,
    fake: FakeSlack,
    kb: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bolt reads SLACK_BOT_TOKEN from the environment and warned on every start."""
    assert "will be unused" not in server.log.read_text(errors="replace")
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    settings = Settings(
        slack_bot_token=BOT_TOKEN, slack_app_token="xapp-1-t", slack_api_url=fake.api_url
    )
    from slack_sdk import WebClient

    with caplog.at_level(logging.DEBUG):
        create_app(settings, kb, WebClient(token=BOT_TOKEN, base_url=fake.api_url))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


HOSTILE = "<!channel> <!here> <!everyone> <@U0DEADBEEF> <http://evil.example|click> csto"


@pytest.mark.parametrize("surface", ["panel", "follow-up", "shortcut", "shortcut, nothing"])
def test_broadcast_mentions_never_reach_slack_unescaped_from_the_new_surfaces(
    server: Server, fake: FakeSlack, surface: str
) -> None:
    channel, thread = unique("D" if surface == "panel" else "C"), later_ts()
    url = fake.response_url()
    if surface == "panel":
        server.signed_json(event_callback(dm(HOSTILE, channel, thread_ts=thread, ts=later_ts())))
        fake.wait_for(fake.posts_to(channel))
    elif surface == "follow-up":
        server.signed_json(event_callback(mention(f"<@{BOT_USER}> {HOSTILE}", channel, ts=thread)))
        fake.wait_for(fake.posts_to(channel))
        _mention_in(server, channel, f"and {HOSTILE}?", thread)
        fake.wait_for(fake.posts_to(channel), count=2)
    else:
        text = HOSTILE if surface == "shortcut" else HOSTILE.replace("csto", "happy birthday")
        server.signed_action(message_shortcut(text, url, channel=channel))
        fake.wait_for(fake.replies_to(url))
    mine = fake.matching(
        lambda c: (
            channel in (c.body.get("channel"), c.body.get("channel_id"))
            or c.path == url.removeprefix(fake.url)
        )
    )
    raw = "".join(c.raw for c in mine)
    assert mine
    for token in ("<!channel>", "<!here>", "<!everyone>", "<@U0DEADBEEF>", "<http://evil"):
        assert token not in raw
