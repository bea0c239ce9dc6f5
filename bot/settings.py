"""Runtime settings from the environment; the caller loads .env first (see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["console", "socket", "http"]

WHERE = "Put it in the environment or in .env (copy .env.example)."


class SettingsError(Exception):
    """Slack settings are missing or do not fit together; the message names what to fix."""


class Settings(BaseSettings):
    """Everything the process reads from the environment, validated once at start."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    port: int = 3000
    slack_api_url: str = "https://slack.com/api/"
    factbase_path: Path = Path("knowledge/factbase.json")
    log_level: str = "INFO"

    @field_validator("slack_bot_token", "slack_signing_secret", "slack_app_token", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """A line like `SLACK_APP_TOKEN=` copied from .env.example means "not set"."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        """WebClient joins method names onto the base URL, so it must end in a slash."""
        return value if value.endswith("/") else value + "/"


def mode_of(settings: Settings) -> Mode:
    """Which front end these settings ask for, or one message saying what is missing."""
    bot, secret, app = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    )
    if bot is None and secret is None and app is None:
        return "console"
    if bot is None:
        given = "SLACK_APP_TOKEN" if app is not None else "SLACK_SIGNING_SECRET"
        raise SettingsError(f"{given} is set but SLACK_BOT_TOKEN (xoxb-...) is missing. {WHERE}")
    if not bot.get_secret_value().startswith("xoxb-"):
        raise SettingsError(f"SLACK_BOT_TOKEN must be a bot token starting with xoxb-. {WHERE}")
    if app is not None:
        if not app.get_secret_value().startswith("xapp-"):
            raise SettingsError(
                f"SLACK_APP_TOKEN must be an app-level token starting with xapp-. {WHERE}"
            )
        return "socket"
    if secret is not None:
        return "http"
    raise SettingsError(
        "SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor "
        f"SLACK_SIGNING_SECRET (HTTP) is. Set one of them. {WHERE}"
    )
