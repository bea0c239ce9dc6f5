"""Block Kit for Slack: an Answer becomes pages of blocks plus a plain-text fallback.

Everything that came from a user or an article goes through `escape`, so `<!channel>` typed
into a query, or printed in an article, is shown and never acted on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, ValidationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core import messages
from bot.models import Actor, Answer, Cited, Source
from bot.render.text import VOICES, quoted, source_header

MESSAGE_BLOCKS = 50  # Slack's limit for one message
HOME_BLOCKS = 100  # Slack's limit for a Home tab view
HOME_SOURCES = 25  # sources listed on the Home tab; `/sources` pages through all of them
SECTION_CHARS = 3000
FIELD_CHARS = 2000  # Slack's limit for one field of a section
BUTTON_CHARS = 75
HEADER_CHARS = 150
VALUE_CHARS = 2000
PAGE_PASSAGES = 5  # a page a reader can take in at once
PAGE_CHARS = 6000  # quoted characters per page
FALLBACK_CHARS = 3000
SUGGESTIONS = 5

MORE = "c5_more"
SHARE = "c5_share"
SUGGEST = "c5_suggest"  # action ids are c5_suggest_0, c5_suggest_1, ...

KIND_TITLES = {
    "person": "People",
    "state": "States",
    "organisation": "Organisations",
    "group": "Groups",
    "outlet": "Outlets",
}
EXAMPLES = (
    ("/brief csto", "what the articles say about a topic"),
    ("/actor Tokayev", "who someone is, with their quotes"),
    ("/quote Tokayev", "verbatim quotes by a speaker or containing a phrase"),
    ("/timeline", "dated events, oldest first"),
    ("/sources", "the five articles, with outlet, date and link"),
    ("@C5 Brief brief me", "a short overview, in a thread or a DM"),
)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_WEB_URL = re.compile(r"^https?://[^\s/|<>]+", re.IGNORECASE)
_URL_BREAKS = re.compile(r"[\s|]")
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Message:
    """What every post needs: blocks for the client and `text` for notifications."""

    blocks: list[Block]
    text: str
    shown: tuple[str, ...] = ()  # keys of the passages on this page, for the query log


class Click(BaseModel):
    """A button's value: the query and page to show, re-run on click (answers are
    deterministic). `a` is the answer's own page (the core's, `Answer.page`), `p` the Slack
    page within it; a value written before answers were paged has no `a`: the first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str
    p: int = 0
    a: int = 0


