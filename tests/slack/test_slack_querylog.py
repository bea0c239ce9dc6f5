"""The query log through the real server: every surface writes one row, 👍/👎 and the comment
after a 👎 are stored with the answer they judge, a broken log still answers, and curators see
the short report in App Home."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slackfakes import (
    BOT_USER,
    ROOT,
    TEAM,
    FakeSlack,
    Server,
    block_actions,
    dm,
    event_callback,
    feedback_click,
    feedback_values,
    home_opened,
    later_ts,
    launch,
    mention,
    message_shortcut,
    server_env,
    slash_command,
    unique,
)

from bot.core.answer import answer
from bot.core.knowledge import Knowledge
from bot.querylog import Store, grade, open_store
from bot.querylog.keys import load_secret, user_key
from bot.render.blocks import MORE, SUGGEST, click_value, paginate
from bot.slack.feedback import COMMENT, COMMENT_BLOCK, COMMENT_INPUT

WAIT = 10.0


def log_of(server: Server) -> tuple[Store, Callable[[str], str]]:
    """The server's query log (SQLite under its RUN_DIR) and how it keys a Slack user id."""
    run = server.home / "run"
    secret = load_secret(run, None)
    return open_store(None, run, upgrade=False), lambda user: user_key(secret, TEAM, user)


