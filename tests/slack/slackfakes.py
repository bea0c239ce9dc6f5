"""Helpers for driving the Slack layer for real: a fake Slack Web API, payloads, signing.

The fake is a real HTTP server on 127.0.0.1:0. It answers Web API methods under /api/ and
response_url posts under /respond/, recording every call so tests assert on what Slack got.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest
from slack_sdk.models.blocks import Block
from slack_sdk.signature import SignatureVerifier

from bot.slack.feedback import FEEDBACK as FEEDBACK_ACTION

ROOT = Path(__file__).resolve().parents[2]
FACTBASE = ROOT / "knowledge" / "factbase.json"
SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0001TEAM"
WAIT = 10.0  # seconds; every wait is bounded by this

# Pieces of hostile text: Slack's control sequences, entities, markup, quotes, emoji, right-to-left
# scripts and control characters. Property tests and benchmarks/fuzz.py build inputs from them.
HOSTILE_BITS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U0123ABCD>",
    "<@W99|bob>",
    "<#C0123ABC|general>",
    "<!subteam^S0123|@security-team>",
    "<!date^1392734382^{date}|Feb 18>",
    "<http://evil.example|click>",
    "<https://x.example/a?b=1&c=2>",
    "<mailto:a@b.example|mail>",
    "&amp;",
    "&lt;",
    "&gt;",
    "&",
    "<",
    ">",
    "|",
    '"',
    "“",
    "”",
    "'",
    "«",
    "»",
    "‘",
    "`",
    "```",
    "*",
    "_",
    "~",
    "\n> ",
    "\n",
    "🇰🇿",
    "👨\u200d👩\u200d👧",
    "🤔",
    "\u200f",
    "\u202e",
    "مرحبا بالعالم",
    "שלום",
    "Қазақстан",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\ufeff",
    "/brief ",
    "/actor ",
    "help",
]


@dataclass
class Call:
    """One request the fake Slack received."""

    path: str
    body: dict[str, Any]
    raw: str
    at: float = field(default_factory=time.perf_counter)
    status: int = 200

    @property
    def method(self) -> str:
        return self.path.removeprefix("/api/")


@dataclass
class Fault:
    """A failure the fake Slack plays back for matching calls, a set number of times."""

    match: Callable[[Call], bool]
    status: int | None
    error: str
    headers: dict[str, str]
    left: int
    delay: float

    def response(self, call: Call) -> tuple[int, dict[str, str], dict[str, Any] | str]:
        status = self.status or 200
        if call.path.startswith("/respond/"):
            return status, self.headers, self.error or "error"
        return status, self.headers, {"ok": False, "error": self.error or "internal_error"}


class FakeSlack:
    """A stand-in for slack.com/api and for response_url endpoints."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.socket_url = ""  # set by FakeSocketMode: what apps.connections.open hands out
        self._faults: list[Fault] = []
        self._changed = threading.Condition()
        # Messages by (channel, thread ts): what conversations.replies answers from. Every
        # chat.postMessage lands here; tests add people's messages with add_message().
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # slack_sdk sends some methods (conversations.replies) as GET
                path, _, query = self.path.partition("?")
                self._answer(Call(path, {k: v[0] for k, v in parse_qs(query).items()}, query))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                self._answer(
                    Call(self.path, _parse(raw, self.headers.get("Content-Type", "")), raw)
                )

            def _answer(self, call: Call) -> None:
                fault = fake._fault_for(call)
                if fault is not None and fault.delay:
                    time.sleep(fault.delay)
                status, headers, reply = (
                    (200, {}, fake._reply(call))
                    if fault is None or fault.status is None
                    else fault.response(call)
                )
                call.status = status
                with fake._changed:
                    fake.calls.append(call)
                    fake._changed.notify_all()
                data = reply.encode() if isinstance(reply, str) else json.dumps(reply).encode()
                self.send_response(status)
                kind = "text/plain" if isinstance(reply, str) else "application/json"
                self.send_header("Content-Type", kind)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = _Listener(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def fail(
        self,
        match: Callable[[Call], bool],
        status: int | None = 200,
        error: str = "",
        headers: dict[str, str] | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> Fault:
        """Answer the next `times` matching calls badly: a Web API error (`ok: false`) at HTTP
        200, a 429 or 5xx with headers, or (status None) the normal answer after `delay`."""
        fault = Fault(match, status, error, headers or {}, times, delay)
        with self._changed:
            self._faults.append(fault)
        return fault

    def _fault_for(self, call: Call) -> Fault | None:
        with self._changed:
            for fault in self._faults:
                if fault.left > 0 and fault.match(call):
                    fault.left -= 1
                    return fault
        return None

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self) -> str:
        """A fresh response_url, so a test sees only the replies to its own request."""
        return f"{self.url}/respond/{uuid.uuid4().hex}"

    def _reply(self, call: Call) -> dict[str, Any] | str:
        if call.path.startswith("/respond/"):
            return "ok"
        method = call.method
        if method == "apps.connections.open" and self.socket_url:
            return {"ok": True, "url": self.socket_url}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://c5.slack.com/",
                "team": "C5",
                "user": "c5brief",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = f"{time.time():.6f}"
            message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "ts": ts}
            body = call.body
            stored = {**message, "text": body.get("text", ""), "thread_ts": body.get("thread_ts")}
            if isinstance(body.get("metadata"), dict):
                stored["metadata"] = body["metadata"]
            self.add_message(str(body.get("channel")), stored)
            return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": message}
        if method == "conversations.replies":
            key = (str(call.body.get("channel")), str(call.body.get("ts")))
            with self._changed:
                messages = sorted(self.threads.get(key, []), key=lambda m: float(m["ts"]))
            if not messages:
                return {"ok": False, "error": "thread_not_found"}
            start, limit = int(call.body.get("cursor") or 0), int(call.body.get("limit") or 1000)
            more = start + limit < len(messages)
            return {
                "ok": True,
                "messages": messages[start : start + limit],
                "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""},
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{time.time():.6f}"}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V0001", "type": "home"}}
        return {"ok": True}

    def add_message(self, channel: str, message: dict[str, Any]) -> None:
        """A message in `channel` (its thread: `thread_ts`, else its own `ts`)."""
        root = str(message.get("thread_ts") or message["ts"])
        with self._changed:
            self.threads[(channel, root)].append(message)

    def wait_for(
        self, match: Callable[[Call], bool], count: int = 1, timeout: float = WAIT
    ) -> list[Call]:
        """Block until `count` calls match (bounded), then return all matching calls."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self.calls if match(c)]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    break
                self._changed.wait(left)
        assert len(found) >= count, f"expected {count} matching calls, got {len(found)}"
        return found

    def to(self, prefix: str) -> Callable[[Call], bool]:
        return lambda c: c.path.startswith(prefix)

    def replies_to(self, *response_urls: str) -> Callable[[Call], bool]:
        """Calls posted to any of these response_urls (made by `response_url()`)."""
        for url in response_urls:  # a foreign URL would match nothing, and "nothing" can pass
            assert url.startswith(self.url + "/respond/"), f"not this fake's response_url: {url}"
        paths = {url.removeprefix(self.url) for url in response_urls}
        return lambda c: c.path in paths

    def posts_to(self, channel: str) -> Callable[[Call], bool]:
        return lambda c: c.method == "chat.postMessage" and c.body.get("channel") == channel

    def matching(self, match: Callable[[Call], bool]) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if match(c)]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Listener(ThreadingHTTPServer):
    """A loopback HTTP server with room for bursts: a whole gunicorn deployment posting at once
    (the default backlog of 5 would make the kernel drop connections and retry a second later)."""

    request_queue_size = 256
    daemon_threads = True


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if "json" in content_type:
        parsed = json.loads(raw or "{}")
        return parsed if isinstance(parsed, dict) else {"_": parsed}
    form = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
    for key in ("blocks", "view"):
        if key in form:
            form[key] = json.loads(form[key])
    return form


# --- payloads in the shapes Slack documents ------------------------------------------------


def unique(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


def slash_command(command: str, text: str, response_url: str, **extra: str) -> dict[str, str]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "team_domain": "c5",
        "channel_id": extra.get("channel_id", unique("C")),
        "channel_name": "security-policy",
        "user_id": extra.get("user_id", "UANALYST1"),
        "user_name": "analyst",
        "command": command,
        "text": text,
        "api_app_id": "A0001APP",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "1.2.abc",
    }


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0001APP",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or unique("Ev"),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM,
                "user_id": BOT_USER,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
    }


def mention(text: str, channel: str, ts: str = "1724050000.000100", **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": "UANALYST1",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "team": TEAM,
        "client_msg_id": str(uuid.uuid4()),
        **extra,
    }


def dm(text: str, channel: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": channel,
        "user": "UANALYST1",
        "text": text,
        "ts": "1724050001.000200",
        "event_ts": "1724050001.000200",
        "channel_type": "im",
        "client_msg_id": str(uuid.uuid4()),
        **extra,
    }


def mention_event(
    text: str = "csto", channel: str | None = None, **extra: Any
) -> tuple[dict[str, Any], str]:
    """An event_callback for `@bot text` in `channel` (default: a fresh one), and the channel."""
    channel = channel or unique("C")
    return event_callback(mention(f"<@{BOT_USER}> {text}", channel, **extra)), channel


def home_opened(user: str, tab: str = "home") -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": unique("D"),
        "tab": tab,
        "event_ts": "1724050002.000300",
    }


def block_actions(
    action_id: str,
    value: str,
    response_url: str,
    *,
    channel: str | None = None,
    ephemeral: bool = True,
    user: str = "UANALYST1",
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """A button click; `thread_ts` when the message it is on sits in a thread."""
    channel = channel or unique("C")
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": "analyst", "name": "analyst", "team_id": TEAM},
        "api_app_id": "A0001APP",
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": "1724050003.000400",
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "1.2.def",
        "team": {"id": TEAM, "domain": "c5"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "security-policy"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "text": {"type": "plain_text", "text": "button", "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": "1724050004.000500",
            }
        ],
    }
    if not ephemeral:
        payload["message"] = {"type": "message", "ts": "1724050003.000400", "bot_id": BOT_ID}
    if thread_ts is not None:
        payload["container"]["thread_ts"] = thread_ts
        payload.setdefault("message", {"type": "message", "ts": "1724050003.000400"})
        payload["message"]["thread_ts"] = thread_ts
    return payload


def assistant_thread_started(
    channel: str, thread_ts: str, user: str = "UANALYST1"
) -> dict[str, Any]:
    """A user opened a new thread in the assistant panel."""
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": user,
            "context": {"channel_id": "C0VIEWING", "team_id": TEAM, "enterprise_id": None},
            "channel_id": channel,
            "thread_ts": thread_ts,
        },
        "event_ts": thread_ts,
    }


def later_ts() -> str:
    """A message ts after every message posted so far (the fake stamps posts with the clock)."""
    time.sleep(0.002)
    return f"{time.time():.6f}"


def message_shortcut(
    text: str, response_url: str, *, channel: str | None = None, thread_ts: str | None = None
) -> dict[str, Any]:
    """The message shortcut chosen on a message in `channel`."""
    message: dict[str, Any] = {
        "type": "message",
        "user": "UOTHER001",
        "text": text,
        "ts": "1724050005.000600",
    }
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
    return {
        "type": "message_action",
        "token": "legacy-verification-token",
        "action_ts": "1724050006.000700",
        "team": {"id": TEAM, "domain": "c5"},
        "user": {"id": "UANALYST1", "name": "analyst", "team_id": TEAM},
        "channel": {"id": channel or unique("C"), "name": "security-policy"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": "c5_check_message",
        "trigger_id": "1.2.ghi",
        "response_url": response_url,
        "message_ts": message["ts"],
        "message": message,
    }


# --- what the bot sent ----------------------------------------------------------------------


def dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    """to_dict() also runs slack_sdk's own validators (text lengths, element counts)."""
    return [b.to_dict() for b in blocks]


