"""Fixtures: the fake Slack, settings pointing at it, the real server process, the fact base."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slackfakes import (
    BOT_TOKEN,
    FACTBASE,
    ROOT,
    SECRET,
    FakeSlack,
    Server,
    free_port,
)

from bot.core.knowledge import Knowledge, load
from bot.settings import Settings

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
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake_slack.api_url,
    )


@pytest.fixture()
def client(fake_slack: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)


@pytest.fixture(scope="session")
def server(fake_slack: FakeSlack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Start the Procfile's command against the fake Slack and wait for /healthz (bounded)."""
    port = free_port()
    home = tmp_path_factory.mktemp("home")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",  # set and blank: a developer's .env cannot switch on Socket Mode
        "SLACK_API_URL": fake_slack.api_url,
        "PORT": str(port),
        "HOME": str(home),
        "FACTBASE_PATH": str(FACTBASE),
        "LOG_LEVEL": "INFO",  # so the log test sees what production logs
    }
    env.pop("XDG_RUNTIME_DIR", None)
    log = home / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    try:
        while True:
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"server exited with {proc.returncode}: {tail}")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer /healthz within 20 s")
            time.sleep(0.05)
        yield Server(url=url, home=home, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
