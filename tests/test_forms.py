"""Other forms of a question's word: found only when the articles use them."""

from __future__ import annotations

import pytest

from bot.core.forms import related, spellings
from bot.core.knowledge import Knowledge
from bot.core.question import read


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("organisation", "organization"),
        ("defense", "defence"),
        ("labour", "labor"),
        ("centre", "center"),
        ("catalog", "catalogue"),
        ("analyze", "analyse"),
    ],
)
def test_spellings_read_both_ways(word: str, other: str) -> None:
    assert other in spellings(word)
    assert word in spellings(other)


def test_short_words_keep_their_spelling() -> None:
    assert spellings("four") == [] and spellings("hour") == []


def test_only_forms_the_articles_use(kb: Knowledge) -> None:
    assert related(kb, "organisations") == ["organiz"]
    assert related(kb, "behaviour") == []  # neither spelling in the articles


def test_other_spelling_is_a_variant(kb: Knowledge) -> None:
    q = read(kb, "regional organisations")
    assert "organiz" in q.variants(kb)
