"""The HTTP front: gunicorn's asyncio (ASGI) worker, so a slow or idle connection costs a
socket, never a thread.

With threaded workers every connection holds a thread while its headers and body trickle in:
30 slow bodies or 200 slow headers took all 24 and /healthz went unanswered. Here gunicorn's
event loop reads every request; a request is handed to a thread (the WSGI app: the signature
gate, then Bolt) only once it is whole. Headers must arrive within HEADER_TIMEOUT and a body
within BODY_TIMEOUT (408 otherwise); /healthz is answered in the loop itself.

SIGTERM starts handing answers over at once (`on_term`), while gunicorn waits for open
connections, so the two share the platform's grace rather than one following the other.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from typing import Any
from wsgiref.types import WSGIApplication, WSGIEnvironment

from gunicorn.asgi import protocol as gunicorn_protocol
from gunicorn.workers import gasgi

HEADER_TIMEOUT = 10.0  # seconds from connecting (or from the last response) to whole headers
BODY_TIMEOUT = 10.0  # seconds for a whole body once the headers are in
HEALTH = b"ok\n"
DRAIN_FACTOR = 4  # a body declared up to this many times the limit is read away before a 413

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
log = logging.getLogger(__name__)


class Bridge:
    """An ASGI app that reads each request in the event loop, then runs a WSGI app on it in
    a pool of `threads` threads."""

    def __init__(
        self,
        wsgi: WSGIApplication,
        threads: int,
        max_body: int,
        health_path: str,
        on_term: Callable[[], None] | None = None,
    ) -> None:
        self._wsgi, self._max_body, self._health = wsgi, max_body, health_path
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="c5-http")
        self.on_term = on_term

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["path"] == self._health and scope["method"] in ("GET", "HEAD"):
            await _respond(send, "200 OK", [("Content-Type", "text/plain")], HEALTH)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self._max_body):
            if declared.isdigit() and int(declared) <= DRAIN_FACTOR * self._max_body:
                # A little over: read it away first, or closing with it unread resets the
                # connection and the client never sees the 413.
                with suppress(TimeoutError):
                    await asyncio.wait_for(
                        _read(receive, DRAIN_FACTOR * self._max_body), BODY_TIMEOUT
                    )
            await _respond(send, "413 Content Too Large", [("Connection", "close")], b"too large\n")
            return
        try:
            body = await asyncio.wait_for(_read(receive, self._max_body), BODY_TIMEOUT)
        except TimeoutError:
            await _respond(send, "408 Request Timeout", [("Connection", "close")], b"too slow\n")
            return
        if body is None:
            await _respond(send, "413 Content Too Large", [], b"too large\n")
            return
        environ = _environ(scope, body)
        loop = asyncio.get_running_loop()
        try:
            status, headers, data = await loop.run_in_executor(
                self._pool, _call, self._wsgi, environ
            )
        except Exception:  # the gate and Bolt catch their own; this is the last line
            log.exception("request to %s failed", scope["path"])
            status, headers, data = "500 Internal Server Error", [], b"error\n"
        await _respond(send, status, headers, data)


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None when it is over `limit` (read on, and dropped, up to
    DRAIN_FACTOR times the limit, so the client still sees the 413 rather than a reset)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        elif size > DRAIN_FACTOR * limit:
            return None
        if not message.get("more_body"):
            break
    return b"".join(chunks) if size <= limit else None


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _respond(send: Send, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    if not any(k == b"content-length" for k, _ in raw):
        raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": int(status[:3]), "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1")).strip()
    return None


def _environ(scope: Scope, body: bytes) -> WSGIEnvironment:
    """The WSGI environ (PEP 3333) for an ASGI HTTP scope and its whole body."""
    server = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", ""),
        "PATH_INFO": scope["path"],
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for key, value in scope.get("headers", []):
        name = key.decode("latin-1").upper().replace("-", "_")
        text = value.decode("latin-1")
        if name == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = text
        elif name != "CONTENT_LENGTH":
            field = f"HTTP_{name}"
            environ[field] = f"{environ[field]},{text}" if field in environ else text
    return environ


def _call(
    app: WSGIApplication, environ: WSGIEnvironment
) -> tuple[str, list[tuple[str, str]], bytes]:
    """Run a WSGI app to completion: status, headers, body."""
    started: list[tuple[str, list[tuple[str, str]]]] = []
    chunks: list[bytes] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], _exc_info: Any = None
    ) -> Callable[[bytes], object]:
        started[:] = [(status, headers)]
        return chunks.append

    result: Iterable[bytes] = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started[0]
    return status, list(headers), b"".join(chunks)


class _TimedProtocol(gunicorn_protocol.ASGIProtocol):  # type: ignore[misc]
    """gunicorn's HTTP/1 protocol with a deadline for each request's headers (it has one for
    idle keep-alive and for bodies, none for headers trickling in)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self._c5_deadline: asyncio.TimerHandle | None = None
        self._c5_arm()

    def _on_headers_complete(self) -> Any:
        self._c5_disarm()
        return super()._on_headers_complete()

    def _cancel_keepalive_timer(self) -> None:
        """A kept-alive connection starts its next request: its headers get a deadline too."""
        super()._cancel_keepalive_timer()
        if (
            getattr(self, "_c5_deadline", None) is None
            and not getattr(self, "_c5_lost", False)
            and self.transport is not None
            and not self.transport.is_closing()
        ):
            self._c5_arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._c5_lost = True
        self._c5_disarm()
        super().connection_lost(exc)

    def _c5_arm(self) -> None:
        self._c5_deadline = self.worker.loop.call_later(HEADER_TIMEOUT, self._c5_expire)

    def _c5_disarm(self) -> None:
        deadline = getattr(self, "_c5_deadline", None)
        if deadline is not None:
            deadline.cancel()
        self._c5_deadline = None

    def _c5_expire(self) -> None:
        self._c5_deadline = None
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()


class Worker(gasgi.ASGIWorker):  # type: ignore[misc]
    """gunicorn's ASGI worker with header deadlines, which starts handing answers over as soon
    as SIGTERM arrives."""

    def init_process(self) -> None:
        # gunicorn's worker makes its protocol by this module-level name; ours adds deadlines.
        gasgi.ASGIProtocol = _TimedProtocol
        super().init_process()

    def handle_exit_signal(self) -> None:
        super().handle_exit_signal()
        on_term = getattr(self.asgi, "on_term", None)
        if on_term is not None:
            threading.Thread(target=on_term, name="c5-hand-over", daemon=True).start()
