"""serve(): Socket Mode when an app token is set, else HTTP under gunicorn on $PORT.

HTTP routes: POST /slack/events (events, commands, interactivity; Bolt verifies signatures and
answers 401 before any work) and GET /healthz.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.core.knowledge import Knowledge
from bot.settings import Settings, SettingsError, mode_of
from bot.slack.app import create_app, web_client

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

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
    app = create_app(settings, kb, web_client(settings))
    log.info("C5 Brief connecting to Slack over Socket Mode")
    handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
    handler.start()  # type: ignore[no-untyped-call]
    return 0


def _serve_http(settings: Settings, kb: Knowledge) -> int:
    options: dict[str, Any] = {
        "bind": f"0.0.0.0:{settings.port}",
        # One process: the retry de-duplication store lives in memory (see dedupe.py).
        "workers": 1,
        "worker_class": "gthread",
        "threads": 8,
        "control_socket_disable": True,  # gunicorn >= 25 would open a socket under $HOME
        "loglevel": settings.log_level.lower(),
    }
    log.info("C5 Brief serving HTTP on port %s (POST %s)", settings.port, EVENTS_PATH)
    try:
        _Gunicorn(lambda: wsgi(create_app(settings, kb, web_client(settings))), options).run()
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 0
    return 0


def wsgi(app: App) -> WSGIApplication:
    """Bolt's WSGI adapter for Slack's requests, plus a health check for the platform."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def route(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return route


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
