"""A logging filter that keeps Slack tokens, the signing secret and capability URLs (a
response_url, a Socket Mode ticket) out of every log line, and whole payloads out of DEBUG.

slack_sdk and Bolt log requests at DEBUG (and a retried response_url at INFO); a traceback can
quote a URL or a header. The filter sits on the handlers, so it also covers records from
libraries' own loggers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

# Slack's token shapes: bot, user, app-level, refresh, configuration, workflow tokens.
TOKEN = re.compile(r"\b(?:xox[abpoerst]|xapp)-[A-Za-z0-9-]{4,}")
# Whoever holds these can post as the app (a response_url, for 30 minutes) or open its
# Socket Mode connection (a ticket).
CAPABILITY = re.compile(
    r"https?://hooks\.slack(?:-gov)?\.com/[^\s'\"<>]+|\bticket=[^&\s'\"<>]+", re.IGNORECASE
)
# What follows "body:", "payload:", "message:", "query_params:", "json_body:" in a library's
# DEBUG line: a request, an envelope or a post, holding someone's words.
PAYLOAD = re.compile(
    r"\b((?:[a-z]+_)?(?:body|payload|message|data|params|bytes|text))(\s*[:=]\s*).*",
    re.IGNORECASE | re.DOTALL,
)
LIBRARIES = ("slack_sdk", "slack_bolt")
HIDDEN = "[redacted]"
LEFT_OUT = "[payload left out]"


class Redact(logging.Filter):
    """Replace known secret values, and anything shaped like a Slack token, with [redacted]."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, HIDDEN)
        return CAPABILITY.sub(HIDDEN, TOKEN.sub(HIDDEN, text))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format call: log it as written rather than raise into the caller
            message = f"{record.msg} {record.args!r}"
        if record.levelno <= logging.DEBUG and record.name.startswith(LIBRARIES):
            message = PAYLOAD.sub(rf"\1\2{LEFT_OUT}", message)
        record.msg, record.args = self.clean(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True


def redact(secrets: Iterable[str], logger: logging.Logger | None = None) -> Redact:
    """Put one Redact filter on every handler of `logger` (the root logger by default)."""
    found = Redact(secrets)
    for handler in (logger or logging.getLogger()).handlers:
        handler.addFilter(found)
    return found
