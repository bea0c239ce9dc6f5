"""One normalisation for documents and queries: case- and accent-folding, tokens, stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from bot.lexicon import WORDS

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")

STOPWORDS = WORDS.stopwords
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")  # "u.s." reads as "us", "U.N." as "un"


def fold(text: str) -> str:
    """Lower-case, strip accents and unify apostrophes, keeping string length unchanged.

    Equal length keeps offsets found in the folded text valid in the original. ASCII runs
    (nearly all of any text) are lower-cased in C; only the other characters go one by one.
    """
    pieces = _NON_ASCII.split(text.translate(_APOSTROPHES))
    pieces[::2] = [run.lower() for run in pieces[::2]]
    pieces[1::2] = ["".join(map(fold_char, run)) for run in pieces[1::2]]
    return "".join(pieces)


def fold_char(ch: str) -> str:
    """One character folded: its accent-free lower case when that is one character."""
    base = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in base if not unicodedata.combining(c)) or ch
    low = kept.lower()
    return low if len(low) == 1 else ch.lower() if len(ch.lower()) == 1 else ch


_SNOWBALL = Stemmer.Stemmer("english")


@lru_cache(maxsize=1 << 17)  # a corpus repeats its words; bounded, as queries come from anyone
def stem(word: str) -> str:
    """Snowball (Porter 2) English stem; possessives dropped first."""
    return str(_SNOWBALL.stemWord(word.removesuffix("'s")))


def words(text: str) -> list[str]:
    """Folded word tokens, stopwords kept."""
    return _TOKEN.findall(_DOTTED.sub(lambda m: m.group().replace(".", ""), fold(text)))


def terms(text: str) -> list[str]:
    """Content terms for ranking: folded, stopwords dropped, stemmed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1]


def actor_key(actor_id: str) -> str:
    """The index term standing for an actor: no word can look like it (words have no '@')."""
    return "@" + actor_id


def key_actor(key: str) -> str | None:
    """The actor an index term stands for (actor_key's inverse); None for a word."""
    return key[1:] if key.startswith("@") else None
