"""How listeners reach the fact base: a middleware puts it in Bolt's per-request context."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltContext

from bot.core.knowledge import Knowledge

_KEY = "c5_knowledge"


def provide(kb: Knowledge) -> Callable[[BoltContext, Callable[[], None]], None]:
    """A global middleware that hands `kb` to every listener without a module-level global."""

    def attach_knowledge(context: BoltContext, next: Callable[[], None]) -> None:
        context[_KEY] = kb
        next()

    return attach_knowledge


def knowledge(context: BoltContext) -> Knowledge:
    kb = context[_KEY]
    assert isinstance(kb, Knowledge), "create_app() installs the knowledge middleware"
    return kb
