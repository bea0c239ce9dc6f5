"""manifest.json and the code agree: what Slack sends is exactly what the app listens to."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_bolt import App
from slackfakes import (
    ROOT,
    FakeSlack,
    dispatch,
    dm,
    event_callback,
    home_opened,
    mention,
    slash_command,
)

from bot.slack.commands import COMMANDS

MANIFEST: dict[str, Any] = json.loads((ROOT / "manifest.json").read_text())
MANIFEST_COMMANDS = {c["command"] for c in MANIFEST["features"]["slash_commands"]}
MANIFEST_EVENTS = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
SCOPES = set(MANIFEST["oauth_config"]["scopes"]["bot"])

# One realistic event per subscription name, including some the app must NOT subscribe to.
EVENTS: dict[str, dict[str, Any]] = {
    "app_mention": mention("<@UBOT0001> csto", "C0MANIFEST"),
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
