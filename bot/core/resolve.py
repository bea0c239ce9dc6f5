"""Turn names as typed (typos, transliterations, acronyms) into actors; never ordinary words."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.aliases import is_acronym
from bot.core.text import STOPWORDS, fold, stem
from bot.models import Actor

# Words split at hyphens, as the build's alias matcher reads article text: "kyrgyz-tajik
# clashes" names two actors.
_WORD = re.compile(r"[\w'’.]+")
# Each word of a two-word name typed with a typo stays this close to its word (fuzz.ratio).
WORD_CUTOFF = 70
# A typed word of up to ONE_EDIT letters names an actor only one edit from an alias; up to
# SHORT_NAME letters, one edit (a swap of two letters is one) is tried before the ratio,
# which counts a swap as two and would miss "mardna" for "mardan".
ONE_EDIT = 5
SHORT_NAME = 7


@dataclass(frozen=True)
class Found:
    actor: str
    start: int
    end: int
    exact: bool


class Resolver:
    """Exact alias lookup first, then fuzzy matching of the words left over."""

    def __init__(self, actors: Iterable[Actor], vocabulary: Iterable[str]) -> None:
        self.alias_to_actor: dict[str, str] = {}
        self.case_sensitive: dict[str, str] = {}
        for actor in actors:
            for alias in {actor.name, *actor.aliases}:
                key = fold(alias).rstrip(".")
                if is_acronym(alias) and key.replace(".", "") in STOPWORDS:
                    self.case_sensitive[alias] = actor.id
                else:
                    self.alias_to_actor.setdefault(key, actor.id)
        self.aliases = sorted(self.alias_to_actor, key=len, reverse=True)
        # The first word of every alias: a name starts at no other word, so the spans of up
        # to max_words words after any other are never folded and looked up (most words of
        # a sentence; a sentence's reading cost ~5 ms before)
        self.first_words = frozenset(
            _WORD.findall(key)[0]
            for key in (*self.alias_to_actor, *map(fold, self.case_sensitive))
            if _WORD.search(key)
        )
        self.max_words = max((len(_WORD.findall(a)) for a in self.aliases), default=1)
        self.vocabulary = frozenset(vocabulary)

    def find(self, text: str, fuzzy: bool = True) -> list[Found]:
        """Actors named in a text, in order; longest alias first, then (unless `fuzzy` is
        off, for article text) fuzzy matching for what's left."""
        tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
        folded = fold(text)  # once: fold keeps length, so its slices are the spans folded
        found: list[Found] = []
        i = 0
        while i < len(tokens):
            hit = self._exact_at(tokens, i, text, folded) or (
                self._fuzzy_at(tokens, i, text) if fuzzy else None
            )
            if hit:
                found.append(hit[0])
            i = hit[1] if hit else i + 1
        return found

    def exact(self, text: str) -> list[Found]:
        """Actors named in a text by one of their aliases as written."""
        return self.find(text, fuzzy=False)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Actor ids whose aliases look like a word or two of the text, for 'did you mean'."""
        tokens = [fold(t) for t in _WORD.findall(text)]
        keys = [t for t in tokens if t not in STOPWORDS and len(t) >= 3]
        keys += [f"{a} {b}" for a, b in itertools.pairwise(tokens)]
        scored: dict[str, float] = {}
        for key in keys:
            for alias, score, _ in process.extract(
                key, self.aliases, scorer=fuzz.ratio, limit=limit, score_cutoff=70
            ):
                actor = self.alias_to_actor[alias]
                scored[actor] = max(scored.get(actor, 0.0), score)
        return sorted(scored, key=lambda a: -scored[a])[:limit]

    def _exact_at(
        self, tokens: Sequence[tuple[int, int, str]], i: int, text: str, folded: str
    ) -> tuple[Found, int] | None:
        first = folded[tokens[i][0] : tokens[i][1]]
        if not {first, first.rstrip("."), _strip_possessive(first).rstrip(".")} & self.first_words:
            return None
        for n in range(min(self.max_words, len(tokens) - i), 0, -1):
            start, end = tokens[i][0], tokens[i + n - 1][1]
            span = text[start:end]
            for candidate in (span, _strip_possessive(span)):
                upper = n == 1 and _named_in_lower_case(tokens, i, text)
                if upper:
                    candidate = candidate.upper()
                if candidate in self.case_sensitive:
                    return Found(self.case_sensitive[candidate], start, end, True), i + n
                cut = folded[start : start + len(candidate)]
                key = (fold(candidate) if upper else cut).rstrip(".")
                if key in self.alias_to_actor:
                    return Found(self.alias_to_actor[key], start, end, True), i + n
        return None

    def _fuzzy_at(
        self, tokens: Sequence[tuple[int, int, str]], i: int, text: str
    ) -> tuple[Found, int] | None:
        for n in (2, 1):
            if i + n > len(tokens):
                continue
            start, end = tokens[i][0], tokens[i + n - 1][1]
            key = fold(_strip_possessive(text[start:end])).strip(".")
            if n == 1 and (key in STOPWORDS or stem(key) in self.vocabulary or len(key) < 4):
                continue
            if n == 2 and self._ordinary(key):
                continue  # "central asia", "is armenia", "which countries": words, not a typo
            alias = self._closest_alias(key)
            if alias and (n == 1 or _word_by_word(key, alias)):
                return Found(self.alias_to_actor[alias], start, end, False), i + n
        return None

    def _ordinary(self, pair: str) -> bool:
        """Two words of which one is a function word, or both words of the articles."""
        parts = pair.split()
        return any(p in STOPWORDS for p in parts) or all(stem(p) in self.vocabulary for p in parts)

    def _closest_alias(self, key: str) -> str | None:
        """The alias a typo most likely meant: one edit away (a swap of two letters counts
        as one: "mardna") up to SHORT_NAME letters; close by fuzz.ratio beyond."""
        if len(key) <= SHORT_NAME:  # the first alias one edit away, as listed (in C)
            near = process.extractOne(key, self.aliases, scorer=OSA.distance, score_cutoff=1)
            if near:
                return str(near[0])
        if len(key) <= ONE_EDIT:
            return None
        cutoff = 85 if len(key) <= SHORT_NAME else 80
        best = process.extractOne(key, self.aliases, scorer=fuzz.ratio, score_cutoff=cutoff)
        return str(best[0]) if best else None


def _word_by_word(key: str, alias: str) -> bool:
    """A typo of a two-word name is near it word by word: "caspian pipeline" is no typo of
    "caspian alpine", though the whole strings are close."""
    typed, named = key.split(), alias.split()
    return len(typed) == len(named) and all(
        fuzz.ratio(a, b) >= WORD_CUTOFF for a, b in zip(typed, named, strict=True)
    )


def _named_in_lower_case(tokens: Sequence[tuple[int, int, str]], i: int, text: str) -> bool:
    """An acronym typed in lower case where no pronoun can stand: after "the" ("the us
    government") or joined by a hyphen ("us-central asia summit"), never the pronoun "us"."""
    after = text[tokens[i][1] : tokens[i][1] + 1]
    return (i > 0 and tokens[i - 1][2].lower() == "the") or after == "-"


def _strip_possessive(span: str) -> str:
    return re.sub(r"['’][sS]$", "", span)
