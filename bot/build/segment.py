"""Cut a scraped article into body paragraphs and sentences, by offsets, never by copying.

A seed is the page as it was saved: navigation, captions, bylines, share prompts and pull
quotes sit between the paragraphs. Only prose survives: a line that reads as a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.core.text import fold

MIN_WORDS = 6
PULL_QUOTE_SIMILARITY = 90.0
PULL_QUOTE_MAX_WORDS = 60

# Lines that end an article's body on the page: after them only furniture follows.
TRAILERS = re.compile(
    r"(?i)^(?:want to read more|subscribe\b|already a subscriber|about the author"
    r"|the authors?(?:\s*$|\s+(?:is|are|was|were)\b)"  # a heading or a bio, not "The author of"
    r"|related articles|more top reads|share this article|back to top|leave a (?:reply|comment)"
    r"|comments?$|read more$|tags?:)"
)
CLOSERS = "”’\"')]"
OPENERS = "“‘\"'(["
TERMINAL = re.compile(
    r"(?:(?<!\.)\.(?!\.)|[?!]+)["
    + re.escape(CLOSERS)
    + r"]*(?=\s+["
    + re.escape(OPENERS)
    + r"]?[A-Z0-9])"
)
ABBREVIATIONS = frozenset(
    "dr mr mrs ms st prof gen col lt sgt capt cmdr jr sr vs no nos mt ft inc ltd co corp gov "
    "sen rep rev hon pres jan feb mar apr aug sep sept oct nov dec approx fig vol pp".split()
)
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)*[A-Za-z]$")
# A photo caption's credit after its last sentence: "... in September 2021. AFP/Scanpix".
CREDIT = re.compile(r"(?<=[.?!])[”’\"')\]]?\s+(?:[A-Z][\w.&-]*(?:/[A-Z][\w.&-]*)*\s*){1,3}$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Block:
    """A span of the seed: text[start:end]."""

    start: int
    end: int


def paragraphs(text: str) -> list[Block]:
    """Body paragraphs in page order: prose lines up to the first trailer, pull quotes once."""
    return _without_pull_quotes(text, _body(text)[0])


def body_end(text: str) -> int:
    """Where the article ends on the page: what follows (author box, related links, share
    prompts) is furniture, never to be quoted."""
    return _body(text)[1]


def _body(text: str) -> tuple[list[Block], int]:
    """The prose lines up to the first trailer, and where that trailer starts."""
    kept: list[Block] = []
    for line in _lines(text):
        said = text[line.start : line.end]
        if kept and TRAILERS.match(said):
            return kept, line.start
        credit = CREDIT.search(said)
        if credit and not is_prose(said):  # a caption: its sentences, without the credit
            line = Block(line.start, line.start + credit.start())
            said = text[line.start : line.end]
        if is_prose(said):
            kept.append(line)
    return kept, len(text)


def sentences(text: str, block: Block) -> list[Block]:
    """Sentences of one paragraph, covering it whole; abbreviations and ellipses don't split."""
    body = text[block.start : block.end]
    cuts: list[int] = []
    for match in TERMINAL.finditer(body):
        if match.group().startswith(".") and _abbrev(body, match.start()):
            continue
        cuts.append(match.end())
    parts: list[Block] = []
    begin = 0
    for cut in [*cuts, len(body)]:
        piece = body[begin:cut]
        lead = len(piece) - len(piece.lstrip())
        start, end = begin + lead, begin + len(piece.rstrip())
        if end > start:
            if parts and not _WORD.search(body[start:end]):
                parts[-1] = Block(parts[-1].start, block.start + end)
            else:
                parts.append(Block(block.start + start, block.start + end))
        begin = cut
    return parts


def is_prose(line: str) -> bool:
    """A body line ends like a sentence and is longer than a heading or a caption."""
    core = line.rstrip().rstrip(CLOSERS)
    return bool(core) and core[-1] in ".?!" and len(_WORD.findall(line)) >= MIN_WORDS


def _lines(text: str) -> list[Block]:
    """Each non-blank line, trimmed of spaces and of a quotation mark opened at its very end."""
    blocks = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or _dangling_open(text, start, end)):
            end -= 1
        if end > start:
            blocks.append(Block(start, end))
    return blocks


def _dangling_open(text: str, start: int, end: int) -> bool:
    """A “ or ‘ that ends a line opens nothing on it (a scraper's leftover)."""
    return text[end - 1] in "“‘" and (end - 1 == start or text[end - 2].isspace())


def _abbrev(body: str, dot: int) -> bool:
    token = body[:dot].rsplit(None, 1)[-1].lstrip(OPENERS) if body[:dot].strip() else ""
    return token.lower() in ABBREVIATIONS or bool(_INITIALS.match(token))


def _without_pull_quotes(text: str, blocks: list[Block]) -> list[Block]:
    """Drop a paragraph the page repeats from a longer one (a pull quote), keeping one copy."""
    folded = [" ".join(_WORD.findall(fold(text[b.start : b.end]))) for b in blocks]
    kept = []
    for i, block in enumerate(blocks):
        mine = folded[i]
        repeated = len(mine.split()) <= PULL_QUOTE_MAX_WORDS and any(
            (len(other) > len(mine) or (other == mine and j < i))
            and (
                mine in other
                or fuzz.partial_ratio(mine, other, score_cutoff=PULL_QUOTE_SIMILARITY) > 0
            )
            for j, other in enumerate(folded)
            if j != i
        )
        if not repeated:
            kept.append(block)
    return kept
