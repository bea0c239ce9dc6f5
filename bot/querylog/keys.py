"""Pseudonymous user keys: the log links one person's questions and votes, never says who.

A keyed hash (HMAC-SHA256) of team and user id. Without the secret a key cannot be turned back
into a Slack id, nor a Slack id into its key. Hosts that share a log must share the secret
(QUERYLOG_SECRET); unset, one is generated once under RUN_DIR.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

KEY_FILE = "querylog.key"


def user_key(secret: bytes, team: str | None, user: str | None) -> str:
    message = f"{team or '-'}:{user or '-'}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def load_secret(run_dir: Path, given: str | None) -> bytes:
    """The secret set, else the one kept in run_dir (created, mode 0600, on first use).

    Created whole or not at all (written aside, then linked into place), so processes starting
    together all read the same secret, never a half-written file."""
    if given:
        return given.encode()
    path = run_dir / KEY_FILE
    if not path.exists():
        run_dir.mkdir(parents=True, exist_ok=True)
        fd, aside = tempfile.mkstemp(dir=run_dir, prefix=".querylog-key-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32) + "\n")
            os.link(aside, path)
        except FileExistsError:  # another process made it first: theirs is the one
            pass
        finally:
            os.unlink(aside)
    return path.read_bytes().strip()
