"""Getting a message to Slack: retry passing faults, explain or log the permanent ones.

Passing faults (429 with Retry-After, 500/503, dropped connections) are retried by slack_sdk's
own retry handlers, on the Web API client and on response_url posts alike. Permanent ones are
logged with what we were doing and, where Slack still lets us reach the user, explained:
blocks Slack refuses are sent again as plain text; a channel we cannot post in gets a note in
the user's DM with the app.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from bot.render.blocks import Message, render_plain, render_unreachable

TIMEOUT = 10  # seconds for one HTTP call to Slack
BLOCKS_REFUSED = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "msg_too_long"}
)
UNREACHABLE = frozenset({"channel_not_found", "not_in_channel", "is_archived", "restricted_action"})

log = logging.getLogger(__name__)


def retry_handlers() -> list[RetryHandler]:
    """429: wait as long as Retry-After says (twice at most); 500/503 and resets: back off."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]


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
        if code not in UNREACHABLE:
            raise
        log.warning("%s: cannot post in %s (%s)", what, channel, code)
    if user:
        try:
            _post(client, render_unreachable(channel, code), user, None)
        except SlackApiError as again:
            log.warning("%s: cannot tell %s either (%s)", what, user, _code(again))
    return False


def reply(response_url: str | None, message: Message, *, what: str, **options: Any) -> bool:
    """Answer through a response_url (slash commands, buttons); False if Slack refused it."""
    if not response_url:
        log.warning("%s: no response_url to answer through", what)
        return False
    client = WebhookClient(url=response_url, timeout=TIMEOUT, retry_handlers=retry_handlers())
    # send_dict, not send(): send() has no `thread_ts`, which a reply in a thread needs (Bolt's
    # own respond() sends `thread_ts` and `metadata` to a response_url the same way).
    response = client.send_dict({"text": message.text, "blocks": message.blocks or None, **options})
    if response.status_code == 200:
        return True
    code = response.body.strip()[:100]
    if code in BLOCKS_REFUSED:
        log.warning("%s: Slack refused the blocks (%s); sent as text", what, code)
        plain = render_plain(message)
        response = client.send_dict({"text": plain.text, **options})
        if response.status_code == 200:
            return True
        code = response.body.strip()[:100]
    log.warning("%s: response_url answered %s (%s)", what, response.status_code, code)
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


def _code(error: SlackApiError) -> str:
    code = error.response.get("error") if error.response is not None else None
    return str(code or error.response.status_code)