def rows_for(store: Store, key: str, count: int) -> list[dict[str, Any]]:
    """The rows of one user once there are `count` (written in the background: bounded wait)."""
    deadline = time.monotonic() + WAIT
    while True:
        rows = [r for r in store.queries_since(0) if r["user_key"] == key]
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def votes_for(
    store: Store, query_id: str, done: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT
    while True:
        found = [v for v in store.feedback_since(0) if v["query_id"] == query_id]
        if (found and done(found[0])) or time.monotonic() > deadline:
            assert found, f"no vote for {query_id}"
            return found[0]
        time.sleep(0.05)


def ids(kb: Knowledge, query: str, page: int = 0) -> list[str]:
    """The passages on one page of the answer, as the log names them."""
    return [f"{p.source}:{p.start}-{p.end}" for p in paginate(answer(kb, query))[page]]


def test_every_surface_writes_one_row(server: Server, fake_slack: FakeSlack, kb: Knowledge) -> None:
    store, key = log_of(server)
    user = unique("U")
    url = fake_slack.response_url()
    assert server.signed_form(slash_command("/brief", "csto", url, user_id=user))[0] == 200
    channel = unique("C")
    event = mention(f"<@{BOT_USER}> what did Tokayev propose?", channel, user=user)
    assert server.signed_json(event_callback(event))[0] == 200
    im = unique("D")
    assert server.signed_json(event_callback(dm("indivisible security", im, user=user)))[0] == 200
    click = fake_slack.response_url()
    payload = block_actions(f"{SUGGEST}_0", click_value("/actor Tokayev"), click, user=user)
    assert server.signed_action(payload)[0] == 200
    more = fake_slack.response_url()  # page 2 of 3: its own passages are the ones logged
    payload = block_actions(MORE, click_value("/timeline", 1), more, user=user)
    assert server.signed_action(payload)[0] == 200
    surfaces = {
        "slash": fake_slack.replies_to(url),
        "mention": fake_slack.posts_to(channel),
        "dm": fake_slack.posts_to(im),
        "button": fake_slack.replies_to(click),
        "more": fake_slack.replies_to(more),
    }
    sent = {surface: fake_slack.wait_for(match)[0] for surface, match in surfaces.items()}
    rows = rows_for(store, key(user), 5)
    got = sorted((r["surface"], r["query"]) for r in rows)
    assert got == [
        ("button", "/actor Tokayev"),
        ("button", "/timeline"),
        ("dm", "indivisible security"),
        ("mention", "what did Tokayev propose?"),
        ("slash", "/brief csto"),
    ]
    for row in rows:
        result = answer(kb, row["query"])
        page = 1 if row["query"] == "/timeline" else 0
        assert (row["kind"], row["grade"]) == (result.kind, grade(result))
        assert row["passages"] == ids(kb, row["query"], page)
        assert 0 < row["latency_ms"] < 10_000
        assert user not in json.dumps(row)  # the Slack id never reaches the log
        # 👍/👎 under every answer, naming the row that logged it
        blocks = sent["more" if page else row["surface"]].body["blocks"]
        assert feedback_values(blocks) == (f"up {row['id']}", f"down {row['id']}")


def test_thumbs_down_asks_what_was_wrong_and_keeps_the_comment(
    server: Server, fake_slack: FakeSlack, kb: Knowledge
) -> None:
    store, key = log_of(server)
    user = unique("U")
    url = fake_slack.response_url()
    server.signed_form(slash_command("/brief", "water disputes", url, user_id=user))
    [call] = fake_slack.wait_for(fake_slack.replies_to(url))
    up, down = feedback_values(call.body["blocks"])
    [row] = rows_for(store, key(user), 1)
    assert (up, down) == (f"up {row['id']}", f"down {row['id']}")

    trigger = unique("trigger.")
    vote = feedback_click(down, fake_slack.response_url(), user, trigger)
    assert server.signed_action(vote)[0] == 200
    [opened] = fake_slack.wait_for(
        lambda c: c.method == "views.open" and c.body.get("trigger_id") == trigger
    )
    view = opened.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == COMMENT and view["private_metadata"] == row["id"]
    stored = votes_for(store, row["id"], lambda v: v["vote"] == "down")
    assert stored["comment"] is None  # the vote is kept before (and whether or not) they write

    comment = "It quoted the <!channel> wrong article & missed the 2023 dispute"
    assert server.signed_action(_submission(row["id"], comment, user))[0] == 200
    stored = votes_for(store, row["id"], lambda v: v["comment"] is not None)
    assert stored["vote"] == "down" and stored["comment"] == comment
    assert (stored["query"], stored["kind"]) == ("/brief water disputes", row["kind"])
    assert stored["passages"] == ids(kb, "/brief water disputes")


def test_thumbs_up_is_stored_without_a_question(server: Server, fake_slack: FakeSlack) -> None:
    store, key = log_of(server)
    user = unique("U")
    url = fake_slack.response_url()
    server.signed_form(slash_command("/actor", "Putin", url, user_id=user))
    [call] = fake_slack.wait_for(fake_slack.replies_to(url))
    up, _ = feedback_values(call.body["blocks"])
    [row] = rows_for(store, key(user), 1)
    trigger = unique("trigger.")
    assert (
        server.signed_action(feedback_click(up, fake_slack.response_url(), user, trigger))[0] == 200
    )
    assert votes_for(store, row["id"], lambda v: v["vote"] == "up")["vote"] == "up"
    assert not fake_slack.matching(lambda c: c.body.get("trigger_id") == trigger)


FORGED = [
    "",
    "sideways 123",
    "down not-an-id",
    "up " + "z" * 32,
    "up " + "a" * 33,
    "down\n" + "b" * 32,
]


def test_a_forged_feedback_value_stores_nothing(server: Server, fake_slack: FakeSlack) -> None:
    store, _ = log_of(server)
    before = store.count()[1]
    triggers = [unique("trigger.") for _ in FORGED]
    for value, trigger in zip(FORGED, triggers, strict=True):
        click = feedback_click(value, fake_slack.response_url(), "UX", trigger)
        assert server.signed_action(click)[0] == 200
    time.sleep(1.2)  # longer than a writer gathers a batch (0.5 s)
    assert store.count()[1] == before
    assert not fake_slack.matching(lambda c: c.body.get("trigger_id") in triggers)


def test_a_broken_query_log_still_answers_and_says_so(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """DATABASE_URL names a Postgres that is not there: answers go out, failures are logged
    (never the URL's password) and counted."""
    dead = f"postgresql://c5:hunter2pass@127.0.0.1:{_closed_port()}/c5"
    with launch(fake_slack.api_url, tmp_path, DATABASE_URL=dead, WEB_CONCURRENCY="1") as server:
        url = fake_slack.response_url()
        assert server.signed_form(slash_command("/brief", "csto", url))[0] == 200
        [call] = fake_slack.wait_for(fake_slack.replies_to(url))
        assert "CSTO" in call.body["text"]
        deadline = time.monotonic() + 20
        while (
            "query log: write failed" not in server.log.read_text() and time.monotonic() < deadline
        ):
            time.sleep(0.1)
    text = server.log.read_text()
    assert "query log unavailable" in text  # at start
    assert "query log: write failed" in text and "1 in all" in text
    assert "hunter2pass" not in text and "Traceback" not in text


def test_curators_see_the_short_report_in_app_home(
    fake_slack: FakeSlack, tmp_path: Path, kb: Knowledge
) -> None:
    """CURATORS lists who sees it; the figures are those of this server's fresh log."""
    curator, analyst = unique("UCUR"), unique("UANA")
    with launch(fake_slack.api_url, tmp_path, CURATORS=f"UOTHER, {curator}") as server:
        store, key = log_of(server)
        url = fake_slack.response_url()
        server.signed_form(slash_command("/brief", "csto", url, user_id="UASKER"))
        im = unique("D")
        question = "what does Mongolia think of the Pope?"
        server.signed_json(event_callback(dm(question, im, user="UASKER")))
        fake_slack.wait_for(fake_slack.posts_to(im))
        assert len(rows_for(store, key("UASKER"), 2)) == 2
        for user in (curator, analyst):
            server.signed_json(event_callback(home_opened(user)))
        views = {
            c.body["user_id"]: json.dumps(c.body["view"])
            for c in fake_slack.wait_for(
                lambda c: c.method == "views.publish" and c.body["user_id"] in (curator, analyst),
                count=2,
            )
        }
    grades = [grade(answer(kb, q)) for q in ("/brief csto", question)]
    shown = views[curator]
    assert "Curator's report: last 7 days" in shown
    assert f"*2* questions: {grades.count('answered')} answered" in shown
    assert f"{grades.count('declined')} declined" in shown
    assert "Mongolia" in shown  # a name no article uses
    assert "Curator" not in views[analyst]


def _submission(query_id: str, comment: str, user: str) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "c5"},
        "user": {"id": user, "username": "analyst", "name": "analyst", "team_id": TEAM},
        "api_app_id": "A0001APP",
        "token": "legacy-verification-token",
        "trigger_id": "1.2.ghi",
        "view": {
            "id": "V0FEEDBACK",
            "team_id": TEAM,
            "type": "modal",
            "callback_id": COMMENT,
            "private_metadata": query_id,
            "state": {
                "values": {
                    COMMENT_BLOCK: {COMMENT_INPUT: {"type": "plain_text_input", "value": comment}}
                }
            },
            "hash": "1724050005.abc",
        },
        "response_urls": [],
        "is_enterprise_install": False,
    }


