"""Getting a message to Slack: retry passing faults, explain or log the permanent ones.

Passing faults (429 with Retry-After, 500, 502, 503, 504, dropped connections) are retried by
slack_sdk's retry handlers, with jittered back-off and a total deadline per message, on the
Web API client and on response_url posts alike. Permanent ones are logged with what we were
doing and, where Slack still lets us reach the user, explained: blocks Slack refuses are sent
again as plain text; a channel we cannot post in, or an answer Slack kept failing to take,
gets a note in the user's DM with the app.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.render.blocks import Message, render_apology, render_plain, render_unreachable

TIMEOUT = 10  # seconds for one HTTP call to Slack
DEADLINE = 30.0  # seconds from a message's first try after which no retry starts
RETRIES = 4  # at most, per kind of fault
SERVER_ERRORS = frozenset({500, 502, 503, 504})
BLOCKS_REFUSED = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "msg_too_long"}
)
UNREACHABLE = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action"})

log = logging.getLogger(__name__)


class _Deadline(RetryHandler):
    """No retry once DEADLINE has passed since the message's first try (or would, for a
    429's Retry-After): a job must end, and tell its user, while Slack still lets it."""

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        values = state.custom_values if state.custom_values is not None else {}
        state.custom_values = values
        started = float(values.setdefault("c5_started", time.monotonic()))
        wait = _retry_after(response) if response is not None and response.status_code == 429 else 0
        if time.monotonic() + wait - started > DEADLINE:
            return False
        return super().can_retry(state=state, request=request, response=response, error=error)


class _ConnectionErrors(_Deadline, ConnectionErrorRetryHandler):
    pass


class _RateLimits(_Deadline, RateLimitErrorRetryHandler):
    pass


class _ServerErrors(_Deadline):
    """500, 502, 503 and 504 (slack_sdk's own handler leaves out 502 and 504, which load
    balancers in front of Slack answer when an upstream is briefly away)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in SERVER_ERRORS


def retry_handlers() -> list[RetryHandler]:
    """429: wait as long as Retry-After says; 5xx and resets: back off (0.5, 1, 2, 4 s, each
    plus up to 1 s of jitter); none of them past DEADLINE."""
    return [
        _ConnectionErrors(max_retry_count=RETRIES),
        _RateLimits(max_retry_count=RETRIES),
        _ServerErrors(max_retry_count=RETRIES),
    ]


def _retry_after(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return float(values[0])
            except ValueError:
                return 1.0
    return 1.0


def web_client(token: str | None, base_url: str) -> WebClient:
    """The Web API client; its base URL is the seam tests point at a local stand-in for Slack."""
    return WebClient(
        token=token, base_url=base_url, timeout=TIMEOUT, retry_handlers=retry_handlers()
    )


def post(
    client: WebClient,
    message: Message,
    *,
    channel: str,
    thread_ts: str | None,
    user: str | None,
    what: str,
    metadata: dict[str, Any] | None = None,
) -> bool:
    """chat.postMessage; False when Slack will not take it in that channel (already logged).

    `metadata`: message metadata an answer carries (how its question was read)."""
    try:
        _post(client, message, channel, thread_ts, metadata)
        return True
    except SlackApiError as error:
        code = _code(error)
        if code in BLOCKS_REFUSED:
            log.warning(
                "%s: Slack refused the blocks (%s) in %s; sent as text", what, code, channel
            )
            _post(client, render_plain(message), channel, thread_ts, metadata)
            return True
        if _failing(error):
            log.warning(
                "%s: Slack kept failing (%s) in %s; answer not delivered", what, code, channel
            )
            tell(client, user, render_apology(_ref()), what=what, skip=channel)
            return False
        if code not in UNREACHABLE:
            raise
        log.warning("%s: cannot post in %s (%s)", what, channel, code)
    tell(client, user, render_unreachable(channel, code), what=what)
    return False


def tell(
    client: WebClient | None,
    user: str | None,
    message: Message,
    *,
    what: str,
    skip: str | None = None,
) -> bool:
    """A note in the user's DM with the app (posting to a user id opens it); False if not."""
    if client is None or not user or user == skip:
        return False
    try:
        _post(client, message, user, None)
        return True
    except SlackApiError as again:
        log.warning("%s: cannot tell %s either (%s)", what, user, _code(again))
    except OSError as again:
        log.warning("%s: cannot tell %s either (%s)", what, user, type(again).__name__)
    return False


def reply(
    response_url: str | None,
    message: Message,
    *,
    what: str,
    client: WebClient | None = None,
    user: str | None = None,
    **options: Any,
) -> bool:
    """Answer through a response_url (slash commands, buttons); False if Slack refused it,
    and then, given `client` and `user`, the user is told in their DM with the app."""
    if not response_url:
        log.warning("%s: no response_url to answer through", what)
        return False
    hook = WebhookClient(url=response_url, timeout=TIMEOUT, retry_handlers=retry_handlers())
    # send_dict, not send(): send() has no `thread_ts`, which a reply in a thread needs (Bolt's
    # own respond() sends `thread_ts` and `metadata` to a response_url the same way).
    response = hook.send_dict({"text": message.text, "blocks": message.blocks or None, **options})
    if response.status_code == 200:
        return True
    code = response.body.strip()[:100]
    if code in BLOCKS_REFUSED:
        log.warning("%s: Slack refused the blocks (%s); sent as text", what, code)
        plain = render_plain(message)
        response = hook.send_dict({"text": plain.text, **options})
        if response.status_code == 200:
            return True
        code = response.body.strip()[:100]
    log.warning("%s: response_url answered %s (%s)", what, response.status_code, code)
    tell(client, user, render_apology(_ref()), what=what)
    return False


def remove_original(response_url: str | None, *, what: str) -> None:
    """Delete the private message a button was on (after sharing it)."""
    if response_url:
        client = WebhookClient(url=response_url, timeout=TIMEOUT, retry_handlers=retry_handlers())
        try:
            status: object = client.send_dict({"delete_original": True}).status_code
        except OSError as error:  # the answer is shared; a stale private copy is no failure
            status = error
        if status != 200:
            log.warning("%s: could not delete the private copy (%s)", what, status)


def _post(
    client: WebClient,
    message: Message,
    channel: str,
    thread_ts: str | None,
    metadata: dict[str, Any] | None = None,
) -> None:
    client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        metadata=metadata,
        text=message.text,
        blocks=message.blocks or None,
        unfurl_links=False,
        unfurl_media=False,
    )


def _failing(error: SlackApiError) -> bool:
    """Slack itself failing (5xx, or still rate limited) after every retry we could make."""
    status = error.response.status_code if error.response is not None else 0
    return status in SERVER_ERRORS or status == 429


def _ref() -> str:
    """A reference for the log line and the note, as the error handler gives."""
    ref = uuid.uuid4().hex[:8]
    log.warning("undelivered answer: ref %s", ref)
    return ref


def _code(error: SlackApiError) -> str:
    code = error.response.get("error") if error.response is not None else None
    return str(code or error.response.status_code)
