"""Words in quotation marks, and who says them when the text says who.

Attribution is read from the words around the marks: `,” X said`, `said X`, `X told …
that “`, `X stressed: “`, a pronoun that points back to the last speaker or person, and a
paragraph that opens with a quotation mark continuing the previous speaker. Short terms in
marks with no speaking verb beside them ("indivisible security space") are phrases, not speech;
long quoted words are speech even where the text never says whose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from bot.build.segment import Block
from bot.lexicon import WORDS
from bot.models import Mention

SPEECH_MIN_WORDS = 5
CONTEXT_PARAGRAPHS = 3

# Reporting verbs from the shared lexicon, less those that name things; "called" only as
# "called for"; "described" kept, as the build always had it.
_VERB = "|".join(
    [
        *sorted(WORDS.speech_verbs - WORDS.naming_verbs, key=len, reverse=True),
        "called for",
        "calls for",
        "described",
        "describes",
    ]
)
VERB = re.compile(r"(?i)\b(?:" + _VERB + r")\b")
PRONOUN = re.compile(r"(?i)^(?:he|she|they)$")
ADVERBS = frozenset("also then later again once further recently has had".split())
# Between a speaking verb and the opening mark: nothing, or "that", "for", "as", a colon.
DIRECT_BEFORE = re.compile(r"(?i)^[\s,:]*(?:(?:that|for|as)\s*)?(?:(?:a|an|the)\s*)?$")
# After the closing mark: `, X said` / `, said X` / `, he added`.
AFTER_SUBJECT = re.compile(r"^[,.]?\s+(?P<subject>[^,.;“”\"]{1,60}?)\s+(?P<verb>" + _VERB + r")\b")
AFTER_VERB = re.compile(r"^[,.]?\s+(?P<verb>" + _VERB + r")\s+(?P<rest>[^.;“”\"]{1,60})")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Quotation:
    """Inner text of a quotation (marks excluded) and what the build found out about it."""

    start: int
    end: int
    speaker: str | None
    speech: bool


class Marks(NamedTuple):
    """Where a quotation's marks stand, and its inner text without marks or edge commas."""

    opens: int
    closes: int
    start: int
    end: int


@dataclass
class _Context:
    """What a pronoun or an unattributed paragraph points back to, within one article."""

    speaker: str | None = None
    speaker_paragraph: int = -1_000


def quotations(
    text: str,
    paragraphs: Sequence[Block],
    sentences: Sequence[Block],
    mentions: Sequence[Mention],
    kinds: Mapping[str, str],
) -> list[Quotation]:
    """Every quotation of one article, in text order, with its speaker where the text says."""
    found: list[Quotation] = []
    context = _Context()
    persons = [m for m in mentions if kinds.get(m.actor) == "person"]
    for number, paragraph in enumerate(paragraphs):
        spans = _marks(text, paragraph)
        read = []
        for opens, closes, start, end in spans:
            sentence = _containing(sentences, opens)
            speaker, direct = _attribute(
                text, opens, closes, sentence, paragraph, spans, mentions, persons, context, number
            )
            recent = number - context.speaker_paragraph <= CONTEXT_PARAGRAPHS
            if speaker is None and opens == paragraph.start and recent:
                speaker = context.speaker  # a paragraph of quotation goes on with the last speaker
            read.append((start, end, sentence, speaker, direct))
        # One speaking verb right beside one quotation makes every quotation it governs speech.
        direct_in = {(sentence, speaker) for *_, sentence, speaker, direct in read if direct}
        for start, end, sentence, speaker, _ in read:
            words = len(_WORD.findall(text[start:end]))
            # Long quoted words are someone's speech even where the text won't say whose.
            speech = (speaker is not None and (sentence, speaker) in direct_in) or (
                words >= SPEECH_MIN_WORDS
            )
            found.append(Quotation(start, end, speaker if speech else None, speech))
            if speech and speaker:
                context.speaker, context.speaker_paragraph = speaker, number
    return found


def _marks(text: str, paragraph: Block) -> list[Marks]:
    """Each double-quoted span; one left open runs to the paragraph's end."""
    spans = []
    i = paragraph.start
    while i < paragraph.end:
        ch = text[i]
        if ch in '“"':
            closer = "”" if ch == "“" else '"'
            close = text.find(closer, i + 1, paragraph.end)
            close = paragraph.end if close == -1 else close
            start, end = _trim(text, i + 1, close)
            if _WORD.search(text[start:end]):
                spans.append(Marks(i, close, start, end))
            i = close + 1
        else:
            i += 1
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def _containing(sentences: Sequence[Block], at: int) -> Block:
    for sentence in sentences:
        if sentence.start <= at < sentence.end:
            return sentence
    return Block(at, at)


