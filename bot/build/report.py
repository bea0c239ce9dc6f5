"""What a curator reads after a build: counts, and what the build could not place."""

from __future__ import annotations

import re
from collections import Counter

from bot.build import dates
from bot.core.aliases import AliasMatcher
from bot.models import BuildReport, Curation, Event, Mention, Paragraph, Quote, Sentence

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


def report(
    cur: Curation,
    paragraphs: list[Paragraph],
    sentences: list[Sentence],
    mentions: list[Mention],
    quotes: list[Quote],
    events: list[Event],
    matcher: AliasMatcher,
) -> BuildReport:
    speech = [q for q in quotes if q.speech]
    unattributed = [q for q in speech if q.speaker is None]
    counts = {
        "sources": len(cur.sources),
        "passages": len(paragraphs),
        "sentences": len(sentences),
        "actors": len(cur.actors),
        "actors_mentioned": len({m.actor for m in mentions}),
        "mentions": len(mentions),
        "quotes": len(speech),
        "quotes_with_speaker": len(speech) - len(unattributed),
        "quotes_without_speaker": len(unattributed),
        "phrases": len(quotes) - len(speech),
        "events": len(events),
        "events_resolved": sum(1 for e in events if e.date),
    }
    return BuildReport(
        counts=counts,
        unmatched_names=unmatched(sentences, matcher),
        quotes_without_speaker=[f"{q.source}:{q.start}: {q.text[:80]}" for q in unattributed],
    )


def unmatched(sentences: list[Sentence], matcher: AliasMatcher) -> dict[str, int]:
    """Capitalised names no actor alias covers: candidates for actors.toml, most frequent first."""
    found: Counter[str] = Counter()
    for s in sentences:
        for match in NAME.finditer(s.text):
            words = match.group().split()
            while words and words[0] in LEADING:
                words.pop(0)
            name = " ".join(words)
            if not name or (" " not in name and "-" not in name) or name in MONTHS:
                continue
            if not matcher.find(name):
                found[name] += 1
    return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