def escape(text: str) -> str:
    """Text as Slack may show it: without invisible characters (controls other than line
    breaks and tabs, bidi overrides, zero-width characters) that could disguise what it says,
    from a query or from an article alike, and with the three characters Slack's mrkdwn treats
    as control characters escaped."""
    text = _visible(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _visible(text: str) -> str:
    """`text` without unicodedata's categories Cc (but newline and tab), Cf, Cs, Co and Cn."""
    if text.replace("\t", " ").replace("\n", " ").isprintable():  # the common case, in C
        return text
    return "".join(
        ch for ch in text if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    )


def click_value(query: str, page: int = 0, answer_page: int = 0) -> str:
    """A button value within Slack's 2,000 characters (JSON escaping can grow a query);
    `a` only when not the first answer page, so values stay as they were for one-page answers."""
    skip = None if answer_page else {"a"}
    value = Click(q=query, p=page, a=answer_page).model_dump_json(exclude=skip)
    while len(value) > VALUE_CHARS:
        query = query[: len(query) * 9 // 10]
        value = Click(q=query, p=page, a=answer_page).model_dump_json(exclude=skip)
    return value


def read_click(value: str) -> Click | None:
    """The Click a button carries, or None for a value this version did not write."""
    try:
        return Click.model_validate_json(value)
    except ValidationError:
        return None


# --- answers --------------------------------------------------------------------------------


def render(
    answer: Answer,
    *,
    page: int = 0,
    question: str | None = None,
    asked_by: str | None = None,
    restate: bool = False,
    shareable: bool = False,
    query: str | None = None,
    understood: str | None = None,
) -> Message:
    """One page of an answer. `restate` repeats the question for readers who did not see it;
    `understood` says how a follow-up was read with its thread ("Russia on: CSTO").

    `query` is what was sent to the core (`/brief csto`, where `answer.query` is only `csto`);
    buttons carry it, so More and Share re-run the same command.
    """
    asked = query if query is not None else answer.query
    shown = question if question is not None else asked
    pages = paginate(answer)
    page = max(0, min(page, len(pages) - 1))
    head = _head(answer, shown, asked_by, restate, understood)
    # "Not directly answered" says so before the nearest passages, not after them.
    graded = answer.kind == "not_found"
    body = [*(_notes(answer) if graded else []), *_first_page(answer)] if page == 0 else []
    passages: list[Block] = []
    for i, c in enumerate(pages[page]):
        if answer.kind == "compare" and (i == 0 or pages[page][i - 1].source != c.source):
            passages += _sections([f"*{escape(source_header(c))}*"])
        passages += _passage(c)
    tail = [*_related(answer), *([] if graded else _notes(answer))] if page == 0 else []
    footer = _footer(answer, asked, page, pages, shareable)
    blocks = [*head, *body, *passages, *tail, *footer]
    text = _fallback(answer, pages[page], shown, restate)
    if understood:
        text = f"Read as: {escape(_short(understood, 300))}\n{text}"
    return Message(blocks=blocks, text=text, shown=tuple(c.key() for c in pages[page]))


def paginate(answer: Answer) -> list[list[Cited]]:
    """Split passages into pages that fit Slack's block limit; a passage is never cut across pages.

    Deterministic, so a button only needs to carry the query and a page number. Page 0 also
    carries the profile, sources, help, related actors and notes, so it has less room.
    """
    frame = len(_head(answer, answer.query, None, True)) + len(_footer_max())
    budgets = (
        MESSAGE_BLOCKS
        - frame
        - len(_first_page(answer))
        - len(_related(answer))
        - len(_notes(answer)),
        MESSAGE_BLOCKS - frame,
    )
    pages: list[list[Cited]] = [[]]
    blocks = chars = 0
    for cited in answer.passages:
        cost = len(_passage(cited)) + (answer.kind == "compare")  # its source's heading
        budget = budgets[0] if len(pages) == 1 else budgets[1]
        current = pages[-1]
        full = bool(current) and (
            len(current) >= PAGE_PASSAGES
            or blocks + cost > budget
            or chars + len(cited.text) > PAGE_CHARS
        )
        if full or (not current and len(pages) == 1 and cost > budget):
            pages.append([])
            blocks = chars = 0
        pages[-1].append(cited)
        blocks += cost
        chars += len(cited.text)
    return pages


def _head(
    answer: Answer,
    question: str,
    asked_by: str | None,
    restate: bool,
    understood: str | None = None,
) -> list[Block]:
    heading = escape(answer.heading.strip()) or "C5 Brief"
    blocks: list[Block] = (
        [HeaderBlock(text=PlainTextObject(text=heading))]
        if len(heading) <= HEADER_CHARS
        else _sections([f"*{heading}*"])
    )
    bits = []
    if restate:
        who = f"<@{asked_by}>" if asked_by and _USER_ID.match(asked_by) else "You"
        bits.append(f"{who} asked: `{escape(_short(question, 500))}`")
    if understood:  # in the same context block as the restatement: no extra block to page
        bits.append(f"Read as: *{escape(_short(understood, 300))}*")
    if answer.age:
        bits.append(escape(answer.age))
    if bits:
        blocks.append(_context(" · ".join(bits)))
    if answer.bottom_line:
        blocks += _sections([f"*{escape(answer.bottom_line)}*"])
    return blocks


def _first_page(answer: Answer) -> list[Block]:
    """What only the first page shows: the profile, source list or help before the passages."""
    blocks: list[Block] = _contrast(answer.contrast)
    if answer.profile is not None:
        profile = answer.profile
        lines = [f"*Role:* {escape(profile.role)}"]
        if profile.memberships:
            lines.append("*Memberships:* " + escape(", ".join(profile.memberships)))
        if profile.mentions:
            counts = ", ".join(f"_{escape(m.title)}_ ({m.count})" for m in profile.mentions)
            more = messages.more_sources(profile.unlisted_sources)
            lines.append(f"*Mentioned in:* {counts}{more}")
        lines.append(f"*Quotes:* {profile.quotes_count}")
        blocks += _sections(lines)
        evidence = profile.role_evidence
        if evidence is not None and all(c.text != evidence.text for c in answer.passages):
            blocks += _passage(evidence)
    if answer.sources:
        blocks += _sections(
            [
                _source_line(
                    s.title, s.url, s.url_verified, s.outlet, s.date, s.author, s.date_note
                )
                for s in answer.sources
            ]
        )
    if answer.help:
        blocks += _sections(
            [f"`{escape(h.example)}` — {escape(h.description)}" for h in answer.help]
        )
    return blocks


def _related(answer: Answer) -> list[Block]:
    if not answer.related:
        return []
    return _sections(["*Related:* " + ", ".join(escape(r.name) for r in answer.related)])


def _notes(answer: Answer) -> list[Block]:
    return _sections([f"_{escape(n)}_" for n in answer.notes]) if answer.notes else []


def _footer_max() -> list[Block]:
    return [ContextBlock(elements=[]), ActionsBlock(elements=[])]


def _footer(
    answer: Answer, asked: str, page: int, pages: list[list[Cited]], shareable: bool
) -> list[Block]:
    """Where this page stands, then More, Share and the suggestions. An answer longer than
    the core's page (`answer.page.next`) goes on with the core's next page after the last
    Slack page of this one."""
    blocks: list[Block] = []
    at = answer.page
    more: str | None = None
    if page + 1 < len(pages):
        more = click_value(asked, page + 1, at.number)
    elif at.next is not None:
        more = click_value(asked, 0, at.next)
    if at.paged(answer.items()):  # one of the core's pages: count over the whole answer
        first = at.start + sum(len(p) for p in pages[:page]) + 1
        shown = len(pages[page]) if answer.passages else answer.items()
        blocks.append(_context(messages.showing(first, first + shown - 1, at.total)))
    elif len(pages) > 1:
        total = len(answer.passages)
        blocks.append(_context(f"Page {page + 1} of {len(pages)} · {total} passages"))
    buttons: list[ButtonElement] = []
    if more is not None:
        buttons.append(_button("More", MORE, more, primary=True))
    if shareable:
        buttons.append(_button("Share in channel", SHARE, click_value(asked, page, at.number)))
    for i, suggestion in enumerate(answer.suggestions[:SUGGESTIONS]):
        query = suggestion_query(asked, suggestion)
        buttons.append(_button(f"Did you mean {suggestion}?", f"{SUGGEST}_{i}", click_value(query)))
    if buttons:
        blocks.append(ActionsBlock(elements=buttons))
    return blocks


def suggestion_query(query: str, suggestion: str) -> str:
    """The query a "Did you mean" button runs: the suggestion under the original command."""
    if suggestion.startswith("/") or suggestion == "help":
        return suggestion
    command = query.split(maxsplit=1)[0] if query.startswith("/") else ""
    return f"{command} {suggestion}".strip()


def _contrast(pair: list[Cited]) -> list[Block]:
    """Two sources that lean opposite ways, side by side: a section of two fields, each the
    matched sentence verbatim under its source, with the link."""
    texts = [
        f"*{escape(source_header(c))}*\n{_quote(c.focus())}\n"
        + _link(c.url, c.url_verified, c.outlet or c.title)
        for c in pair
    ]
    if len(texts) != 2 or any(len(t) > FIELD_CHARS for t in texts):
        return []  # a quotation is never cut; the passages below still show both
    fields = [MarkdownTextObject(text=t, verbatim=True) for t in texts]
    return [*_sections([f"*{messages.CONTRAST_HEADING}*"]), SectionBlock(fields=fields)]


def _passage(cited: Cited) -> list[Block]:
    """A verbatim passage as a block quote, split across sections (never cut) when long."""
    prefix = f"*{escape(cited.event_date)}*\n" if cited.event_date else ""
    chunks = _chunks(cited.text, SECTION_CHARS - len(prefix) - 10)
    if len(chunks) == 1:
        chunks = [_marked(cited)]
    # verbatim: Slack shows article text as written, never auto-linking "Oilprice.com" in it.
    sections: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text=(prefix if i == 0 else "") + _quote(chunk), verbatim=True)
        )
        for i, chunk in enumerate(chunks)
    ]
    return [*sections, _context(attribution(cited), verbatim=True)]


