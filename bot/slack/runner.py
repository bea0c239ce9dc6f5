"""Answering after the acknowledgement: record the job, ack, then answer in our own pool.

Bolt runs every listener on the request thread (process_before_response), and a listener only
records its job and queues it (`defer`), so Slack's acknowledgement never waits for a free
answer thread, however busy the pool is. The pool is this worker's; a heartbeat renews the
leases of its jobs and picks up jobs a dead or departed worker left behind. On shutdown
`stop()` finishes what it can within the grace it is given and hands the rest over.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.core.knowledge import Knowledge
from bot.slack.context import provide
from bot.slack.jobs import Job, Jobs

# What answers one kind of job: the request body as Slack sent it, and a BoltContext made for
# the job (the client, the ids of team, user and bot from the request, and whatever the app's
# middlewares given to `Runner.use` put there: the fact base, the query log).
Handler = Callable[[dict[str, Any], BoltContext], None]
Middleware = Callable[[BoltContext, Callable[[], None]], None]
# Told when a handler raised: the error, the request body and the client (errors.apologise).
OnError = Callable[[Exception, dict[str, Any], WebClient], None]
BEAT = 2.0  # seconds between lease renewals and looks for jobs left behind
_KEY = "c5_runner"
_CONTEXT = "c5_context"  # the request's ids, kept with the job
_IDS = ("team_id", "enterprise_id", "user_id", "channel_id", "bot_user_id", "bot_id")

log = logging.getLogger(__name__)


class Runner:
    """One process's answer pool over a `Jobs` table."""

    def __init__(
        self,
        jobs: Jobs,
        handlers: Mapping[str, Handler],
        kb: Knowledge,
        client: WebClient,
        on_error: OnError,
        threads: int,
    ) -> None:
        self.jobs, self._handlers, self._kb, self._client = jobs, handlers, kb, client
        self._on_error, self._threads = on_error, threads
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="c5-answer")
        self._running: dict[Future[None], Job] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._beat: threading.Thread | None = None
        self._middlewares: list[Middleware] = []

    def use(self, *middlewares: Middleware) -> None:
        """Middlewares run on each job's context before its handler (the app's own: the fact
        base and the query log reach the answer functions as they reach listeners)."""
        self._middlewares.extend(middlewares)

    def context(self, body: dict[str, Any]) -> BoltContext:
        """The context a job's handler gets: the request's ids (kept by `defer`), the client,
        then the middlewares' additions."""
        ids = body.get(_CONTEXT)
        context = BoltContext(
            {k: v for k, v in ids.items() if k in _IDS} if isinstance(ids, dict) else {}
        )
        context["client"] = self._client
        provide(self._kb)(context, _nothing)
        for middleware in self._middlewares:
            middleware(context, _nothing)
        return context

    def start(self) -> None:
        """Start the heartbeat (lease renewal, pick-up of jobs left behind)."""
        if self._beat is None:
            self._beat = threading.Thread(target=self._heartbeat, name="c5-jobs", daemon=True)
            self._beat.start()

    def take(self, kind: str, body: dict[str, Any], ack: Ack | None) -> None:
        """Record the job, acknowledge, then queue the answer (in that order)."""
        try:
            job = self.jobs.add(kind, _slim(body))
        except sqlite3.Error as error:  # still answer; only the durability is lost
            log.warning("job store unavailable (%s); answering without a record", error)
            job = Job("", kind, body)
        if ack is not None:
            ack()
        if not self._stopping.is_set():  # when stopping, the hand-over takes it
            self._submit(job)

    def stop(self, grace: float) -> int:
        """Finish what can be finished within `grace` seconds and hand the rest to the next
        worker (recorded, so it is answered once its lease is free); how many handed over.

        Queued answers are started during the first half of the grace only, so the ones
        started can finish in the second half: an answer cut off mid-delivery is one whose
        outcome nobody knows, and handing it over may answer it twice."""
        self._stopping.set()
        if self._beat is not None:
            self._beat.join(timeout=BEAT + 1)
        with self._lock:
            owed = len(self._running)
        if owed:
            log.info("finishing %d answers before exit (at most %.0f s)", owed, grace)
        wait_for(self._futures(), timeout=grace / 2)
        self._pool.shutdown(wait=False, cancel_futures=True)  # the not yet started
        wait_for(self._futures(), timeout=grace / 2)
        with self._lock:
            unfinished = [f for f in self._running if not f.done()]
        try:
            handed = self.jobs.release()
        except sqlite3.Error as error:
            log.error("could not hand over the unfinished answers (%s)", error)
            return 0
        if handed:
            log.warning(
                "handed over %d unfinished answers to the next worker "
                "(%d cut off mid-delivery, which may arrive twice)",
                handed,
                len(unfinished),
            )
        return handed

    def _futures(self) -> list[Future[None]]:
        with self._lock:
            return list(self._running)

    def busy(self) -> bool:
        """Answers still running (after `stop`: ones past the grace, already handed over)."""
        with self._lock:
            return bool(self._running)

    def _submit(self, job: Job) -> None:
        future = self._pool.submit(self._run, job)
        with self._lock:
            self._running[future] = job
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._running.pop(future, None)

    def _run(self, job: Job) -> None:
        try:
            self._handlers[job.kind](job.body, self.context(job.body))
        except Exception as error:  # one apology with a reference; the job is finished
            self._on_error(error, job.body, self._client)
        if job.id:
            try:
                self.jobs.done(job)
            except sqlite3.Error as error:
                log.warning("answer delivered but not marked done (%s)", error)

    def _heartbeat(self) -> None:
        while not self._stopping.is_set():
            try:
                self.jobs.renew()
                with self._lock:
                    room = 2 * self._threads - len(self._running)
                if room > 0:
                    for job in self.jobs.claim(room):
                        if job.kind not in self._handlers:
                            log.warning("left-behind job of unknown kind %s skipped", job.kind)
                            self.jobs.done(job)
                            continue
                        log.info("answering a %s left behind by another worker", job.kind)
                        self._submit(job)
            except sqlite3.Error as error:
                log.warning("job store unavailable (%s); will look again", error)
            self._stopping.wait(BEAT)


def provide_runner(runner: Runner) -> Callable[[BoltContext, Callable[[], None]], None]:
    """A global middleware that hands `runner` to every listener."""

    def attach_runner(context: BoltContext, next: Callable[[], None]) -> None:
        context[_KEY] = runner
        next()

    return attach_runner


def defer(context: BoltContext, kind: str, body: dict[str, Any], ack: Ack | None = None) -> None:
    """What a listener does: record the job, acknowledge, queue the answer."""
    runner = context[_KEY]
    assert isinstance(runner, Runner), "create_app() installs the runner middleware"
    ids = {key: context.get(key) for key in _IDS if context.get(key) is not None}
    runner.take(kind, {**body, _CONTEXT: ids}, ack)


def _nothing() -> None:
    pass


def _slim(body: dict[str, Any]) -> dict[str, Any]:
    """The body without Slack's legacy verification token: nothing secret is stored."""
    return {key: value for key, value in body.items() if key != "token"}
