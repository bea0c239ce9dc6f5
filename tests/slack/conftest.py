"""Fixtures: the fake Slack, settings pointing at it, the real server process, the fact base."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slackfakes import (
    BOT_TOKEN,
    FACTBASE,
    ROOT,
    SECRET,
    FakeSlack,
    Server,
    launch,
)

from bot.core.knowledge import Knowledge, load
from bot.settings import Settings
from bot.slack import create_app

# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load(FACTBASE)


@pytest.fixture(scope="session")
def seeds_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture()
def settings(fake_slack: FakeSlack) -> Settings:
    """HTTP mode (bot token and signing secret) against the fake Slack."""
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
    )


@pytest.fixture()
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)


@pytest.fixture()
def app(fake_slack: FakeSlack, kb: Knowledge, client: WebClient) -> App:
    """The app as Socket Mode runs it (an app-level token, no signing secret); drive it with
    slackfakes.dispatch."""
    settings = Settings(
        slack_bot_token=BOT_TOKEN, slack_app_token="xapp-1-test", slack_api_url=fake_slack.api_url
    )
    return create_app(settings, kb, client)


@pytest.fixture(scope="session")
def server(fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The Procfile's command, as production runs it (several workers), against the fake."""
    with launch(fake_slack.api_url, tmp_path_factory.mktemp("home")) as running:
        yield running
