"""manifest.json and the code agree: what Slack sends is exactly what the app listens to."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from jsonschema import Draft7Validator
from slack_bolt import App
from slackfakes import (
    ROOT,
    FakeSlack,
    assistant_thread_started,
    dispatch,
    dm,
    event_callback,
    home_opened,
    mention,
    message_shortcut,
    slash_command,
)

from bot.cli.manifest import http_manifest
from bot.slack.assistant import PROMPTS
from bot.slack.commands import COMMANDS
from bot.slack.shortcut import CALLBACK_ID

MANIFEST: dict[str, Any] = json.loads((ROOT / "manifest.json").read_text())
MANIFEST_COMMANDS = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
MANIFEST_EVENTS = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
SCOPES = set(MANIFEST["oauth_config"]["scopes"]["bot"])

# Slack's published schema for manifests of major version 1 (see manifest.schema.README.md).
SCHEMA = Draft7Validator(
    json.loads((ROOT / "tests" / "slack" / "manifest.schema.1.0.0.json").read_text())
)

# One realistic event per subscription name, including some the app must NOT subscribe to.
EVENTS: dict[str, dict[str, Any]] = {
    "app_mention": mention("<@UBOT0001> csto", "C0MANIFEST"),
    "assistant_thread_started": assistant_thread_started("D0MANIFEST", "1724050000.000100"),
    "message.im": dm("csto", "D0MANIFEST"),
    "app_home_opened": home_opened("U0MANIFEST"),
    "reaction_added": {
        "type": "reaction_added",
        "user": "U1",
        "reaction": "eyes",
        "event_ts": "1.1",
        "item": {"type": "message", "channel": "C1", "ts": "1.0"},
    },
    "member_joined_channel": {
        "type": "member_joined_channel",
        "user": "U1",
        "channel": "C1",
        "channel_type": "C",
        "team": "T1",
        "event_ts": "1.2",
    },
}


def handled(app: App, body: dict[str, Any]) -> bool:
    """Whether a listener took `body` (the `app` fixture: Socket Mode, so no signature)."""
    status = dispatch(app, body)
    assert status in (200, 404)
    return status == 200


def test_manifest_declares_exactly_the_commands_in_code() -> None:
    assert set(COMMANDS) == MANIFEST_COMMANDS


@pytest.mark.parametrize("command", sorted(MANIFEST_COMMANDS | set(COMMANDS) | {"/help", "/c5"}))
def test_a_command_is_handled_exactly_when_the_manifest_declares_it(
    app: App, fake_slack: FakeSlack, command: str
) -> None:
    body = slash_command(command, "help", fake_slack.response_url())
    assert handled(app, body) is (command in MANIFEST_COMMANDS)


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_an_event_is_handled_exactly_when_the_manifest_subscribes_to_it(
    app: App, name: str
) -> None:
    assert handled(app, event_callback(EVENTS[name])) is (name in MANIFEST_EVENTS)


def test_every_subscribed_event_has_a_payload_here() -> None:
    assert set(EVENTS) >= MANIFEST_EVENTS


@pytest.mark.parametrize(
    ("needs", "scope"),
    [
        ("app_mention", "app_mentions:read"),
        ("message.im", "im:history"),
        ("slash commands", "commands"),
        ("chat.postMessage", "chat:write"),
        ("assistant.threads.setStatus / setTitle / setSuggestedPrompts", "assistant:write"),
        ("conversations.replies in a channel thread (follow-ups)", "channels:history"),
        ("conversations.replies in a private channel thread", "groups:history"),
        ("assistant_thread_started and panel messages", "im:history"),
    ],
)
def test_scopes_cover_what_the_app_uses(needs: str, scope: str) -> None:
    assert scope in SCOPES, f"{needs} needs {scope}"


def test_surfaces_are_enabled() -> None:
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True


def test_procfile_serves_http() -> None:
    assert (ROOT / "Procfile").read_text().strip() == "web: python -m bot serve"


def _errors(manifest: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in SCHEMA.iter_errors(manifest)]


def test_manifest_validates_against_slacks_published_schema() -> None:
    assert MANIFEST["_metadata"]["major_version"] == 1  # the version this schema describes
    assert _errors(MANIFEST) == []


@pytest.mark.parametrize(
    "break_it",
    [
        lambda m: m["features"]["shortcuts"][0].update(name="Check this message against articles"),
        lambda m: m["features"]["slash_commands"][0].update(command="brief"),
        lambda m: m["features"].update(assistant_view={"suggested_prompts": []}),
        lambda m: m["settings"].update(socket_mode=True),
    ],
    ids=["shortcut name over 24", "command without slash", "no assistant description", "typo"],
)
def test_the_schema_check_catches_what_slack_would_refuse(break_it: Any) -> None:
    broken = json.loads(json.dumps(MANIFEST))
    break_it(broken)
    assert _errors(broken)


def test_the_message_shortcut_is_declared_and_handled(app: App, fake_slack: FakeSlack) -> None:
    [shortcut] = MANIFEST["features"]["shortcuts"]
    assert shortcut["type"] == "message" and shortcut["callback_id"] == CALLBACK_ID
    assert len(shortcut["name"]) <= 24
    assert handled(app, message_shortcut("csto", fake_slack.response_url()))
    other = {**message_shortcut("csto", fake_slack.response_url()), "callback_id": "other"}
    assert not handled(app, other)


def test_the_assistant_view_offers_prompts_the_panel_offers() -> None:
    view = MANIFEST["features"]["assistant_view"]
    assert view["assistant_description"]
    assert all(prompt in PROMPTS for prompt in view["suggested_prompts"])


def test_manifest_command_prints_the_http_manifest() -> None:
    """`python -m bot manifest --url`: the request URL in all seven places, Socket Mode off."""
    run = subprocess.run(
        [sys.executable, "-m", "bot", "manifest", "--url", "https://c5.example.org/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    printed = json.loads(run.stdout)
    assert _errors(printed) == []
    url = "https://c5.example.org/slack/events"
    urls = [c["url"] for c in printed["features"]["slash_commands"]]
    urls += [printed["settings"]["event_subscriptions"]["request_url"]]
    urls += [printed["settings"]["interactivity"]["request_url"]]
    assert urls == [url] * 7
    assert printed["settings"]["socket_mode_enabled"] is False
    assert printed == http_manifest(MANIFEST, "https://c5.example.org")
    assert MANIFEST["settings"]["socket_mode_enabled"] is True  # the committed one: Socket Mode


@pytest.mark.parametrize(
    "url", ["http://c5.example.org", "c5.example.org", "https://", "https://x.org/?a=1"]
)
def test_manifest_command_refuses_a_url_slack_would_refuse(url: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bot", "manifest", "--url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and run.stdout == "" and "https://" in run.stderr
