"""What a curator reads after a build: counts, and what the build could not place."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.build import dates
from bot.core.aliases import AliasMatcher

# Runs of capitalised words (with "and", "of", "the" inside), or one hyphenated name.
NAME = re.compile(
    r"(?<![\w’'-])(?:[A-Z][\w’'-]*(?:\s+(?:(?:and|of|the|for|de|al)\s+)*[A-Z][\w’'-]*)+"
    r"|[A-Z]\w+-[A-Z]\w+)"
)
LEADING = frozenset(
    "In On At As By For From Since Before After During Until The A An And But So If When "
    "While Then Thus However Moreover Also This That These Those Its His Her Their Our Most".split()
)
MONTHS = frozenset(name.capitalize() for name in dates.MONTHS)


def counts(
    sources: int,
    actors: int,
    tally: Counter[str],
    mentioned: Iterable[str],
) -> dict[str, int]:
    """The report's counts, in their order, from the build's running tally."""
    speech = tally["quotes"] - tally["phrases"]
    return {
        "sources": sources,
        "passages": tally["paragraphs"],
        "sentences": tally["sentences"],
        "actors": actors,
        "actors_mentioned": len(set(mentioned)),
        "mentions": tally["mentions"],
        "quotes": speech,
        "quotes_with_speaker": speech - tally["quotes_without_speaker"],
        "quotes_without_speaker": tally["quotes_without_speaker"],
        "phrases": tally["phrases"],
        "events": tally["events"],
        "events_resolved": tally["events_resolved"],
    }


def names(texts: Iterable[str], matcher: AliasMatcher) -> Counter[str]:
    """Capitalised names no actor alias covers in these texts (one article's sentences)."""
    found: Counter[str] = Counter()
    for text in texts:
        for match in NAME.finditer(text):
            words = match.group().split()
            while words and words[0] in LEADING:
                words.pop(0)
            name = " ".join(words)
            if not name or (" " not in name and "-" not in name) or name in MONTHS:
                continue
            if not matcher.find(name):
                found[name] += 1
    return found


def unmatched(found: Counter[str]) -> dict[str, int]:
    """Names no actor alias covers: candidates for actors.toml, most frequent first."""
    return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
