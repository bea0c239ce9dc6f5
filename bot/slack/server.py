"""serve(): Socket Mode when an app token is set, else HTTP under gunicorn on $PORT.

HTTP routes: POST /slack/events (events, commands, interactivity; signatures are checked and
bad ones answered 401 before any work) and GET /healthz.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.request.internals import parse_body
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.core.knowledge import Knowledge
from bot.querylog import QueryLog
from bot.settings import WHERE, Settings, SettingsError, mode_of, secrets_of
from bot.slack import stores
from bot.slack.app import create_app, identify, make_runner, web_client
from bot.slack.asgi import Bridge
from bot.slack.dedupe import EventLog, RecentEvents, SqliteEvents
from bot.slack.jobs import Jobs
from bot.slack.redact import redact
from bot.slack.runner import Runner
from bot.slack.store import StoreError

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
EVENT_LOG = stores.EVENT_LOG
# Slack's largest payloads (a button on a 50-block message) are well under this.
MAX_BODY = 1024 * 1024
# Slack's deepest payloads (rich text inside a message inside a button click) nest about 12.
MAX_DEPTH = 64
GRACE = 25  # seconds a worker has after SIGTERM to finish (platforms usually allow 30)
# Seconds of that grace spent finishing answers; what is left after it is handed over (and
# recorded) in time, before gunicorn's kill at GRACE.
DRAIN = GRACE - 7

log = logging.getLogger(__name__)


def serve(settings: Settings, kb: Knowledge) -> int:
    """Run until stopped; returns the process exit status."""
    mode = mode_of(settings)
    if mode == "console":
        raise SettingsError(
            "No Slack settings: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or "
            "SLACK_APP_TOKEN (Socket Mode). Put them in the environment or in .env "
            "(copy .env.example)."
        )
    if mode == "socket":
        return _serve_socket(settings, kb)
    return _serve_http(settings, kb)


def _serve_socket(settings: Settings, kb: Knowledge) -> int:
    """One process: acknowledged envelopes are recorded jobs; SIGTERM or SIGINT closes the
    connection (no new work), finishes answers within the grace, hands over the rest."""
    assert settings.slack_app_token is not None, "mode_of() said socket"
    if not _store_ready(settings):
        return 2
    problem = stores.prepare(settings)
    if problem is not None:
        log.error("%s", problem)
        return 2
    client = web_client(settings)
    opened = _stores(settings, kb, client)
    if opened is None:
        return 2
    events, runner = opened
    querylog = stores.query_log(settings)
    app = create_app(settings, kb, client, events, runner, identify(client), querylog)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("%s: closing the Socket Mode connection", signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    log.info("C5 Brief connecting to Slack over Socket Mode")
    handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
    handler.connect()  # type: ignore[no-untyped-call]
    stop.wait()
    handler.close()  # type: ignore[no-untyped-call]
    runner.stop(DRAIN)
    if querylog is not None:
        querylog.close()  # the rows still queued
    log.info("C5 Brief stopped")
    if runner.busy():
        _exit_now()
    return 0


def _exit_now() -> None:
    """Leave without waiting for answers past the grace (handed over, so not lost): Python
    would otherwise wait for their threads at exit, past the platform's kill."""
    logging.shutdown()
    os._exit(0)


def _store_ready(settings: Settings) -> bool:
    """Once, at start, rather than as a boot failure in every worker: can RUN_DIR hold the
    event log? A damaged file is no reason to stop (it is put aside and made again)."""
    path = settings.run_dir / EVENT_LOG
    try:
        SqliteEvents(path).close()
        return True
    except (StoreError, OSError, sqlite3.Error) as error:
        if settings.run_dir.is_dir() and os.access(settings.run_dir, os.W_OK | os.X_OK):
            log.error(
                "the event log %s cannot be opened (%s), though RUN_DIR is writable: "
                "check the file's owner and permissions, or move it away",
                path,
                error,
            )
        else:
            log.error(
                "RUN_DIR %s cannot hold the event log (%s): set RUN_DIR to a writable "
                "directory. %s",
                settings.run_dir,
                error,
                WHERE,
            )
        return False


def _stores(settings: Settings, kb: Knowledge, client: WebClient) -> tuple[EventLog, Runner] | None:
    """This process's event log (SQLite in RUN_DIR, or Redis with REDIS_URL) and its answer
    pool over the job table (always in RUN_DIR's SQLite file: jobs belong to this host)."""
    path = settings.run_dir / EVENT_LOG
    try:
        events, jobs = stores.event_log(settings), Jobs(path)
    except (StoreError, OSError, sqlite3.Error) as error:
        log.error("cannot open the event log %s (%s)", path, error)
        return None
    return events, make_runner(settings, kb, client, jobs)


def _serve_http(settings: Settings, kb: Knowledge) -> int:
    if not _store_ready(settings):
        return 2
    problem = stores.prepare(settings)  # once, here, rather than in every worker
    if problem is not None:
        log.error("%s", problem)
        return 2
    worker = _Worker(settings, kb, identify(web_client(settings)))
    options: dict[str, Any] = {
        "bind": f"{settings.host}:{settings.port}",
        # Several processes answer at once; the event log they share is a SQLite file in
        # run_dir, so a retried event is answered once whichever process gets it.
        "workers": settings.web_concurrency,
        # asyncio reads requests (a slow client holds a socket, not a thread); whole requests
        # run in WEB_THREADS threads (bot/slack/asgi.py).
        "worker_class": "bot.slack.asgi.Worker",
        "timeout": 30,
        "graceful_timeout": GRACE,
        "control_socket_disable": True,  # gunicorn >= 25 would open a socket under $HOME
        "loglevel": settings.log_level.lower(),
        "worker_exit": worker.finish,
        # Recycling: gunicorn lets the old worker finish its requests (and worker.finish its
        # answers) while a new one, forked with the fact base already loaded, takes over.
        "max_requests": settings.worker_max_requests,
        "max_requests_jitter": settings.worker_max_requests // 10,
        # gunicorn's own log handlers, set up after __main__'s: the same redaction on them.
        "when_ready": lambda _arbiter: redact(
            secrets_of(settings), logging.getLogger("gunicorn.error")
        ),
    }
    log.info(
        "C5 Brief serving HTTP on %s:%s (POST %s): %d workers x %d threads",
        settings.host,
        settings.port,
        EVENTS_PATH,
        settings.web_concurrency,
        settings.web_threads,
    )
    try:
        _Gunicorn(worker.start, options).run()
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 0
    return 0


