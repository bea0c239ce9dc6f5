"""Answer each Events API delivery once, even when Slack retries it (X-Slack-Retry-Num)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import BoltResponse


class EventLog(Protocol):
    """Remembers event ids; a shared store (for several workers) can take this place later."""

    def seen(self, event_id: str) -> bool:
        """True when `event_id` was seen before; otherwise remember it and return False."""
        ...


class RecentEvents:
    """The last `size` event ids in memory: enough for Slack's retries within minutes."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def seen(self, event_id: str) -> bool:
        with self._lock:
            if event_id in self._ids:
                return True
            self._ids[event_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return False


def once(events: EventLog) -> Callable[[dict[str, Any], Callable[[], None]], BoltResponse | None]:
    """A global middleware: a repeated event_id gets 200 and no second answer."""

    def answer_once(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id")
        if isinstance(event_id, str) and events.seen(event_id):
            return BoltResponse(status=200, body="")
        next()
        return None

    return answer_once
