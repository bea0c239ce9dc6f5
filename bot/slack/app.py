"""create_app: one Bolt App wired to the fact base, with every listener registered explicitly."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

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
from bot.slack.jobs import Jobs
from bot.slack.logcontext import provide_log
from bot.slack.runner import Handler, Runner, provide_runner

log = logging.getLogger(__name__)

# Every kind of answer job, and what answers it (after the acknowledgement, in the pool).
HANDLERS: dict[str, Handler] = {
    "command": commands.answer_command,
    "mention": mentions.answer_mention,
    "dm": messages.answer_message,
    "panel": assistant.answer_panel,
    "shortcut": shortcut.answer_check,
    "home": home.publish_home,
    "page": actions.answer_page,
    "share": actions.answer_share,
    "feedback": feedback.answer_feedback,
}


def create_app(
    settings: Settings,
    kb: Knowledge,
    client: WebClient,
    events: EventLog | None = None,
    runner: Runner | None = None,
    identity: AuthorizeResult | None = None,
    querylog: QueryLog | None = None,
) -> App:
    """Build the app without touching the network (signatures: the HTTP gate in server.py, and
    Bolt's own check behind it; Socket Mode needs none).

    Listeners run on the request thread and only record and queue their job (`defer`), so the
    acknowledgement never waits; `runner` answers them in its pool of
    `settings.listener_threads` (by default an in-memory job table: no durability).
    `identity` (the bot's auth.test, asked once at start by `identify`) spares every worker's
    first requests Bolt's own auth.test call, which would hold their acknowledgement.
    """
    secret = settings.slack_signing_secret
    if runner is None:
        runner = make_runner(settings, kb, client, Jobs(None))
    _quiet_token_warning()
    app = App(
        client=client,
        signing_secret=secret.get_secret_value() if secret is not None else "",
        token_verification_enabled=False,
        authorize=(lambda: identity) if identity is not None else None,
        process_before_response=True,
        # Our listeners defer their work to `runner`; Bolt's pool is only for lazy listeners.
        listener_executor=ThreadPoolExecutor(
            settings.listener_threads, thread_name_prefix="c5-bolt"
        ),
    )
    # Bolt logs the whole body of a request whose signature fails, at INFO: keep payloads out.
    # (Set after App(), whose constructor copies the root level onto Bolt's loggers.)
    logging.getLogger("slack_bolt.RequestVerification").setLevel(logging.WARNING)
    app.use(once(events if events is not None else RecentEvents()))
    app.use(provide(kb))
    app.use(provide_runner(runner))
    logs = provide_log(querylog, curators_of(settings))
    app.use(logs)
    # The answer functions get the same fact base (the runner's) and the same query log.
    runner.use(logs)
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


def make_runner(settings: Settings, kb: Knowledge, client: WebClient, jobs: Jobs) -> Runner:
    """The answer pool over `jobs`, started."""
    runner = Runner(jobs, HANDLERS, kb, client, errors.apologise, settings.listener_threads)
    runner.start()
    return runner


def identify(client: WebClient) -> AuthorizeResult | None:
    """The bot's identity from one auth.test; None (Bolt then asks on first use) if Slack
    cannot say now."""
    try:
        found = client.auth_test()
    except (SlackApiError, OSError) as error:
        log.warning("auth.test failed at start (%s); asking again on the first request", error)
        return None
    return AuthorizeResult.from_auth_test_response(bot_token=client.token, auth_test_response=found)


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