def _closed_port() -> int:
    import realstores

    return realstores.free_port()


def test_the_panel_and_the_shortcut_write_their_rows(
    server: Server, fake_slack: FakeSlack, kb: Knowledge
) -> None:
    store, key = log_of(server)
    before = {r["id"] for r in store.queries_since(0)}
    im, thread = unique("D"), later_ts()
    event = dm("/brief csto", im, thread_ts=thread, ts=later_ts())  # in the assistant panel
    assert server.signed_json(event_callback(event))[0] == 200
    url = fake_slack.response_url()
    claim = "Tokayev proposed a Central Asian defence union."
    assert server.signed_action(message_shortcut(claim, url))[0] == 200
    [panel] = fake_slack.wait_for(fake_slack.posts_to(im))
    [checked] = fake_slack.wait_for(fake_slack.replies_to(url))
    deadline = time.monotonic() + WAIT
    while True:
        rows = {
            r["surface"]: r
            for r in store.queries_since(0)
            if r["id"] not in before and r["surface"] in ("panel", "shortcut")
        }
        if len(rows) == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert rows["panel"]["query"] == "/brief csto"
    assert rows["shortcut"]["query"] == claim
    assert rows["panel"]["user_key"] == rows["shortcut"]["user_key"] == key("UANALYST1")
    for row, sent in ((rows["panel"], panel), (rows["shortcut"], checked)):
        assert row["grade"] == grade(answer(kb, row["query"]))
        assert feedback_values(sent.body["blocks"]) == (f"up {row['id']}", f"down {row['id']}")


def test_an_unreachable_redis_stops_start_up(fake_slack: FakeSlack, tmp_path: Path) -> None:
    """With REDIS_URL set, every host counts on it to answer each event once: start-up stops
    (exit status 2) with one line naming the setting, never its password."""
    dead = f"redis://:redis-pass-9@127.0.0.1:{_closed_port()}/0"
    env = server_env(fake_slack.api_url, tmp_path, 9, REDIS_URL=dead)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    assert "REDIS_URL cannot be reached" in done.stderr
    assert "redis-pass-9" not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
