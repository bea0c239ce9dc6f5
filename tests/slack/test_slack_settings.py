"""Settings: which front end the environment asks for, and one clear message when it can't tell."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings, SettingsError, describe, mode_of

BOT, SECRET, APP = "xoxb-1-abc", "signing-secret", "xapp-1-abc"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the developer's or the platform's environment: every field of
    Settings unset (in either case: Settings ignores case), in an empty working directory."""
    for name in Settings.model_fields:
        for variable in (name.upper(), name):
            monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("env", "mode"),
    [
        ({}, "console"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP}, "socket"),
        (
            {"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": APP, "SLACK_SIGNING_SECRET": SECRET},
            "socket",
        ),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET}, "http"),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_SIGNING_SECRET": SECRET, "SLACK_APP_TOKEN": ""}, "http"),
        ({"SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": "", "SLACK_APP_TOKEN": ""}, "console"),
    ],
)
def test_mode(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], mode: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert mode_of(Settings()) == mode


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"SLACK_BOT_TOKEN": BOT}, ["SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"]),
        ({"SLACK_APP_TOKEN": APP}, ["SLACK_BOT_TOKEN"]),
        ({"SLACK_SIGNING_SECRET": SECRET}, ["SLACK_BOT_TOKEN"]),
        ({"SLACK_BOT_TOKEN": APP, "SLACK_APP_TOKEN": BOT}, ["SLACK_BOT_TOKEN", "xoxb-"]),
        ({"SLACK_BOT_TOKEN": BOT, "SLACK_APP_TOKEN": BOT}, ["SLACK_APP_TOKEN", "xapp-"]),
    ],
)
def test_missing_or_inconsistent_settings_say_what_and_where(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], names: list[str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        mode_of(Settings())
    message = str(error.value)
    for name in names:
        assert name in message
    assert ".env" in message and ".env.example" in message
    for secret in (BOT, APP, SECRET):
        assert secret not in message


def test_defaults() -> None:
    settings = Settings()
    assert (settings.port, settings.slack_api_url, settings.factbase_path) == (
        3000,
        "https://slack.com/api/",
        Path("knowledge/factbase.json"),
    )


def test_secrets_do_not_show_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    assert BOT not in repr(Settings()) and SECRET not in str(Settings())


def test_dotenv_is_not_read_here(tmp_path: Path) -> None:
    """Loading .env is bot/__main__.py's job; Settings reads only the environment."""
    (tmp_path / ".env").write_text(f"SLACK_BOT_TOKEN={BOT}\nSLACK_SIGNING_SECRET={SECRET}\n")
    assert mode_of(Settings()) == "console"


def test_api_url_gets_the_trailing_slash_webclient_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    assert Settings().slack_api_url == "http://127.0.0.1:9/api/"


def test_serve_refuses_to_start_without_slack_settings() -> None:
    from bot.slack.server import serve

    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        serve(Settings(), kb=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WEB_CONCURRENCY", "0"),
        ("WEB_THREADS", "many"),
        ("LISTENER_THREADS", "-3"),
        ("PORT", "70000"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_value_is_named_with_where_to_fix_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT)
    with pytest.raises(ValidationError) as error:
        Settings()
    message = describe(error.value)
    assert message.startswith(f"{name}:") and ".env.example" in message and BOT not in message
