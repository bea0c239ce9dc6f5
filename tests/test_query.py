"""parse() and clean(): one grammar for whatever Slack or a console sends."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.query import MAX_QUERY, clean, parse


@pytest.mark.parametrize(
    ("raw", "command", "text"),
    [
        ("/brief csto", "brief", "csto"),
        ("/BRIEF CSTO", "brief", "CSTO"),
        ("/actor toqaev", "actor", "toqaev"),
        ("/quote indivisible security", "quote", "indivisible security"),
        ("/timeline", "timeline", ""),
        ("/timeline uzbekistan", "timeline", "uzbekistan"),
        ("/sources", "sources", ""),
        ("sources", "sources", ""),
        ("help", "help", ""),
        ("/help", "help", ""),
        ("?", "help", ""),
        ("commands", "help", ""),
        ("/actor help", "help", "help"),
        ("/quote ?", "help", "?"),
        ("who is putin", "free", "who is putin"),
        ("brief me", "free", "brief me"),
        ("help me understand the CSTO", "free", "help me understand the CSTO"),
        ("actor toqaev", "free", "actor toqaev"),
        ("/unknown csto", "free", "/unknown csto"),
        ("  /brief   csto  ", "brief", "csto"),
        ("<@U123> /actor putin", "actor", "putin"),
        ("/brief me on the csto, thanks", "brief", "the csto"),  # leads and courtesies
        ("/quote putin please", "quote", "putin"),
        ("/brief about", "brief", "about"),  # nothing else: kept, and answered as typed
        ("", "free", ""),
        # what wraps a question and asks nothing
        ("hey, who said it?", "free", "who said it?"),
        ("Hi! Can you please tell me what the CSTO is? Thanks!", "free", "what the CSTO is?"),
        ("quick question: when was it signed", "free", "when was it signed"),
        ("do you know whether Uzbekistan left, thank you", "free", "whether Uzbekistan left"),
        ("tell me about the csto", "free", "tell me about the csto"),  # a request of its own
        ("hey", "help", ""),  # nothing asked: what the bot can do
        ("ok, thanks!", "help", ""),
        ("wat r the csto's aims abt", "free", "what are the csto's aims about"),  # shorthand
        ("U.S. and u", "free", "U.S. and you"),
        ("china's role in CA", "free", "china's role in Central Asia"),  # capitals only
        ("ca. 2022, ca", "free", "ca. 2022, ca"),
    ],
)
def test_parse(raw: str, command: str, text: str) -> None:
    q = parse(raw)
    assert (q.command, q.text) == (command, text)
    assert q.raw == raw
    assert not q.truncated


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("claim: the CSTO sent troops to Kazakhstan — check", "the CSTO sent troops to Kazakhstan"),
        ("Fact check: Uzbekistan left the CSTO", "Uzbekistan left the CSTO"),
        ("is it true that Armenia invoked Article 4?", "Armenia invoked Article 4?"),
        ("Tokayev wrote an op-ed, true or false?", "Tokayev wrote an op-ed"),
    ],
)
def test_a_claim_put_to_be_checked_asks_whether_it_holds(raw: str, text: str) -> None:
    """The words framing a claim ask nothing ("claim" is no one's claim to quote); the claim
    is asked as a yes or no."""
    q = parse(raw)
    assert (q.command, q.text, q.claim) == ("free", text, True)


@pytest.mark.parametrize("raw", ["what did Mardan claim?", "did Russia check the claim"])
def test_claim_and_check_inside_a_question_are_its_words(raw: str) -> None:
    q = parse(raw)
    assert (q.text, q.claim) == (raw, False)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("<@U123> who is putin", "who is putin"),
        ("<@U123|alice> hi", "hi"),
        ("<!channel> csto", "csto"),
        ("<!here> <!everyone> csto", "csto"),
        ("<#C123|general> csto", "csto"),
        ("<http://x|label>", "label"),
        ("see <https://example.com/a?b=c|the page> now", "see the page now"),
        ("<https://example.com>", "https://example.com"),
        ("<mailto:a@b.c|mail me>", "mail me"),
        ("*bold* _it_ ~gone~ `code`", "bold it gone code"),
        (":wave: who is putin? :thinking_face:", "who is putin?"),
        ("at 10:30:15 re: csto", "at 10:30:15 re: csto"),  # a time, a label: no emoji
        ("don't_split snake_case", "don't_split snake_case"),
        ("a\x00b\x07c\td\ne", "a b c d e"),
        ("right\u202eto\u200bleft", "right to left"),
        ("&lt;b&gt; &amp; c", "<b> & c"),
        ("   spaced    out   ", "spaced out"),
        ("Kazakhstan’s “indivisible security”", "Kazakhstan’s “indivisible security”"),
        ("Токаев и ОДКБ", "Tokaev i ODKB"),  # another script's letters, transliterated
        ("＜!channel＞ Путин", "!channel Putin"),  # its symbols never become Slack's
    ],
)
def test_clean(raw: str, cleaned: str) -> None:
    assert clean(raw) == (cleaned, False)


def test_clean_cuts_long_input_at_a_word() -> None:
    raw = "security " * 300
    text, truncated = clean(raw)
    assert truncated
    assert len(text) <= MAX_QUERY
    assert text.split() == ["security"] * len(text.split())
    assert parse(raw).truncated


def test_clean_does_not_cut_at_the_limit() -> None:
    raw = "x" * MAX_QUERY
    assert clean(raw) == (raw, False)


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=1500))
def test_clean_output_is_bounded_and_printable(raw: str) -> None:
    text, truncated = clean(raw)
    assert len(text) <= MAX_QUERY
    assert text == text.strip()
    assert not any(unicodedata.category(ch).startswith("C") for ch in text)
    assert "<!channel>" not in text and "<@" not in text
    if truncated:
        assert len(raw) > MAX_QUERY
    q = parse(raw)
    assert q.command in ("brief", "actor", "quote", "timeline", "sources", "help", "free")


def test_a_name_typed_after_an_at_sign_addresses_and_asks_nothing() -> None:
    """ "@secbot what did ...": Slack made no mention of it, but it still only addresses."""
    assert parse("@secbot, who leads Uzbekistan?").text == "who leads Uzbekistan?"
    assert parse("@secbot @analyst who leads Uzbekistan?").text == "who leads Uzbekistan?"
    assert parse("who is @analyst asking about?").text == "who is @analyst asking about?"


def test_a_commands_shorthand_is_written_out_but_not_remembered_words() -> None:
    """ "/actor shanghai cooperation org" names the organization; `/quote` keeps the
    words as typed, to be found as the articles write them."""
    assert parse("/actor shanghai cooperation org").text.endswith("organization")
    assert parse("/brief govt response").text == "government response"
    assert parse("/quote u r mistaken").text == "u r mistaken"


def test_shorthand_keeps_its_capital_so_a_title_stays_a_title() -> None:
    """ "Keep Mil Ties": written out as "Military Ties", so a question in Title Case still
    reads as one, where a capital tells nothing about a name."""
    assert parse("Why Would Leaders Keep Mil Ties To Russia").text == (
        "Why Would Leaders Keep Military Ties To Russia"
    )
    assert parse("keep mil ties to russia").text == "keep military ties to russia"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("anceschi n shahbazov", "anceschi and shahbazov"),
        ("csto w/o uzbekistan b/c why", "csto without uzbekistan because why"),
    ],
)
def test_chat_shorthand_is_written_out(raw: str, text: str) -> None:
    """Shorthand typed on a phone reads as the words it stands for, not as words to find."""
    assert parse(raw).text == text