def answer_blocks(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The answer without the 👍/👎 block the query log adds (its value names the answer's id,
    different every time)."""
    return [b for b in blocks if b["type"] != "context_actions"]


def feedback_values(blocks: list[dict[str, Any]]) -> tuple[str, str]:
    """The values of the 👍 and 👎 buttons under an answer."""
    [block] = [b for b in blocks if b["type"] == "context_actions"]
    [element] = block["elements"]
    return element["positive_button"]["value"], element["negative_button"]["value"]


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every element of every actions block, in order."""
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def button_values(blocks: list[dict[str, Any]]) -> dict[str, str]:
    """action_id -> value of every button."""
    return {e["action_id"]: e["value"] for e in buttons(blocks)}


# --- sending ---------------------------------------------------------------------------------


def form(fields: dict[str, str]) -> str:
    return urllib.parse.urlencode(fields)


def interactive(payload: dict[str, Any]) -> str:
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def signed_headers(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }


@dataclass
class Server:
    """The real `python -m bot serve` process, reached over loopback."""

    url: str
    home: Path
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    def pids(self) -> list[int]:
        """The master and its worker processes, for memory readings."""
        if self.proc is None:
            return []
        master = self.proc.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        found = children.read_text().split() if children.exists() else []
        return [master, *map(int, found)]

    def post(
        self, body: str, headers: dict[str, str], content_type: str
    ) -> tuple[int, bytes, float]:
        """POST to /slack/events; returns status, body and the perf_counter() it was sent at."""
        request = urllib.request.Request(
            self.url + "/slack/events",
            data=body.encode(),
            headers={"Content-Type": content_type, **headers},
            method="POST",
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=WAIT) as response:
                return response.status, response.read(), started
        except urllib.error.HTTPError as error:
            return error.code, error.read(), started

    def signed_form(self, fields: dict[str, str], **headers: str) -> tuple[int, bytes, float]:
        body = form(fields)
        return self.post(body, {**signed_headers(body), **headers}, FORM)

    def signed_json(self, payload: dict[str, Any], **headers: str) -> tuple[int, bytes, float]:
        body = json.dumps(payload)
        return self.post(body, {**signed_headers(body), **headers}, "application/json")

    def signed_action(self, payload: dict[str, Any]) -> tuple[int, bytes, float]:
        body = interactive(payload)
        return self.post(body, signed_headers(body), FORM)


FORM = "application/x-www-form-urlencoded"


def ask_slash(server: Server, fake: FakeSlack, command: str, text: str) -> Call:
    """Send a signed slash command; the one answer posted to its response_url."""
    response_url = fake.response_url()
    status, _, _ = server.signed_form(slash_command(command, text, response_url))
    assert status == 200
    [call] = fake.wait_for(fake.replies_to(response_url))
    return call


def dispatch(app: App, body: dict[str, Any]) -> int:
    """Hand `body` to the app as Socket Mode delivers it (no signature); the status."""
    return app.dispatch(BoltRequest(body=body, mode="socket_mode")).status


def settle(fake: FakeSlack, send: Callable[[dict[str, Any]], object]) -> None:
    """Ask `help` in a fresh DM through `send` (`server.signed_json`, or a dispatch) and wait,
    bounded, for the answer: a pause before checking that something was NOT posted.

    Not a barrier. The answer shows only that the process (worker) which took this DM got to
    it; earlier requests handled by another gunicorn worker, or still running on another
    listener thread, may not be finished. So a "nothing was posted" check after this can miss
    a late post (pass when it should fail); it never makes such a check fail wrongly."""
    channel = unique("D")
    send(event_callback(dm("help", channel)))
    fake.wait_for(fake.posts_to(channel))


def server_env(api_url: str, home: Path, port: int, **extra: str) -> dict[str, str]:
    """What the Procfile's process gets on a platform, pointed at loopback and the fake Slack."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_APP_TOKEN": "",  # set and blank: a developer's .env cannot switch on Socket Mode
        "SLACK_API_URL": api_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "HOME": str(home),
        "RUN_DIR": str(home / "run"),
        "FACTBASE_PATH": str(FACTBASE),
        "LOG_LEVEL": "INFO",  # so the log tests see what production logs
        **extra,
    }
    env.pop("XDG_RUNTIME_DIR", None)
    return env


@contextmanager
def launch(api_url: str, home: Path, timeout: float = 30, **extra: str) -> Iterator[Server]:
    """Start the Procfile's command (`python -m bot serve`) on a free loopback port and wait
    for /healthz (bounded); stop it with SIGTERM (then SIGKILL) on the way out."""
    port = free_port()
    log = home / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=ROOT,
            env=server_env(api_url, home, port, **extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(url=f"http://127.0.0.1:{port}", home=home, log=log, proc=proc)
    deadline = time.monotonic() + timeout
    try:
        while True:
            if proc.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"server exited with {proc.returncode}: {tail}")
            try:
                with urllib.request.urlopen(server.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer /healthz within {timeout} s")
            time.sleep(0.05)
        yield server
    finally:
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class FakeSocketMode:
    """Slack's Socket Mode end, on loopback: a plain-ws WebSocket server that says hello, sends
    the envelopes a test gives it and records the envelope ids the app acknowledges.

    Just enough of RFC 6455 for slack_sdk's built-in client: the handshake, unmasked text
    frames out, masked frames in, pings answered with pongs, a close answered with a close."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, fake: FakeSlack) -> None:
        self.acks: list[str] = []
        self._changed = threading.Condition()
        self._conns: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        port = self._listener.getsockname()[1]
        fake.socket_url = f"ws://127.0.0.1:{port}/link/?ticket=test-ticket"
        threading.Thread(target=self._accept, daemon=True).start()

    def send(self, payload: dict[str, Any], kind: str) -> str:
        """Deliver one envelope (kind: events_api, slash_commands, interactive); its id."""
        envelope_id = uuid.uuid4().hex
        frame = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                 "accepts_response_payload": kind != "events_api", "retry_attempt": 0}  # fmt: skip
        with self._changed:
            while not self._conns:
                if not self._changed.wait(WAIT):
                    raise TimeoutError("no Socket Mode connection")
            conn = self._conns[-1]
        conn.sendall(_frame(0x1, json.dumps(frame).encode()))
        return envelope_id

    def wait_acks(self, count: int, timeout: float = WAIT) -> list[str]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.acks) < count and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return list(self.acks)

    def connected(self, timeout: float = WAIT) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: bool(self._conns), timeout)

    def close(self) -> None:
        self._listener.close()
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        stream = conn.makefile("rb")
        key = ""
        for line in iter(stream.readline, b"\r\n"):
            name, _, value = line.decode().partition(":")
            if name.lower() == "sec-websocket-key":
                key = value.strip()
        accept = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        conn.sendall(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        conn.sendall(_frame(0x1, json.dumps({"type": "hello", "num_connections": 1}).encode()))
        with self._changed:
            self._conns.append(conn)
            self._changed.notify_all()
        try:
            while True:
                opcode, data = _read_frame(stream)
                if opcode == 0x8:  # close
                    conn.sendall(_frame(0x8, data[:2]))
                    break
                if opcode == 0x9:  # ping
                    conn.sendall(_frame(0xA, data))
                elif opcode == 0x1:
                    envelope = json.loads(data)
                    with self._changed:
                        self.acks.append(envelope.get("envelope_id", ""))
                        self._changed.notify_all()
        except (OSError, ValueError, struct.error):
            pass
        finally:
            with self._changed:
                if conn in self._conns:
                    self._conns.remove(conn)
            conn.close()


def _frame(opcode: int, data: bytes) -> bytes:
    """A final, unmasked frame (server to client)."""
    if len(data) < 126:
        head = struct.pack("!BB", 0x80 | opcode, len(data))
    elif len(data) < 1 << 16:
        head = struct.pack("!BBH", 0x80 | opcode, 126, len(data))
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, len(data))
    return head + data


def _read_frame(stream: Any) -> tuple[int, bytes]:
    """One client frame (masked, as RFC 6455 requires of clients): opcode and payload."""
    first, second = struct.unpack("!BB", stream.read(2))
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", stream.read(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", stream.read(8))
    mask = stream.read(4) if second & 0x80 else b"\0\0\0\0"
    data = stream.read(length)
    return first & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def feedback_click(
    value: str, response_url: str, user: str = "UANALYST1", trigger: str = "1.2.fb"
) -> dict[str, Any]:
    """A 👍 or 👎 click under an answer, as Slack sends a feedback_buttons action."""
    payload = block_actions(FEEDBACK_ACTION, value, response_url, user=user)
    payload["trigger_id"] = trigger
    payload["actions"] = [
        {
            "type": "feedback_buttons",
            "action_id": FEEDBACK_ACTION,
            "block_id": "fb",
            "value": value,
            "text": {"type": "plain_text", "text": "👍" if value.startswith("up") else "👎"},
            "action_ts": "1724050004.000600",
        }
    ]
    return payload
