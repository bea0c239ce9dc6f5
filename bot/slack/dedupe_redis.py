"""The event log in Redis, for several hosts: whichever host gets a delivery or its retry, the
first claim of the event id wins everywhere.

The claim is one atomic step in Redis: `SET key now NX EX ttl` in spirit, done by a short Lua
script so that a claim older than the TTL by the caller's clock is also taken over (as
SqliteEvents does) while Redis itself expires keys after the TTL. The store is bounded by the
TTL (an hour of event ids) rather than by a count.
"""

from __future__ import annotations

import logging
import math
import time

import redis

from bot.slack.dedupe import TTL, Clock

PREFIX = "c5brief:event:"
TIMEOUT = 2.0  # seconds to connect or answer; then the event is answered (maybe twice)

# KEYS[1]: the event's key. ARGV: now, ttl. Returns 1 when this call claimed the id.
_CLAIM = """
local at = redis.call('GET', KEYS[1])
if at and tonumber(at) > tonumber(ARGV[1]) - tonumber(ARGV[2]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
"""

log = logging.getLogger(__name__)


class RedisEvents:
    """Event ids in Redis (REDIS_URL), shared by every process on every host."""

    def __init__(
        self,
        url: str,
        ttl: float = TTL,
        clock: Clock = time.time,
        size: int | None = None,  # accepted for the EventLog contract; the TTL bounds Redis
        prefix: str = PREFIX,
    ) -> None:
        self._ttl, self._clock, self._prefix = ttl, clock, prefix
        self._redis = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
        )
        self._claim = self._redis.register_script(_CLAIM)

    def ping(self) -> None:
        """Raise redis.RedisError when the server cannot be reached."""
        self._redis.ping()

    def seen(self, event_id: str) -> bool:
        now = self._clock()
        try:
            claimed = self._claim(
                keys=[self._prefix + event_id], args=[repr(now), self._ttl, math.ceil(self._ttl)]
            )
        except redis.RedisError as error:
            # Better a rare double answer than a dropped question.
            log.warning("event log unavailable (%s); answering event anyway", type(error).__name__)
            return False
        return not claimed

    def __len__(self) -> int:
        return sum(1 for _ in self._redis.scan_iter(match=self._prefix + "*", count=1000))

    def close(self) -> None:
        self._redis.close()
