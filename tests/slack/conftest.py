"""Fixtures: the fake Slack, settings pointing at it, the real server process, the fact base."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import TypeVar

import pytest
import realstores
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


T = TypeVar("T")


def _start(server: AbstractContextManager[T]) -> Iterator[T]:
    """A real server for the session; skipped where it is not installed, except in CI, where
    a missing server fails (`.ci/run` installs it)."""
    try:
        with server as running:
            yield running
    except realstores.Missing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; CI must run these tests")
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis server on loopback, for the session."""
    yield from _start(realstores.redis_server())


@pytest.fixture(scope="session")
def postgres() -> Iterator[realstores.Postgres]:
    """A real Postgres server on loopback, for the session (`postgres.database()`: a fresh one)."""
    yield from _start(realstores.postgres_server())


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """The query log's two engines: None is the SQLite file under RUN_DIR; else a fresh
    database on the session's real Postgres."""
    if request.param == "postgres":
        server: realstores.Postgres = request.getfixturevalue("postgres")
        return server.database()
    return None
