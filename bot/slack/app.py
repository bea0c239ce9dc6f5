"""create_app: one Bolt App wired to the fact base, with every listener registered explicitly."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient

from bot.core.knowledge import Knowledge
from bot.querylog import QueryLog
from bot.settings import Settings, curators_of
from bot.slack import (
    actions,
    assistant,
    commands,
    deliver,
    errors,
    feedback,
    home,
    mentions,
    messages,
    shortcut,
)
from bot.slack.context import provide
from bot.slack.dedupe import EventLog, RecentEvents, once
from bot.slack.logcontext import provide_log


def create_app(
    settings: Settings,
    kb: Knowledge,
    client: WebClient,
    events: EventLog | None = None,
    listeners: Executor | None = None,
    querylog: QueryLog | None = None,
) -> App:
    """Build the app without touching the network (signatures: the HTTP gate in server.py, and
    Bolt's own check behind it; Socket Mode needs none).

    `listeners` runs the work after the acknowledgement (answering, posting); Bolt's default
    pool has 5 threads, so `settings.listener_threads` sizes it for the load we serve.
    """
    secret = settings.slack_signing_secret
    _quiet_token_warning()
    app = App(
        client=client,
        signing_secret=secret.get_secret_value() if secret is not None else "",
        token_verification_enabled=False,
        listener_executor=listeners
        or ThreadPoolExecutor(settings.listener_threads, thread_name_prefix="c5-listener"),
    )
    # Bolt logs the whole body of a request whose signature fails, at INFO: keep payloads out.
    # (Set after App(), whose constructor copies the root level onto Bolt's loggers.)
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    app.use(once(events if events is not None else RecentEvents()))
    app.use(provide(kb))
    app.use(provide_log(querylog, curators_of(settings)))
    # assistant after the middleware above: Bolt's Assistant is itself a middleware.
    for group in (
        commands,
        mentions,
        messages,
        assistant,
        shortcut,
        home,
        actions,
        feedback,
        errors,
    ):
        group.register(app)
    return app


class _DropTokenWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then warns on
    every start that the token will be unused. We pass the client on purpose (its base URL and
    retry handlers) and it holds that same token, so this one line says nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def _quiet_token_warning() -> None:
    bolt = logging.getLogger("slack_bolt.App")  # App's framework logger when given none
    if not any(isinstance(f, _DropTokenWarning) for f in bolt.filters):
        bolt.addFilter(_DropTokenWarning())


def web_client(settings: Settings) -> WebClient:
    """The Web API client for these settings, with slack_sdk's retry handlers."""
    token = settings.slack_bot_token
    return deliver.web_client(
        token.get_secret_value() if token is not None else None, settings.slack_api_url
    )