class _Worker:
    """What each gunicorn worker process builds after the fork, and finishes before it exits."""

    def __init__(self, settings: Settings, kb: Knowledge, identity: AuthorizeResult | None) -> None:
        self._settings, self._kb, self._identity = settings, kb, identity
        self._runner: Runner | None = None
        self._querylog: QueryLog | None = None
        self._handing_over = threading.Lock()
        self._handed_over = threading.Event()

    def start(self) -> Bridge:
        settings = self._settings
        client = web_client(settings)
        opened = _stores(settings, self._kb, client)
        if opened is None:
            raise SystemExit(3)
        events, self._runner = opened
        self._querylog = stores.query_log(settings)
        app = create_app(
            settings, self._kb, client, events, self._runner, self._identity, self._querylog
        )
        secret = settings.slack_signing_secret
        route = wsgi(app, secret.get_secret_value() if secret is not None else "", events)
        return Bridge(route, settings.web_threads, MAX_BODY, HEALTH_PATH, self.hand_over)

    def hand_over(self) -> None:
        """Finish the answers owed after their acknowledgement, within the grace, and hand the
        rest to the next worker (once: from SIGTERM, or at exit after a recycle)."""
        if self._runner is None or not self._handing_over.acquire(blocking=False):
            return
        try:
            self._runner.stop(DRAIN)
        finally:
            self._handed_over.set()

    def finish(self, _arbiter: object, _worker: object) -> None:
        """gunicorn's worker_exit hook: the hand-over done (or done now), the query log's
        queued rows written, leave."""
        self.hand_over()
        self._handed_over.wait(DRAIN + 2)
        if self._querylog is not None:
            self._querylog.close()
        if self._runner is not None and self._runner.busy():
            _exit_now()


def wsgi(app: App, signing_secret: str, seen: EventLog | None = None) -> WSGIApplication:
    """Bolt's WSGI adapter behind a gate, plus a health check for the platform.

    The gate refuses oversized bodies (413) and unsigned, badly signed or stale requests (401)
    before Bolt parses anything, so a forged request does no work at all; a signed request
    seen before (same timestamp and signature: a replay within the 5 minutes a signature is
    good for) gets 200 and no second answer; a signed body that is not a Slack payload (bad
    JSON, not an object, nested deeper than any of Slack's) gets 400.
    """
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret)
    seen = seen if seen is not None else RecentEvents()

    def route(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _plain(start_response, "200 OK", b"ok\n")
        if path == EVENTS_PATH and method == "POST":
            body = _body(environ)
            if body is None:
                return _plain(start_response, "413 Content Too Large", b"too large\n")
            if not _signed(verifier, environ, body):
                return _plain(start_response, "401 Unauthorized", b"invalid request\n")
            if not _readable(body, environ.get("CONTENT_TYPE")):
                return _plain(start_response, "400 Bad Request", b"not a Slack payload\n")
            if seen.seen(_replay_key(environ)):
                return _plain(start_response, "200 OK", b"")
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return slack(environ, start_response)

    return route


def _body(environ: WSGIEnvironment) -> bytes | None:
    """The request body, or None when it is over MAX_BODY (declared or actual)."""
    try:
        declared = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if declared > MAX_BODY:
        return None
    stream = environ["wsgi.input"]
    body: bytes = stream.read(declared) if declared else stream.read(MAX_BODY + 1)
    return body if len(body) <= MAX_BODY else None


def _signed(verifier: SignatureVerifier, environ: WSGIEnvironment, body: bytes) -> bool:
    """Slack's v0 signature over timestamp and body, made within the last five minutes."""
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE")
    if not (isinstance(timestamp, str) and timestamp.isdigit() and isinstance(signature, str)):
        return False
    try:
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except (ValueError, UnicodeDecodeError):
        return False


def _replay_key(environ: WSGIEnvironment) -> str:
    """A signed request's identity: Slack signs each delivery (retries too) afresh."""
    return f"sig:{environ['HTTP_X_SLACK_REQUEST_TIMESTAMP']}:{environ['HTTP_X_SLACK_SIGNATURE']}"


def _readable(body: bytes, content_type: object) -> bool:
    """A JSON object (or a form, or a form's JSON `payload`) no deeper than MAX_DEPTH."""
    kind = content_type.split(";")[0].strip() if isinstance(content_type, str) else None
    try:
        parsed = parse_body(body.decode("utf-8"), kind)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return False
    return isinstance(parsed, dict) and _depth(parsed) <= MAX_DEPTH


def _depth(value: object) -> int:
    """How deeply lists and objects nest in `value` (without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _plain(start_response: StartResponse, status: str, text: bytes) -> list[bytes]:
    start_response(
        status,
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(text)))],
    )
    return [text]


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn run from code, so `python -m bot serve` is the one entry point."""

    def __init__(self, load: Callable[[], Bridge], options: dict[str, Any]) -> None:
        self._load = load
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Bridge:
        """Build the Bolt app inside the worker, after gunicorn forks."""
        return self._load()
