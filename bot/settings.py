"""Runtime settings from the environment; the caller loads .env first (see .env.example)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
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
    port: int = Field(default=3000, ge=0, le=65535)
    host: str = "0.0.0.0"  # platforms route to the container; tests and local runs use 127.0.0.1
    slack_api_url: str = "https://slack.com/api/"
    factbase_path: Path = Path("knowledge/factbase.json")
    log_level: str = "INFO"
    # Capacity (see README "Reliability"): processes, request threads in each, and threads in
    # each for the listener work that runs after Slack has its acknowledgement.
    web_concurrency: int = Field(default=2, ge=1, le=64)
    web_threads: int = Field(default=12, ge=1, le=256)
    listener_threads: int = Field(default=12, ge=1, le=256)
    # A worker is replaced after about this many requests (0: never): a long-lived worker's
    # resident memory creeps up slowly while its Python objects stay flat (fragmentation),
    # and a fresh fork of the master, fact base already loaded, costs milliseconds.
    worker_max_requests: int = Field(default=20_000, ge=0)
    # Where the worker processes share state: the event log that answers each event once.
    run_dir: Path = Path(".run")
    # Shared stores for several hosts (README "Several hosts"): the query log in Postgres
    # (else a SQLite file in run_dir) and the event log in Redis (else SQLite in run_dir).
    database_url: SecretStr | None = None
    redis_url: SecretStr | None = None
    # The query log (README "What is logged"): off with QUERY_LOG=false; rows older than the
    # retention are deleted; the secret keys the hash that stands in for Slack user ids.
    query_log: bool = True
    query_log_retention_days: float = Field(default=90, gt=0)
    query_log_secret: SecretStr | None = None
    # Slack user ids (comma-separated) shown the curator's short report in App Home.
    curators: str = ""

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "database_url",
        "redis_url",
        "query_log_secret",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """A line like `SLACK_APP_TOKEN=` copied from .env.example means "not set"."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value.upper()

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        """WebClient joins method names onto the base URL, so it must end in a slash."""
        return value if value.endswith("/") else value + "/"


def describe(error: ValidationError) -> str:
    """One line per bad setting, named as it is set (`WEB_CONCURRENCY`), never its secret value."""
    lines = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]).upper()
        lines.append(f"{name}: {problem['msg']}")
    return "; ".join(lines) + f". {WHERE}"


def secrets_of(settings: Settings) -> list[str]:
    """The secret values set, for the log filter that keeps them out of every log line
    (a database or Redis URL as a whole, and the password inside it on its own)."""
    values = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
        settings.database_url,
        settings.redis_url,
        settings.query_log_secret,
    )
    found = [v.get_secret_value() for v in values if v is not None]
    for url in (settings.database_url, settings.redis_url):
        if url is not None:
            try:
                password = urlsplit(url.get_secret_value()).password
            except ValueError:  # malformed: the whole URL is redacted already
                password = None
            if password:
                found.append(password)
    return found


def curators_of(settings: Settings) -> frozenset[str]:
    """The Slack user ids in CURATORS (commas or spaces between them)."""
    return frozenset(settings.curators.replace(",", " ").split())


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
