"""`python -m bot manifest --url https://HOST`: manifest.json for HTTP mode, printed.

HTTP mode needs the request URL in seven places (each of the five commands, events,
interactivity) and Socket Mode off; this writes them all from one base URL."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

EVENTS_PATH = "/slack/events"  # bot/slack/server.py serves every Slack request here


def http_manifest(manifest: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A copy of `manifest` pointed at `base_url` + /slack/events, with Socket Mode off."""
    url = base_url.rstrip("/") + EVENTS_PATH
    out: dict[str, Any] = json.loads(json.dumps(manifest))
    for command in out.get("features", {}).get("slash_commands", []):
        command["url"] = url
    settings = out.setdefault("settings", {})
    settings.setdefault("event_subscriptions", {})["request_url"] = url
    settings.setdefault("interactivity", {"is_enabled": True})["request_url"] = url
    settings["socket_mode_enabled"] = False
    return out


def check_url(url: str) -> str | None:
    """Why Slack would refuse this base URL, or None: it must be https with a host."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "the URL must start with https:// and name a host, e.g. https://c5.example.org"
    if parts.query or parts.fragment or any(c.isspace() for c in url):
        return "give the base URL only, e.g. https://c5.example.org (no query, fragment, spaces)"
    return None


def run_manifest(path: Path, url: str) -> int:
    problem = check_url(url)
    if problem:
        print(f"c5brief: {problem}", file=sys.stderr)
        return 2
    manifest = json.loads(path.read_text(encoding="utf-8"))
    print(json.dumps(http_manifest(manifest, url), indent=2, ensure_ascii=False))
    return 0
