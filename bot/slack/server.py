"""serve(): Socket Mode when an app token is set, else HTTP under gunicorn on $PORT.

HTTP routes: POST /slack/events (events, commands, interactivity; signatures are checked and
bad ones answered 401 before any work) and GET /healthz.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.core.knowledge import Knowledge
from bot.querylog import QueryLog
from bot.settings import Settings, SettingsError, mode_of, secrets_of
from bot.slack import stores
from bot.slack.app import create_app, web_client
from bot.slack.redact import redact

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
EVENT_LOG = stores.EVENT_LOG
# Slack's largest payloads (a button on a 50-block message) are well under this.
MAX_BODY = 1024 * 1024
GRACE = 25  # seconds a worker has after SIGTERM to finish (platforms usually allow 30)

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
    assert settings.slack_app_token is not None, "mode_of() said socket"
    problem = stores.prepare(settings)
    if problem is not None:
        log.error("%s", problem)
        return 2
    querylog = stores.query_log(settings)
    app = create_app(
        settings,
        kb,
        web_client(settings),
        # One process: its memory is enough, unless hosts share the app token (then Redis).
        stores.event_log(settings) if settings.redis_url is not None else None,
        None,
        querylog,
    )
    log.info("C5 Brief connecting to Slack over Socket Mode")
    handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
    try:
        handler.start()  # type: ignore[no-untyped-call]
    finally:
        if querylog is not None:
            querylog.close()  # the rows still queued
    return 0


def _serve_http(settings: Settings, kb: Knowledge) -> int:
    problem = stores.prepare(settings)  # once, here, rather than in every worker
    if problem is not None:
        log.error("%s", problem)
        return 2
    worker = _Worker(settings, kb)
    options: dict[str, Any] = {
        "bind": f"{settings.host}:{settings.port}",
        # Several processes answer at once; the event log they share is a SQLite file in
        # run_dir, so a retried event is answered once whichever process gets it.
        "workers": settings.web_concurrency,
        "worker_class": "gthread",
        "threads": settings.web_threads,
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

    def __init__(self, settings: Settings, kb: Knowledge) -> None:
        self._settings, self._kb = settings, kb
        self._listeners: ThreadPoolExecutor | None = None
        self._querylog: QueryLog | None = None

    def start(self) -> WSGIApplication:
        settings = self._settings
        self._listeners = ThreadPoolExecutor(
            settings.listener_threads, thread_name_prefix="c5-listener"
        )
        events = stores.event_log(settings)
        self._querylog = stores.query_log(settings)
        app = create_app(
            settings, self._kb, web_client(settings), events, self._listeners, self._querylog
        )
        secret = settings.slack_signing_secret
        return wsgi(app, secret.get_secret_value() if secret is not None else "")

    def finish(self, _arbiter: object, _worker: object) -> None:
        """On SIGTERM gunicorn finishes open requests; this lets answers still being written
        after their acknowledgement reach Slack too."""
        if self._listeners is not None:
            self._listeners.shutdown(wait=True)
        if self._querylog is not None:
            self._querylog.close()


def wsgi(app: App, signing_secret: str) -> WSGIApplication:
    """Bolt's WSGI adapter behind a gate, plus a health check for the platform.

    The gate refuses oversized bodies (413) and unsigned, badly signed or stale requests (401)
    before Bolt parses anything, so a forged request does no work at all.
    """
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    verifier = SignatureVerifier(signing_secret)

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


def _plain(start_response: StartResponse, status: str, text: bytes) -> list[bytes]:
    start_response(
        status,
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(text)))],
    )
    return [text]


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """gunicorn run from code, so `python -m bot serve` is the one entry point."""

    def __init__(self, load: Callable[[], WSGIApplication], options: dict[str, Any]) -> None:
        self._load = load
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIApplication:
        """Build the Bolt app inside the worker, after gunicorn forks."""
        return self._load()
