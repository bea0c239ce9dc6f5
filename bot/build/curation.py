"""Read knowledge/*.toml and refuse, naming the entry, anything a curator got wrong.

Every curated statement rests on a verbatim quotation from a seed; a typo in a key, an alias
claimed by two actors, or a membership of an unknown actor fails the build loudly.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.build import segment
from bot.core.text import fold
from bot.models import Actor, Curation, Evidence, Occasion, Source

M = TypeVar("M", bound=BaseModel)


class CurationError(Exception):
    """A curated file is wrong; the message names the file, the entry and what to fix."""


def load(knowledge: Path, seeds: Path) -> Curation:
    """Validate sources.toml, actors.toml and occasions.toml (optional) against the models
    and the seed texts."""
    sources = [
        _entry(Source, raw, "sources.toml") for raw in _table(knowledge / "sources.toml", "source")
    ]
    actors = [
        _entry(Actor, raw, "actors.toml") for raw in _table(knowledge / "actors.toml", "actor")
    ]
    occasions_file = knowledge / "occasions.toml"
    occasions = (
        [_entry(Occasion, raw, "occasions.toml") for raw in _table(occasions_file, "occasion")]
        if occasions_file.exists()
        else []
    )
    texts = Seeds(seeds)
    _check_sources(sources, texts)
    _check_actors(actors, texts)
    _check_occasions(occasions, texts)
    actors = [_located(a, texts) for a in actors]
    return Curation(sources=sources, actors=actors, occasions=occasions)


def _located(actor: Actor, texts: Seeds) -> Actor:
    """The actor with each evidence's offset in its seed, so that evidence outside the body
    text (a byline, an author's bio) can be cited all the same."""
    located: list[Evidence] = []
    for ev in actor.evidence:
        text = texts.get(ev.seed) or ""
        at = text.find(ev.text)
        above = next((i for i, e in enumerate(located) if _stacked(text, e, at, ev)), None)
        if above is None:
            located.append(ev.model_copy(update={"start": at}))
            continue
        start = located[above].start or 0  # one line under another: a byline and its role
        end = max(start + len(located[above].text), at + len(ev.text))
        lo = min(start, at)
        located[above] = ev.model_copy(update={"start": lo, "text": text[lo:end]})
    return actor.model_copy(update={"evidence": located})


def _stacked(text: str, first: Evidence, at: int, ev: Evidence) -> bool:
    """Whether two evidence texts of one seed stand one just under the other, nothing but
    line breaks between them ("Flemming Splidsboel Hansen", then "Senior Researcher at ..."):
    the article prints them as one box, and one passage shows them so."""
    if first.seed != ev.seed or first.start is None or first.start < 0 or at < 0:
        return False
    a, b = sorted(((first.start, first.start + len(first.text)), (at, at + len(ev.text))))
    gap = text[a[1] : b[0]]
    lines = not any(t.rstrip().endswith(_SENTENCE_ENDS) for t in (first.text, ev.text))
    return lines and a[1] <= b[0] and "\n" in gap and not gap.strip()


_SENTENCE_ENDS = (".", "!", "?", "”", '"')  # a sentence of the body, not a byline's line


def _table(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CurationError(f"{path} is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise CurationError(f"{path.name}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {key})
    if unknown:
        raise CurationError(f"{path.name}: unknown table(s) {unknown}; expected [[{key}]]")
    entries = data.get(key, [])
    if not isinstance(entries, list):
        raise CurationError(f"{path.name}: [[{key}]] must be an array of tables")
    return entries


def _entry(model: type[M], raw: dict[str, Any], file: str) -> M:
    """One entry validated on its own, so the error names it by id."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(entry)'}: {err['msg']}"
            for err in exc.errors()
        )
        name = raw.get("id", "?")
        raise CurationError(f"{file}: entry {name}: {problems}") from None


class Seeds:
    """The seed files by name, each text read when evidence cites it (the last few kept):
    a library of thousands of articles is never in memory at once."""

    def __init__(self, seeds: Path) -> None:
        self.dir = seeds
        self.names = sorted(p.name for p in seeds.glob("*.txt"))
        self.known = frozenset(self.names)
        self.kept: dict[str, str] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.known

    def get(self, name: str) -> str | None:
        if name not in self.known:
            return None
        text = self.kept.get(name)
        if text is None:
            if len(self.kept) >= 64:
                self.kept.clear()
            text = self.kept[name] = (self.dir / name).read_text(encoding="utf-8")
        return text

    def texts(self) -> Iterator[str]:
        """Every seed's text, in file order, one at a time."""
        for name in self.names:
            text = self.get(name)
            assert text is not None
            yield text


def _check_sources(sources: list[Source], texts: Seeds) -> None:
    _unique((s.id for s in sources), "sources.toml", "source id")
    _unique((s.file for s in sources), "sources.toml", "file")
    for source in sources:
        if source.file not in texts:
            raise CurationError(f"sources.toml: entry {source.id}: no seed file {source.file}")
    missing = sorted(texts.known - {s.file for s in sources})
    if missing:
        raise CurationError(f"sources.toml has no entry for seed(s) {missing}: add one each")


def _check_actors(actors: list[Actor], texts: Seeds) -> None:
    _unique((a.id for a in actors), "actors.toml", "actor id")
    ids = {a.id for a in actors}
    owner: dict[str, str] = {}
    for actor in actors:
        for evidence in actor.evidence:
            _verbatim(actor.id, "evidence", evidence, texts)
            _before_the_trailer(actor.id, evidence, texts)
        for membership in actor.memberships:
            if membership.of not in ids:
                raise CurationError(
                    f"actors.toml: entry {actor.id}: membership of unknown actor {membership.of!r}"
                )
            _verbatim(actor.id, f"membership of {membership.of}", membership.evidence, texts)
        for alias in dict.fromkeys((actor.name, *actor.aliases)):
            key = fold(alias)
            other = owner.setdefault(key, actor.id)
            if other != actor.id:
                raise CurationError(
                    f"actors.toml: alias {alias!r} belongs to both {other} and {actor.id}; "
                    "an alias must name one actor"
                )


def _before_the_trailer(actor: str, evidence: Evidence, texts: Seeds) -> None:
    """Evidence after the article's body (an author box, related links) is page furniture,
    which SOURCES.md says is never quoted; a byline above the body may be."""
    text = texts.get(evidence.seed) or ""
    if text.find(evidence.text) >= segment.body_end(text):
        raise CurationError(
            f"actors.toml: entry {actor}: evidence {evidence.text[:60]!r} stands after the "
            f"article's body in {evidence.seed} (page furniture such as an author box); "
            "quote the article or its byline instead"
        )


def _check_occasions(occasions: list[Occasion], texts: Seeds) -> None:
    """Each occasion's evidence verbatim, and each name as an article writes it."""
    _unique((o.id for o in occasions), "occasions.toml", "occasion id")
    for occasion in occasions:
        for evidence in occasion.evidence:
            _verbatim(occasion.id, "evidence", evidence, texts, "occasions.toml")
    unseen = {(o.id, name): name for o in occasions for name in o.names}
    for text in texts.texts() if unseen else ():  # one pass, until every name is seen
        unseen = {key: name for key, name in unseen.items() if name not in text}
        if not unseen:
            break
    for entry, name in unseen:
        raise CurationError(f"occasions.toml: entry {entry}: no article names it {name!r}")


def _verbatim(
    entry: str, what: str, evidence: Evidence, texts: Seeds, file: str = "actors.toml"
) -> None:
    text = texts.get(evidence.seed)
    if text is None:
        raise CurationError(f"{file}: entry {entry}: {what} cites unknown seed {evidence.seed!r}")
    if evidence.text not in text:
        raise CurationError(
            f"{file}: entry {entry}: {what} is not verbatim in {evidence.seed}: {evidence.text!r}"
        )


def _unique(values: Iterable[str], file: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise CurationError(f"{file}: {what} {value!r} appears twice")
        seen.add(value)