def attribution(cited: Cited) -> str:
    """Who said it, where and when, and the link (flagged when the link is unverified)."""
    parts = []
    if cited.speaker:
        parts.append(f"*{escape(cited.speaker)}*" + VOICES.get(cited.voice or "", ""))
    if cited.said_date:
        parts.append(f"said {escape(cited.said_date)}")
    parts += [f"_{escape(cited.title)}_", escape(cited.outlet), escape(cited.date)]
    label = cited.outlet or cited.title
    return "— " + ", ".join(parts) + " · " + _link(cited.url, cited.url_verified, label)


def _link(url: str | None, verified: bool, label: str) -> str:
    """A Slack link to an http(s) URL, labelled with what it opens (the outlet or title), so a
    screen reader announces more than "link"; spaces and `|` are percent-encoded so it holds."""
    if not url or not _WEB_URL.match(url):
        return "(no link)"
    safe = _URL_BREAKS.sub(lambda m: quote(m.group()), escape(url))
    shown = " ".join(escape(label).replace("|", " ").split()) or "source"
    return f"<{safe}|{shown}>" + ("" if verified else " (link unverified)")


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in escape(text).split("\n"))


def _marked(cited: Cited) -> str:
    """The passage, its matched sentence in bold when context around it is shown. Bold is a
    mark Slack adds, not text: the words stay the article's; a sentence holding a mark
    character or a line break is left plain."""
    if cited.focus_start is None or cited.focus_end is None:
        return cited.text
    a, b = cited.focus_start - cited.start, cited.focus_end - cited.start
    focus = cited.text[a:b]
    if any(ch in focus for ch in "*_~`\n"):
        return cited.text
    return f"{cited.text[:a]}*{focus}*{cited.text[b:]}"


