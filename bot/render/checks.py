"""What Slack would refuse, cut or act on in a rendered message.

One definition of "safe to post", shared by the property tests and `benchmarks/fuzz.py`:
Slack's size limits for Block Kit, and no `<`, `>` or bare `&` in any text except the links,
user mentions and block-quote marks the renderer writes on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.render.blocks import (
    BUTTON_CHARS,
    FIELD_CHARS,
    HEADER_CHARS,
    MESSAGE_BLOCKS,
    SECTION_CHARS,
    VALUE_CHARS,
)

TEXT_CHARS = 40_000  # chat.postMessage truncates `text` beyond this
CONTEXT_ELEMENTS = 10
SECTION_FIELDS = 10
ACTIONS_ELEMENTS = 25

_LINK = re.compile(r"<https?:[^\s<>|]+\|[^<>|]+>")
_QUOTE_MARK = re.compile(r"(?m)^>(?: |$)")
_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_CONTROL = re.compile(r"<(?:[!@#]|https?:|mailto:)[^>]*>", re.IGNORECASE)


def unescaped(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """`<`, `>` or `&` in mrkdwn that Slack would read as markup, beyond what is allowed."""
    for token in allowed:
        text = text.replace(token, "")
    text = _QUOTE_MARK.sub("", _LINK.sub("", text))
    text = _ENTITY.sub("", text)
    return [f"unescaped {ch!r} in {text[:80]!r}" for ch in "<>&" if ch in text]


def control_sequences(text: str) -> list[str]:
    """Slack control sequences (`<!here>`, `<@U1>`, `<#C1>`, `<http…|…>`) in a value that is
    never shown but is sent to Slack, such as a button's value."""
    return _CONTROL.findall(text)


def problems(
    blocks: list[dict[str, Any]],
    text: str,
    *,
    max_blocks: int = MESSAGE_BLOCKS,
    allowed: Iterable[str] = (),
) -> list[str]:
    """Every way this message breaks Slack's limits or lets markup through; [] when none."""
    allowed = list(allowed)
    found = [] if blocks or text.strip() else ["no blocks and no text"]
    if len(blocks) > max_blocks:
        found.append(f"{len(blocks)} blocks (limit {max_blocks})")
    if len(text) > TEXT_CHARS:
        found.append(f"text of {len(text)} characters (limit {TEXT_CHARS})")
    found += unescaped(text, allowed)
    for block in blocks:
        found += _block_problems(block)
    for shown in _texts(blocks):
        found += unescaped(shown, allowed)
    return found


def _block_problems(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    found = []
    if kind == "section":
        # a section holds text, fields (side by side), or both; never neither
        shown, fields = block.get("text"), block.get("fields", [])
        if shown is None and not fields:
            found.append("section with neither text nor fields")
        if shown is not None and len(shown["text"]) > SECTION_CHARS:
            found.append(f"section of {len(shown['text'])} characters")
        if len(fields) > SECTION_FIELDS:
            found.append(f"section with {len(fields)} fields")
        found += [
            f"field of {len(f['text'])} characters" for f in fields if len(f["text"]) > FIELD_CHARS
        ]
    if kind == "header" and len(block["text"]["text"]) > HEADER_CHARS:
        found.append(f"header of {len(block['text']['text'])} characters")
    if kind == "context":
        elements = block.get("elements", [])
        if not 0 < len(elements) <= CONTEXT_ELEMENTS:
            found.append(f"context with {len(elements)} elements")
        found += [
            f"context text of {len(e['text'])} characters"
            for e in elements
            if len(e.get("text", "")) > SECTION_CHARS
        ]
    if kind == "actions":
        elements = block.get("elements", [])
        if not 0 < len(elements) <= ACTIONS_ELEMENTS:
            found.append(f"actions with {len(elements)} elements")
        for button in elements:
            if len(button["text"]["text"]) > BUTTON_CHARS:
                found.append(f"button text of {len(button['text']['text'])} characters")
            if len(button.get("value", "")) > VALUE_CHARS:
                found.append(f"button value of {len(button['value'])} characters")
    return found


def _texts(node: Any) -> list[str]:
    """Every string Slack shows from these blocks (the `text` keys, at any depth)."""
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    if not isinstance(node, dict):
        return []
    found = []
    for key, value in node.items():
        if key == "text" and isinstance(value, str):
            found.append(value)
        else:
            found += _texts(value)
    return found
