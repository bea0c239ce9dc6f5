"""Which passages a page of an answer shows, remembered by query and page.

Working out a page costs about as much as rendering it (0.1 to 0.3 ms); answers are
deterministic for a query, and a log is full of repeated questions, so each (query, page) is
worked out once per process. Only the query log's writer thread asks, off the answer's path.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from bot.models import Answer
from bot.querylog.grade import passage_ids
from bot.render.blocks import paginate

SIZE = 4096


class ShownPages:
    def __init__(self, size: int = SIZE) -> None:
        self._size = size
        self._ids: OrderedDict[tuple[str, int], list[str]] = OrderedDict()
        self._lock = threading.Lock()

    def ids(self, query: str, page: int, answer: Answer) -> list[str]:
        key = (query, page)
        with self._lock:
            if key in self._ids:
                self._ids.move_to_end(key)
                return self._ids[key]
        pages = paginate(answer)
        found = passage_ids(pages[max(0, min(page, len(pages) - 1))])
        with self._lock:
            self._ids[key] = found
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
        return found
