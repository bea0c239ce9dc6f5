"""Synthetic corpora of N articles made from the real ones in seeds/, for the growth benchmark.

Each synthetic article recombines real paragraphs (most of one article's, in order, plus a few
from another), renames the people in it to synthetic stand-ins and shifts its years, so the
text stays realistic prose and every answer stays checkable: the generator writes each
stand-in's actors.toml entry, with verbatim evidence from the new seed, and queries that must
find them. People grow like the square root of the corpus (new articles mostly name people
already known); the vocabulary barely grows at all, so every term's postings grow linearly:
the worst case for query latency.

    python -m benchmarks.generate 500 /tmp/c5-500
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.core.aliases import AliasMatcher, Hit
from bot.core.text import fold
from bot.models import Actor

ROOT = Path(__file__).resolve().parent.parent
CHECKS = "checks.jsonl"

_FIRST = (
    "Aibek Nurlan Dilnoza Farrukh Gulnara Ilhom Jamshid Kamila Lola Madina Nodir Oybek "
    "Rustam Saida Timur Umida Zarina Bakhyt Erlan Aizhan Daniyar Malika Sanjar Yerlan"
).split()
_HEAD = "Sar Bek Tur Kal Mur Ash Dau Yel Kor Nam Zhan Ors Tash Kum Bay Ak".split()
_MID = "y ba ri na mu ta le go di ze ka su pa lo vi ne".split()
_TAIL = "kov bekov yev ov enko uly shev ev".split()
_YEAR = re.compile(r"(?<![\w-])(19[5-9]\d|20[0-4]\d)(?![\w-])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_MIN_PARAGRAPH = 60
_TITLES = frozenset({"president", "prime", "minister", "general", "dr", "mr", "ms"})
_NEXT_WORD = re.compile(r"\s+([\w’'-]+)")


@dataclass(frozen=True)
class Person:
    """A synthetic stand-in for a real person, named so no alias clashes with another."""

    id: str
    first: str
    surname: str
    original: Actor

    @property
    def name(self) -> str:
        return f"{self.first} {self.surname}"


@dataclass(frozen=True)
class Paragraph:
    """A real paragraph with its alias hits found once, reused by every article that takes it."""

    text: str
    hits: tuple[Hit, ...]


@dataclass
class Article:
    file: str
    source_id: str
    title: str
    text: str
    published: date
    people: list[Person] = field(default_factory=list)


def real_articles(repo: Path = ROOT) -> list[Path]:
    """The real seeds every corpus starts with."""
    return sorted((repo / "seeds").glob("*.txt"))


REAL = len(real_articles())  # in this checkout's seeds/; a corpus holds these at least


@dataclass(frozen=True)
class Corpus:
    """What was written: the scratch root and what the checks will ask about."""

    root: Path
    articles: int
    people: int
    checks: int


def generate(out: Path, articles: int, *, repo: Path = ROOT, seed: int = 5) -> Corpus:
    """Write out/seeds and out/knowledge/*.toml for `articles` articles (the real ones first)."""
    real = real_articles(repo)
    if articles < len(real):
        raise ValueError(f"a corpus holds the {len(real)} real articles at least, not {articles}")
    curation = _curation(repo)
    actors = [Actor.model_validate(a) for a in curation["actor"]]
    matcher = AliasMatcher(actors)
    seeds = {p.name: p.read_text(encoding="utf-8") for p in real}
    titles = {str(s["file"]): str(s["title"]) for s in curation["source"]}
    bodies = {name: _paragraphs(text, matcher) for name, text in seeds.items()}
    dates = {str(s["file"]): s["date"] for s in curation["source"]}
    people = _people(actors, articles, {fold(a) for x in actors for a in (x.name, *x.aliases)})
    by_original: dict[str, list[Person]] = {}
    for person in people:
        by_original.setdefault(person.original.id, []).append(person)
    made = [
        _article(k, seed, sorted(seeds), titles, bodies, dates, by_original)
        for k in range(articles - len(real))
    ]
    return _write(out, real, repo, made)


def _curation(repo: Path) -> dict[str, list[dict[str, object]]]:
    sources = tomllib.loads((repo / "knowledge" / "sources.toml").read_text(encoding="utf-8"))
    actors = tomllib.loads((repo / "knowledge" / "actors.toml").read_text(encoding="utf-8"))
    return {"source": sources["source"], "actor": actors["actor"]}


def _paragraphs(text: str, matcher: AliasMatcher) -> list[Paragraph]:
    body = text.split("\n", 1)[1] if "\n" in text else ""
    chunks = [c.strip() for c in _PARAGRAPH_BREAK.split(body)]
    return [
        Paragraph(c, tuple(matcher.find(c)))
        for c in chunks
        if len(c) >= _MIN_PARAGRAPH and "\n" not in c
    ]


def _people(actors: Sequence[Actor], articles: int, taken: set[str]) -> list[Person]:
    """About 8·sqrt(N) stand-ins, spread over the real people in turn."""
    originals = [a for a in actors if a.kind == "person"]
    wanted = max(len(originals), round(8 * math.sqrt(articles)))
    surnames = (
        head + mid + tail
        for tail in _TAIL
        for mid in _MID
        for head in _HEAD
        if fold(head + mid + tail) not in taken
    )
    people = []
    for j, surname in zip(range(wanted), surnames, strict=False):
        original = originals[j % len(originals)]
        first = _FIRST[(j * 7) % len(_FIRST)]
        people.append(Person(f"syn_{original.id}_{j}", first, surname, original))
    return people


def _article(
    k: int,
    seed: int,
    files: Sequence[str],
    titles: dict[str, str],
    bodies: dict[str, list[Paragraph]],
    dates: dict[str, object],
    by_original: dict[str, list[Person]],
) -> Article:
    rng = random.Random(f"{seed}/{k}")
    primary = files[k % len(files)]
    other = rng.choice([f for f in files if f != primary])
    picked = [p for p in bodies[primary] if rng.random() < 0.75] or bodies[primary][:3]
    for p in rng.sample(bodies[other], min(rng.randint(1, 3), len(bodies[other]))):
        picked.insert(rng.randint(0, len(picked)), p)
    shift = rng.choice((-4, -3, -2, -1, 1, 2, 3))
    cast: dict[str, Person] = {}
    for p in picked:
        for hit in p.hits:
            if hit.actor in by_original and hit.actor not in cast and rng.random() < 0.6:
                cast[hit.actor] = rng.choice(by_original[hit.actor])
    text = "\n\n".join(_shift_years(_rename(p, cast), shift) for p in picked)
    published = dates[primary]
    assert isinstance(published, date), "sources.toml dates are TOML dates"
    return Article(
        file=f"syn{k:05d}.txt",
        source_id=f"synthetic-{k:05d}",
        title=f"{titles[primary]} ({k + 1})",
        text=f"{titles[primary]} ({k + 1})\n\n{text}\n",
        published=published.replace(year=published.year + shift, day=1),
        people=list(cast.values()),
    )


def _rename(paragraph: Paragraph, cast: dict[str, Person]) -> str:
    """Names become the stand-in's: 'President Xi Jinping' -> 'President Turykov', a full name
    to a full name, one word to the surname; descriptions such as 'the Kazakh leader' stay, as
    a writer would leave them."""
    text = paragraph.text
    for hit in reversed(paragraph.hits):
        person = cast.get(hit.actor)
        written = text[hit.start : hit.end]
        if person is None or not written[:1].isupper():
            continue
        end = hit.end
        own = {fold(w) for a in (person.original.name, *person.original.aliases) for w in a.split()}
        while (more := _NEXT_WORD.match(text, end)) and fold(more.group(1)) in own:
            end = more.end()
        first, *rest = written.split()
        if fold(first) in _TITLES and rest:
            new = f"{first} {person.surname}"
        else:
            new = person.name if rest else person.surname
        text = text[: hit.start] + new + text[end:]
    return text


def _shift_years(text: str, shift: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)


def _evidence(text: str, name: str) -> str | None:
    """A verbatim stretch of the seed around the name's first use, cut at word boundaries."""
    at = text.find(name)
    if at < 0:
        return None
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    start = max(line_start, at - 50)
    if start > line_start:
        start = text.find(" ", start, at) + 1 or at
    end = min(line_end, at + len(name) + 50)
    if end < line_end:
        end = text.rfind(" ", at + len(name), end) if " " in text[at + len(name) : end] else end
    return text[start:end].strip()


def _write(out: Path, real: Sequence[Path], repo: Path, made: Sequence[Article]) -> Corpus:
    if out.exists():
        shutil.rmtree(out)
    (out / "seeds").mkdir(parents=True)
    (out / "knowledge").mkdir()
    for seed in real:
        shutil.copy(seed, out / "seeds" / seed.name)
    for article in made:
        (out / "seeds" / article.file).write_text(article.text, encoding="utf-8")
    sources = (repo / "knowledge" / "sources.toml").read_text(encoding="utf-8")
    sources += "".join(_source_entry(a) for a in made)
    (out / "knowledge" / "sources.toml").write_text(sources, encoding="utf-8")
    entries, checks = [], []
    seen: set[str] = set()
    for article in made:
        for person in article.people:
            if person.id in seen:
                continue
            name = person.name if person.name in article.text else person.surname
            evidence = _evidence(article.text, name)
            if evidence is None:
                continue
            seen.add(person.id)
            entries.append(_actor_entry(person, article.file, evidence))
            checks.append({"query": f"/actor {person.name}", "kind": "actor", "actor": person.id})
            checks.append(
                {"query": f"who is {person.surname}", "kind": "actor", "actor": person.id}
            )
    actors = (repo / "knowledge" / "actors.toml").read_text(encoding="utf-8")
    (out / "knowledge" / "actors.toml").write_text(actors + "".join(entries), encoding="utf-8")
    (out / CHECKS).write_text("".join(json.dumps(c) + "\n" for c in checks), encoding="utf-8")
    return Corpus(out, len(real) + len(made), len(seen), len(checks))


def _source_entry(article: Article) -> str:
    return (
        "\n[[source]]\n"
        f"id = {_s(article.source_id)}\n"
        f"file = {_s(article.file)}\n"
        f"title = {_s(article.title)}\n"
        'outlet = "C5 synthetic"\n'
        'author = "benchmarks/generate.py"\n'
        f"date = {article.published.isoformat()}\n"
        'date_precision = "month"\n'
        f"url = {_s('https://example.org/c5-synthetic/' + article.source_id)}\n"
        "url_verified = false\n"
    )


def _actor_entry(person: Person, seed_file: str, evidence: str) -> str:
    role = f"{person.original.role} (synthetic stand-in for {person.original.name})"
    return (
        "\n[[actor]]\n"
        f"id = {_s(person.id)}\n"
        f"name = {_s(person.name)}\n"
        'kind = "person"\n'
        f"aliases = [{_s(person.name)}, {_s(person.surname)}]\n"
        f"role = {_s(role)}\n"
        f"evidence = [{{ seed = {_s(seed_file)}, text = {_s(evidence)} }}]\n"
    )


def _s(value: str) -> str:
    """A TOML basic string: JSON's escapes are valid TOML."""
    return json.dumps(value, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__)
    parser.add_argument("articles", type=int, help="articles in all, the real ones included")
    parser.add_argument("out", type=Path, help="scratch root to (re)write")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    corpus = generate(args.out, args.articles, seed=args.seed)
    print(
        f"wrote {corpus.root}: {corpus.articles} articles, {corpus.people} synthetic people, "
        f"{corpus.checks} checks"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
