"""Two hosts for real: two server processes with their own RUN_DIRs, sharing one Redis (the
event log) and one Postgres (the query log). Each event goes to one host and Slack's retry of
it to the other, at the same moment: every event is answered once and logged once."""

from __future__ import annotations

import concurrent.futures
import time
from pathlib import Path

import realstores
from slackfakes import (
    BOT_USER,
    TEAM,
    FakeSlack,
    Server,
    dm,
    event_callback,
    launch,
    mention,
    slash_command,
    unique,
)

from bot.querylog import open_store
from bot.querylog.keys import user_key

EVENTS = 60
SLASH = 20
SECRET = "two-hosts-share-this-secret"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def test_two_hosts_answer_and_log_every_event_once(
    fake_slack: FakeSlack, tmp_path: Path, redis_url: str, postgres: realstores.Postgres
) -> None:
    shared = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": postgres.database(),
        "QUERY_LOG_SECRET": SECRET,
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        launch(fake_slack.api_url, tmp_path / "a", **shared) as first,
        launch(fake_slack.api_url, tmp_path / "b", **shared) as second,
    ):
        hosts = (first, second)
        jobs = []
        users, channels, urls = [], [], []
        for n in range(EVENTS):
            user, channel = unique("U"), unique("D" if n % 2 else "C")
            event = (
                dm("csto", channel, user=user)
                if n % 2
                else mention(f"<@{BOT_USER}> Tokayev", channel, user=user)
            )
            payload = event_callback(event)
            original, retry = hosts[n % 2], hosts[1 - n % 2]
            jobs += [(original, payload, {}), (retry, payload, RETRY)]
            users.append(user)
            channels.append(channel)
        for n in range(SLASH):
            user, url = unique("U"), fake_slack.response_url()
            jobs.append((hosts[n % 2], slash_command("/brief", "water", url, user_id=user), None))
            users.append(user)
            urls.append(url)
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(lambda job: _send(*job), jobs))
        assert statuses == [200] * len(jobs)
        for channel in channels:
            fake_slack.wait_for(fake_slack.posts_to(channel))
        fake_slack.wait_for(fake_slack.replies_to(*urls), count=SLASH)
        time.sleep(1.0)  # any late second answer would have arrived by now
        answers = [len(fake_slack.matching(fake_slack.posts_to(c))) for c in channels]
        store = open_store(shared["DATABASE_URL"], tmp_path, upgrade=False)
        deadline = time.monotonic() + 15
        while store.count()[0] < len(users) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # a doubled row would land now
        rows = store.queries_since(0)
    assert answers == [1] * EVENTS  # 0 lost, 0 doubled
    assert len(fake_slack.matching(fake_slack.replies_to(*urls))) == SLASH
    keys = [user_key(SECRET.encode(), TEAM, u) for u in users]
    logged = [r["user_key"] for r in rows]
    assert sorted(logged) == sorted(keys)  # every query logged once, by whichever host
    assert {r["surface"] for r in rows} == {"mention", "dm", "slash"}


def _send(host: Server, payload: dict[str, object], retry: dict[str, str] | None) -> int:
    if retry is None:
        return host.signed_form(payload)[0]  # type: ignore[arg-type]
    return host.signed_json(payload, **retry)[0]
