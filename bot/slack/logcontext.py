"""How listeners reach the query log and the curators: a middleware puts them in the context."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltContext

from bot.querylog import QueryLog

_LOG = "c5_querylog"
_CURATORS = "c5_curators"


def provide_log(
    querylog: QueryLog | None, curators: frozenset[str]
) -> Callable[[BoltContext, Callable[[], None]], None]:
    """A global middleware that hands the query log and the curators to every listener."""

    def attach_query_log(context: BoltContext, next: Callable[[], None]) -> None:
        context[_LOG] = querylog
        context[_CURATORS] = curators
        next()

    return attach_query_log


def query_log(context: BoltContext) -> QueryLog | None:
    found = context.get(_LOG)
    return found if isinstance(found, QueryLog) else None


def is_curator(context: BoltContext) -> bool:
    curators = context.get(_CURATORS) or frozenset()
    return context.user_id is not None and context.user_id in curators