def _chunks(text: str, limit: int) -> list[str]:
    """Split text at whitespace so each quoted, escaped piece fits `limit` characters."""
    chunks: list[str] = []
    current, size = "", 0
    for token in re.split(r"(\s+)", text.strip()):
        while token:
            cost = len(escape(token)) + 2 * token.count("\n")
            if size + cost <= limit:
                current, size = current + token, size + cost
                token = ""
            elif current.strip():
                chunks.append(current.strip())
                current, size = "", 0
                token = token if token.strip() else ""
            else:  # one word longer than a section: split the word itself
                cut = max(1, limit // 5)
                chunks.append(token[:cut])
                token = token[cut:]
    if current.strip() or not chunks:
        chunks.append(current.strip())
    return chunks


def _fallback(answer: Answer, passages: list[Cited], question: str, restate: bool) -> str:
    """Plain text for notifications and screen readers: whole passages only, never half a quote."""
    lines = [escape(answer.heading.strip() or "C5 Brief")]
    if restate:
        lines.append(f"Asked: {escape(_short(question, 500))}")
    size = sum(len(line) for line in lines)
    for n, cited in enumerate(passages):
        line = f"{quoted(escape(cited.text))} — {escape(cited.title)}"
        if size + len(line) > FALLBACK_CHARS:
            lines.append(f"… and {len(passages) - n} more passages in the message.")
            break
        lines.append(line)
        size += len(line)
    if not passages and answer.notes:
        lines.append(escape(answer.notes[0]))
    return "\n".join(lines)


# --- App Home -------------------------------------------------------------------------------


def render_home(sources: Sequence[Source], actors: Sequence[Actor]) -> list[Block]:
    """The Home tab: what the bot knows (sources, actors by kind) and how to ask."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text="C5 Brief")),
        SectionBlock(
            text=MarkdownTextObject(
                text="Verifiable briefings on Central Asia's security architecture. Every answer "
                "quotes the articles below word for word and links to its source."
            )
        ),
        DividerBlock(),
        HeaderBlock(text=PlainTextObject(text=f"Sources ({len(sources)})")),
    ]
    lines = [
        _source_line(s.title, s.url, s.url_verified, s.outlet, _date(s), s.author, None)
        for s in islice(sources, HOME_SOURCES)
    ]
    if len(sources) > HOME_SOURCES:  # a large library: the rest would push out the actors
        lines.append(messages.home_more_sources(len(sources) - HOME_SOURCES))
    blocks += _sections(lines)
    blocks += [DividerBlock(), HeaderBlock(text=PlainTextObject(text=f"Actors ({len(actors)})"))]
    for kind, title in KIND_TITLES.items():
        names = sorted(escape(a.name) for a in actors if a.kind == kind)
        if names:
            blocks += _sections([f"*{title}* ({len(names)}): " + ", ".join(names)])
    blocks += [DividerBlock(), HeaderBlock(text=PlainTextObject(text="Try"))]
    blocks += _sections([f"`{escape(cmd)}` — {what}" for cmd, what in EXAMPLES])
    return blocks[:HOME_BLOCKS]


def _date(source: Source) -> str:
    d = source.date
    if source.date_precision == "year":
        return str(d.year)
    if source.date_precision == "month":
        return f"{_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _source_line(
    title: str,
    url: str,
    verified: bool,
    outlet: str,
    date: str,
    author: str,
    note: str | None,
) -> str:
    line = f"*{escape(title)}*\n{escape(outlet)} · {escape(date)} · {escape(author)} · "
    line += _link(url, verified, outlet or title)
    return line + (f"\n_{escape(note)}_" if note else "")


# --- errors ---------------------------------------------------------------------------------

APOLOGY = "Sorry, something went wrong on our side and this question was not answered."
PLAIN_NOTE = "Slack could not show this answer's formatting, so here it is as plain text."
UNREACHABLE = "I could not answer in {where}: Slack says `{code}`."
UNREACHABLE_FIX = "Invite me there with `/invite @C5 Brief`, or ask me here."
STALE = "This button no longer works. Please ask again."
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")


def render_apology(ref: str) -> Message:
    """What a user sees when a request failed on our side: the reference the log holds."""
    text = f"{APOLOGY} Reference: `{escape(ref)}`"
    return _one_section(text)


def render_plain(message: Message) -> Message:
    """The same answer without blocks, for when Slack refuses them."""
    return Message(blocks=[], text=f"{message.text}\n\n_{PLAIN_NOTE}_")


def render_unreachable(channel: str, code: str) -> Message:
    """A note in the user's DM when Slack will not let us post where they asked."""
    where = f"<#{channel}>" if _CHANNEL_ID.match(channel) else escape(channel)
    text = UNREACHABLE.format(where=where, code=escape(code))
    if code in ("not_in_channel", "channel_not_found"):
        text += " " + UNREACHABLE_FIX
    return _one_section(text)


def render_stale() -> Message:
    return _one_section(STALE)


def _one_section(text: str) -> Message:
    return Message(blocks=[SectionBlock(text=MarkdownTextObject(text=text))], text=text)


# --- small pieces ---------------------------------------------------------------------------


def _sections(lines: Iterable[str]) -> list[Block]:
    """Pack mrkdwn lines into as few sections as fit Slack's 3,000-character limit."""
    texts: list[str] = []
    for line in lines:
        for piece in _chunks_plain(line):
            if texts and len(texts[-1]) + 1 + len(piece) <= SECTION_CHARS:
                texts[-1] += "\n" + piece
            else:
                texts.append(piece)
    return [SectionBlock(text=MarkdownTextObject(text=t)) for t in texts]


def _chunks_plain(line: str) -> list[str]:
    """An already-escaped line cut at spaces into section-sized pieces (rarely needed)."""
    if len(line) <= SECTION_CHARS:
        return [line]
    pieces, current = [], ""
    for word in line.split(" "):
        while len(word) > SECTION_CHARS:
            pieces.append(word[:SECTION_CHARS])
            word = word[SECTION_CHARS:]
        if current and len(current) + 1 + len(word) > SECTION_CHARS:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*pieces, current] if current else pieces


def _context(text: str, verbatim: bool = False) -> ContextBlock:
    """`verbatim` where the text names outlets or other words Slack would turn into links."""
    return ContextBlock(
        elements=[
            MarkdownTextObject(
                text=_short(text, SECTION_CHARS), verbatim=True if verbatim else None
            )
        ]
    )


def _button(label: str, action_id: str, value: str, primary: bool = False) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=_escaped_label(label, BUTTON_CHARS)),
        action_id=action_id,
        value=value,
        style="primary" if primary else None,
    )


def _escaped_label(text: str, limit: int) -> str:
    """Escape a label and shorten it to `limit` characters without splitting an entity."""
    out = ""
    for ch in text:
        piece = escape(ch)
        if len(out) + len(piece) > limit - 1:
            return out + "…"
        out += piece
    return out


def _short(text: str, limit: int) -> str:
    """Shorten a label (never a quote) to `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
