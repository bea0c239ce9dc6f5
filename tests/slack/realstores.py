"""Real Redis and Postgres servers for tests and benchmarks: throwaway processes on free
loopback ports, their files in a temporary directory, stopped on the way out.

Binaries come from PATH or Debian's /usr/lib/postgresql/*/bin (`.ci/run` installs the
`redis-server` and `postgresql` packages when missing). Postgres refuses to run as root, so
as root the server runs as the `postgres` user (Debian's package makes it) or `nobody`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

START = 30.0  # seconds a server has to start


class Missing(Exception):
    """The server's binary is not installed here."""


def find(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise Missing(f"{name} is not installed (Debian: apt-get install redis-server postgresql)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port} within {START} s")


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@contextmanager
def redis_server() -> Iterator[str]:
    """A Redis server with nothing saved to disk; yields its redis:// URL."""
    exe = find("redis-server")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="c5redis-") as home:
        log = Path(home) / "redis.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", home, "--daemonize", "no"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            _wait_for_port(port, proc, log)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            _stop(proc)


@dataclass
class Postgres:
    """A running Postgres cluster; `database()` makes a fresh, empty database on it."""

    port: int
    user: str = "c5"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def database(self) -> str:
        import psycopg

        name = "t" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """initdb into a temporary directory and run `postgres` on a free port (trust auth, loopback
    only, no fsync: a throwaway)."""
    initdb, postgres = find("initdb"), find("postgres")
    port = free_port()
    home = tempfile.mkdtemp(prefix="c5pg-")
    user = None
    if os.geteuid() == 0:
        user = "postgres" if _exists("postgres") else "nobody"
        entry = pwd.getpwnam(user)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    data, log = Path(home) / "data", Path(home) / "postgres.log"
    try:
        subprocess.run(
            [initdb, "-D", str(data), "-U", "c5", "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True,
            capture_output=True,
            user=user,
            timeout=120,
        )
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [postgres, "-D", str(data), "-p", str(port), "-k", home,
                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                 "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                 "-c", "max_connections=200"],
                stdout=out,
                stderr=subprocess.STDOUT,
                user=user,
            )  # fmt: skip
        try:
            _wait_for_port(port, proc, log)
            server = Postgres(port)
            _wait_ready(server)
            yield server
        finally:
            _stop(proc, signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _wait_ready(server: Postgres) -> None:
    import psycopg

    deadline = time.monotonic() + START
    while True:
        try:
            with psycopg.connect(server.url(), connect_timeout=2):
                return
        except psycopg.OperationalError:  # "the database system is starting up"
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True