def _attribute(
    text: str,
    opens: int,
    closes: int,
    sentence: Block,
    block: Block,
    spans: Sequence[Marks],
    mentions: Sequence[Mention],
    persons: Sequence[Mention],
    context: _Context,
    paragraph: int,
) -> tuple[str | None, bool]:
    """(speaker, whether a speaking verb stands right beside the marks)."""
    after = closes + 1
    # `… reality.” He said …` starts a new sentence; only `,” he said` attributes backwards.
    ended = text[closes - 1] == "."
    tail = (
        "" if ended else text[after : min(after + 80, block.end)].split("“", 1)[0].split('"', 1)[0]
    )
    if match := AFTER_VERB.match(tail):
        speaker = _first_mention(mentions, after + match.start("rest"), after + match.end("rest"))
        if speaker is None and PRONOUN.match(match.group("rest").split()[0]):
            speaker = _pronoun(context, persons, opens, paragraph)
        if speaker:
            return speaker, True
    if match := AFTER_SUBJECT.match(tail):
        subject = match.group("subject")
        if PRONOUN.match(subject):
            return _pronoun(context, persons, opens, paragraph), True
        end = after + match.end("subject")
        named = [m for m in mentions if m.end == end and m.start >= after + match.start("subject")]
        titles = text[after + match.start("subject") : named[0].start] if named else ""
        if named and not re.search(r"\b[a-z]", titles):  # "Luca Anceschi", not "the war"
            return named[0].actor, True
    masked = _masked(text, sentence.start, opens, spans)
    verbs = list(VERB.finditer(masked))
    if not verbs:
        return None, False
    verb = verbs[-1]
    verb_start, verb_end = sentence.start + verb.start(), sentence.start + verb.end()
    direct = bool(DIRECT_BEFORE.match(masked[verb.end() :]))
    inverted = _inverted(text, mentions, verb_end, opens)
    if inverted:
        return inverted, True
    before = masked[: verb.start()].split()
    words = [w for w in before if w.lower() not in ADVERBS]
    if words and PRONOUN.match(words[-1].strip(",")):
        return _pronoun(context, persons, opens, paragraph), direct
    subject = _last_mention(mentions, sentence.start, verb_start, spans)
    return subject, direct


def _masked(text: str, start: int, end: int, spans: Sequence[Marks]) -> str:
    """text[start:end] with quoted stretches blanked, so words inside marks are nobody's verbs."""
    chars = list(text[start:end])
    for opens, closes, _, _ in spans:
        for i in range(max(opens, start), min(closes + 1, end)):
            chars[i - start] = " "
    return "".join(chars)


def _inside(at: int, spans: Sequence[Marks]) -> bool:
    return any(opens < at < closes for opens, closes, _, _ in spans)


def _first_mention(mentions: Sequence[Mention], start: int, end: int) -> str | None:
    return next((m.actor for m in mentions if start <= m.start and m.end <= end), None)


def _inverted(text: str, mentions: Sequence[Mention], verb_end: int, opens: int) -> str | None:
    """`…”, said Keosayan, “…`: a name, and only a name, between the verb and the mark."""
    for m in mentions:
        if verb_end <= m.start and m.end <= opens:
            named_only = re.fullmatch(r"[\s,]*(?:[A-Z][\w-]*\s+)*", text[verb_end : m.start])
            if named_only and re.fullmatch(r"[\s,:]*", text[m.end : opens]):
                return m.actor
            return None
    return None


def _last_mention(
    mentions: Sequence[Mention], start: int, end: int, outside: Sequence[Marks]
) -> str | None:
    """The name nearest before `end`, not counting names inside quotation marks."""
    chosen = None
    for m in mentions:
        if start <= m.start and m.end <= end and not _inside(m.start, outside):
            chosen = m.actor
    return chosen


def _pronoun(context: _Context, persons: Sequence[Mention], at: int, paragraph: int) -> str | None:
    """He/she/they: the last speaker nearby, else the last person named before."""
    if context.speaker and paragraph - context.speaker_paragraph <= CONTEXT_PARAGRAPHS:
        return context.speaker
    earlier = [m for m in persons if m.end <= at]
    return earlier[-1].actor if earlier else None
