"""The stable JSON contract others script against (more fields than the contract are fine)."""

from __future__ import annotations

import json
from typing import Any

from bot.models import Answer


def to_contract(answer: Answer) -> dict[str, Any]:
    """The Answer as JSON-ready data: contract fields first, everything else after."""
    data = answer.model_dump(mode="json")
    actor = data.pop("actor")
    passages = data.pop("passages")
    return {
        "kind": data.pop("kind"),
        "query": data.pop("query"),
        "actor": actor,
        "passages": passages,
        "suggestions": data.pop("suggestions"),
        **data,
    }


def render(answer: Answer) -> str:
    return json.dumps(to_contract(answer), ensure_ascii=False)
