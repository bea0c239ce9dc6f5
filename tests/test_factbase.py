"""The built fact base: verbatim, furniture-free, deterministic, and refused when it's wrong."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bot.build import curation, dates, digest, segment
from bot.build.curation import CurationError
from bot.build.pipeline import build, serialise
from bot.cli.build import run_build
from bot.core.backref import refers_back
from bot.core.knowledge import FactBaseError, load
from bot.models import SCHEMA_VERSION, Event, Evidence, FactBase, Occasion, Quote, Sentence

ROOT = Path(__file__).resolve().parent.parent
FACTBASE = ROOT / "knowledge" / "factbase.json"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
RunCli = Callable[..., subprocess.CompletedProcess[str]]

# --- the seeds are the shared ones --------------------------------------------------------


@pytest.mark.skipif(
    not SHARED_SEEDS.is_dir(), reason=f"{SHARED_SEEDS} is absent (CI keeps ../shared beside)"
)
def test_seeds_are_byte_identical_to_shared(seed_texts: dict[str, str]) -> None:
    shared = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    assert sorted(seed_texts) == shared
    for name in shared:
        assert (ROOT / "seeds" / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def test_every_seed_has_a_source(fb: FactBase, seed_texts: dict[str, str]) -> None:
    assert sorted(s.file for s in fb.sources) == sorted(seed_texts)


# --- every span is a verbatim slice of its seed --------------------------------------------


@pytest.mark.parametrize("table", ["paragraphs", "sentences", "quotes"])
def test_spans_are_verbatim_seed_slices(
    fb: FactBase, seed_texts: dict[str, str], table: str
) -> None:
    spans = getattr(fb, table)
    assert spans, f"no {table} at all"
    for span in spans:
        assert seed_texts[span.source][span.start : span.end] == span.text, (table, span.id)
        assert span.text == span.text.strip(), (table, span.id)


def test_actor_evidence_is_verbatim_and_a_byline_box_is_one_passage(
    fb: FactBase, seed_texts: dict[str, str]
) -> None:
    """Each actor's located evidence is a verbatim slice; a byline and the role line printed
    just under it are one piece of evidence (who wrote it and what they do, as one box)."""
    for actor in fb.actors:
        for ev in actor.evidence:
            assert ev.start is not None and ev.start >= 0, (actor.id, ev.text)
            assert seed_texts[ev.seed][ev.start : ev.start + len(ev.text)] == ev.text, actor.id
    hansen = next(a for a in fb.actors if a.id == "hansen")
    box = hansen.evidence[0].text
    assert box.startswith("Flemming Splidsboel Hansen\n") and box.endswith("Studies")


def test_mentions_point_at_an_alias_of_their_actor(
    fb: FactBase, seed_texts: dict[str, str]
) -> None:
    from bot.core.text import fold

    aliases = {a.id: {fold(x) for x in (a.name, *a.aliases)} for a in fb.actors}
    for m in fb.mentions:
        said = seed_texts[m.source][m.start : m.end]
        assert fold(said) in aliases[m.actor], (m, said)
        sentence = fb.sentences[m.sentence]
        assert sentence.source == m.source
        assert sentence.start <= m.start and m.end <= sentence.end


def test_sentences_lie_inside_their_paragraph(fb: FactBase) -> None:
    for s in fb.sentences:
        p = fb.paragraphs[s.paragraph]
        assert p.source == s.source and p.start <= s.start and s.end <= p.end, s.id


def test_quotes_start_inside_their_sentence(fb: FactBase) -> None:
    for q in fb.quotes:
        s = fb.sentences[q.sentence]
        assert s.source == q.source and s.start <= q.start < s.end, q.id


# --- furniture never becomes a passage ----------------------------------------------------

FURNITURE = [
    "Subscribe",
    "Share This Article",
    "Translate",
    "Skip navigation",
    "Back to top",
    "Related articles",
    "Related Articles",
    "migores1",
    "More top reads",
    "Want to read more",
    "Already a subscriber",
    "Home »",
    # unrelated headlines at the foot of The Diplomat's page
    "Usmanov",
    "Laid-off Oil Workers",
    "Overnight Protest",
    # author box after The Diplomat's paywall
    "independent researcher from Tajikistan",
]


@pytest.mark.parametrize("furniture", FURNITURE)
def test_no_furniture_in_any_span(fb: FactBase, furniture: str) -> None:
    for span in [*fb.paragraphs, *fb.sentences, *fb.quotes]:
        assert furniture not in span.text, (span.source, span.start)


def test_furniture_really_is_in_the_seeds(seed_texts: dict[str, str]) -> None:
    """Guards the test above against checking for strings no seed holds."""
    everything = "\n".join(seed_texts.values())
    missing = [f for f in FURNITURE if f not in everything]
    assert missing == []


def test_body_prose_that_opens_like_furniture_is_kept() -> None:
    """Only a heading or a bio ends the body: "The author of the plan, ..." is prose."""
    text = (
        "Kazakhstan proposed a new security system for the region today.\n\n"
        "The author of the plan, Tokayev, said it would work well in the region.\n\n"
        "Subscribers to the theory say it will change the balance of power soon.\n\n"
        "The author is a senior fellow at the Institute for Security Studies.\n\n"
        "Subscribe\n\n"
        "A line after the bio that belongs to the page, not to the article.\n"
    )
    kept = [text[b.start : b.end] for b in segment.paragraphs(text)]
    assert [k.split()[1] for k in kept] == ["proposed", "author", "to"]


def test_caption_is_kept_without_its_photo_credit() -> None:
    """A caption states facts (who, where, when); its credit is page furniture."""
    text = (
        "Troops take part in a joint exercise near the border, in September 2021. AFP/Scanpix\n\n"
        "Leaders of the five states met in the capital to talk about security.\n"
    )
    kept = [text[b.start : b.end] for b in segment.paragraphs(text)]
    assert kept[0].endswith("in September 2021.")
    assert len(kept) == 2 and "AFP" not in "".join(kept)


# --- pull quotes are kept once ------------------------------------------------------------

PULL_QUOTES = [
    ("003", "gravitational pull has recently drawn all the Central Asia"),
    ("003", "painfully clear that it still sees the sovereignty of these states"),
    (
        "001",
        "ew security architecture proposed by Kazakhstan shows that Central Asia would like to "
        "stay neutral",
    ),
]


@pytest.mark.parametrize(("prefix", "fragment"), PULL_QUOTES)
def test_pull_quote_kept_once(
    fb: FactBase,
    seed_texts: dict[str, str],
    seed_file: Callable[[str], str],
    prefix: str,
    fragment: str,
) -> None:
    source = seed_file(prefix)
    assert seed_texts[source].count(fragment) == 2, "the seed repeats it as a pull quote"
    holders = [s for s in fb.sentences if s.source == source and fragment in s.text]
    assert len(holders) == 1


# --- sentence splitting ---------------------------------------------------------------------

# Pairs of fragments that must sit in one sentence: abbreviations, quotes, ellipsis.
SAME_SENTENCE = [
    ("002", "Due to the dependence of the CSTO members", "at the U.N. General Assembly."),
    ("001", "they have not taken sides in the Ukraine war", "2022 St. Petersburg Economic Forum."),
    ("004", "Russian President Vladimir Putin (left)", "St. Petersburg International Economic"),
    ("004", "a highly experienced diplomat", "colleagues at the … Russian Foreign Ministry.”"),
    ("002", "continue to engage the U.S. to achieve", "relationships with China and Russia."),
    ("003", "“Look carefully at what is happening", "said Keosayan, “if you think"),
    ("001", "the Chinese leader said", "“Cold War mentality.”"),
]


@pytest.mark.parametrize(("prefix", "first", "second"), SAME_SENTENCE)
def test_fragments_share_a_sentence(
    sentence_with: Callable[[str, str], Sentence], prefix: str, first: str, second: str
) -> None:
    assert sentence_with(prefix, first).id == sentence_with(prefix, second).id


# A quotation that ends a sentence ends it: the next sentence starts after the closing mark.
SENTENCE_BOUNDARIES = [
    ("001", "measures to prevent them.”", "He added: “As a responsible participant"),
    ("001", "indivisible security in Eurasia.”", "He said that Russia was ready"),
    ("001", "He said that Russia was ready", "At the Shanghai Cooperation Organization Summit"),
    ("004", "have not been resolved,” he said.", "“In other words, the Kremlin"),
    ("003", "the CSTO on the belief", "All four states, though, are members"),
]


@pytest.mark.parametrize(("prefix", "ends", "starts"), SENTENCE_BOUNDARIES)
def test_sentence_ends_after_a_closing_quote(
    sentence_with: Callable[[str, str], Sentence], prefix: str, ends: str, starts: str
) -> None:
    before, after = sentence_with(prefix, ends), sentence_with(prefix, starts)
    assert before.id < after.id
    if before.paragraph == after.paragraph:
        assert after.id == before.id + 1, "nothing between: the quote closed the sentence"
        assert after.text.startswith(starts)


@pytest.mark.parametrize(
    ("paragraph", "count"),
    [
        ("Dr. Abdel Aziz Aluwaisheg wrote it. He is a columnist.", 2),
        ("The U.S. and the U.N. General Assembly met. Then they left.", 2),
        ("He spoke at St. Petersburg in June. Nobody listened.", 2),
        ("She said “it is over.” Then she left.", 2),
        ("Colleagues at the … Russian Foreign Ministry were cited. Fine.", 2),
        ("Wait... Nothing happened. Later it did!", 2),
        ("One sentence only, about the CSTO", 1),
    ],
)
def test_sentence_splitter_on_tricky_text(paragraph: str, count: int) -> None:
    parts = segment.sentences(paragraph, segment.Block(0, len(paragraph)))
    assert len(parts) == count, [paragraph[b.start : b.end] for b in parts]
    assert "".join(paragraph[b.start : b.end] for b in parts).replace(" ", "") == (
        paragraph.replace(" ", "")
    )


# --- body text is all there ---------------------------------------------------------------

BODY = [
    ("000", "Kazakhstan’s President Kassym-Jomart Tokayev proposed the creation"),
    ("000", "Thus, since the necessary conditions for creating a defense alliance"),
    ("001", "Azerbaijan, although not part of Central Asia, has also supported the proposal"),
    ("001", "In March, the GCC released its first regional security vision"),
    ("002", "The Collective Security Treaty Organization (CSTO) is a regional military alliance"),
    ("002", "and lack of common vision toward security"),
    ("003", "Military dependence is also seen clearly in Tajikistan"),
    ("003", "all because of Russia’s invasion of Ukraine."),
    ("004", "His call last week for closer defense cooperation"),
    ("004", "That’s about as far as any Uzbek official will go"),
    # ends in a stray “ that the scraper left: the paragraph is kept, the mark is not
    ("004", "In an August 14 article on the subject, former Uzbek Foreign Minister"),
    ("004", "“In Kazakhstan, (Baku’s interest) is more energy and logistics,”"),
]


@pytest.mark.parametrize(("prefix", "fragment"), BODY)
def test_body_paragraph_is_kept(
    sentence_with: Callable[[str, str], Sentence], prefix: str, fragment: str
) -> None:
    assert sentence_with(prefix, fragment).text


# --- events ---------------------------------------------------------------------------------

EVENTS = [
    (
        "002",
        "morphed into the Collective Security Treaty Organization in 2002",
        "2002-01-01",
        "year",
    ),
    ("002", "the formation of the CSTO in 2002", "2002-01-01", "year"),
    ("002", "Since February 24, 2022, the date Russia invaded Ukraine", "2022-02-24", "day"),
    ("002", "In September 2022, Azerbaijan launched attacks", "2022-09-01", "month"),
    ("002", "Since 1994, the conflict has mostly remained frozen", "1994-01-01", "year"),
    ("002", "following the Taliban’s August 2021 return to power", "2021-08-01", "month"),
    ("002", "upcoming China-Central Asia summit in May", "2023-05-01", "month"),
    ("001", "gained political independence in 1991", "1991-01-01", "year"),
    ("001", "In February, Putin launched the proposed Eurasian security", "2024-02-01", "month"),
    ("001", "In 2023, China became Central Asia’s top trade partner", "2023-01-01", "year"),
    ("003", "in Kazakhstan in January 2022, when Russian-led troops", "2022-01-01", "month"),
    ("004", "in Astana on August 9", "2024-08-09", "day"),
    ("004", "in Astana on August 8", "2024-08-08", "day"),
    ("004", "In his August 12 column", "2024-08-12", "day"),
    ("004", "Economic Forum in June 2022", "2022-06-01", "month"),
    ("004", "five-nation summits now appearing for the first time in 2018", "2018-01-01", "year"),
    ("004", "Birlestik-2024 military exercises", "2024-07-01", "month"),
    ("004", "In an August 14 article on the subject", "2024-08-14", "day"),
]


@pytest.mark.parametrize(("prefix", "fragment", "iso", "precision"), EVENTS)
def test_event_dates(
    event_with: Callable[[str, str], Event | None],
    prefix: str,
    fragment: str,
    iso: str,
    precision: str,
) -> None:
    event = event_with(prefix, fragment)
    assert event is not None, "no event for this sentence"
    assert (event.date, event.precision) == (iso, precision)


@pytest.mark.parametrize(
    ("sentence", "iso", "precision"),
    [
        ("Talks began in Sept 2022 in Astana.", "2022-09-01", "month"),
        ("They met on Dec. 5, 2021 in Dushanbe.", "2021-12-05", "day"),
        ("The exercise ran from Jan 2022 onwards.", "2022-01-01", "month"),
        ("The treaty was signed in May.", "2024-05-01", "month"),
    ],
)
def test_abbreviated_months_keep_their_precision(sentence: str, iso: str, precision: str) -> None:
    found = dates.find(sentence, date(2024, 8, 15))
    assert found is not None and (found.date.isoformat(), found.precision) == (iso, precision)


@pytest.mark.parametrize(
    ("prefix", "fragment"),
    [
        ("001", "Kassym-Jomart Tokayev last week called for increased defense cooperation"),
        ("001", "In an op-ed published last week, Tokayev"),
        ("004", "His call last week for closer defense cooperation"),
    ],
)
def test_last_week_resolves_to_august_2024(
    event_with: Callable[[str, str], Event | None], prefix: str, fragment: str
) -> None:
    event = event_with(prefix, fragment)
    assert event is not None and event.date is not None
    assert event.relative
    assert event.date.startswith("2024-08")


def test_events_name_the_actors_of_their_sentence(
    fb: FactBase, event_with: Callable[[str, str], Event | None]
) -> None:
    event = event_with("002", "In September 2022, Azerbaijan launched attacks")
    assert event is not None
    assert {"azerbaijan", "armenia"} <= set(event.actors)


# --- the build report -----------------------------------------------------------------------


def test_report_counts_are_consistent(fb: FactBase) -> None:
    c = fb.report.counts
    speech = [q for q in fb.quotes if q.speech]
    assert c["quotes_with_speaker"] + c["quotes_without_speaker"] == c["quotes"] == len(speech)
    assert c["quotes"] + c["phrases"] == len(fb.quotes)
    assert c["mentions"] == len(fb.mentions)
    assert c["sentences"] == len(fb.sentences)
    assert c["passages"] == len(fb.paragraphs)
    assert c["events"] == len(fb.events)
    assert c["events_resolved"] == sum(1 for e in fb.events if e.date)
    assert c["actors"] == len(fb.actors)
    assert c["sources"] == len(fb.sources) == 5
    assert c["actors_mentioned"] == len({m.actor for m in fb.mentions})
    assert len(fb.report.quotes_without_speaker) == c["quotes_without_speaker"]


def test_phrases_have_no_speaker(fb: FactBase) -> None:
    ids = {a.id for a in fb.actors}
    for q in fb.quotes:
        if not q.speech:
            assert q.speaker is None, q.text
        elif q.speaker is not None:
            assert q.speaker in ids


# --- determinism and staleness --------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_bytes() -> bytes:
    return serialise(build(ROOT))


def test_build_is_deterministic(fresh_bytes: bytes) -> None:
    assert serialise(build(ROOT)) == fresh_bytes


def test_committed_factbase_is_fresh(fresh_bytes: bytes) -> None:
    assert FACTBASE.read_bytes() == fresh_bytes, "run `python -m bot build` and commit"


def test_build_check_cli_passes_on_the_repo(run_cli: RunCli) -> None:
    done = run_cli("build", "--check")
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_run_build_check_fresh_copy(repo_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "factbase.json"
    shutil.copy(FACTBASE, target)
    assert run_build(repo_copy, target, check=True) == 0
    assert target.read_bytes() == FACTBASE.read_bytes()


def test_run_build_check_detects_stale(
    repo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    actors = repo_copy / "knowledge" / "actors.toml"
    old = 'role = "President of Russia"'
    text = actors.read_text(encoding="utf-8")
    assert text.count(old) == 1
    actors.write_text(text.replace(old, 'role = "Former president of Russia"'), encoding="utf-8")
    target = tmp_path / "factbase.json"
    shutil.copy(FACTBASE, target)
    assert run_build(repo_copy, target, check=True) == 1
    assert "stale" in capsys.readouterr().err
    assert target.read_bytes() == FACTBASE.read_bytes(), "--check must not rewrite the file"


def test_run_build_check_missing_target_is_stale(repo_copy: Path, tmp_path: Path) -> None:
    assert run_build(repo_copy, tmp_path / "absent.json", check=True) == 1


# --- curation refuses what a curator got wrong ----------------------------------------------


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "knowledge" / "actors.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in actors.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append(root: Path, entry: str) -> None:
    path = root / "knowledge" / "actors.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")


def test_curation_loads_the_repo(repo_copy: Path) -> None:
    cur = curation.load(repo_copy / "knowledge", repo_copy / "seeds")
    assert len(cur.sources) == 5 and {"tokayev", "csto"} <= {a.id for a in cur.actors}


@pytest.mark.parametrize(
    ("actor", "old", "new"),
    [
        ("keosayan", "TV host Tigran Keosayan warned", "TV host Tigran Keosayan threatened"),
        ("shahbazov", "a Baku-based political analyst", "a Moscow-based political analyst"),
    ],
)
def test_curation_rejects_evidence_not_in_seed(
    repo_copy: Path, actor: str, old: str, new: str
) -> None:
    _edit(repo_copy, old, new)
    with pytest.raises(CurationError, match=rf"(?s)\b{actor}\b.*not verbatim"):
        curation.load(repo_copy / "knowledge", repo_copy / "seeds")


def test_curation_rejects_invented_actor_evidence(repo_copy: Path) -> None:
    _append(
        repo_copy,
        '[[actor]]\nid = "invented"\nname = "Ivan Invented"\nkind = "person"\nrole = "nobody"\n'
        'evidence = [{ seed = "004_3b8bc09f36a11ea2.txt", text = "Ivan Invented said so" }]\n',
    )
    with pytest.raises(CurationError, match=r"\binvented\b"):
        curation.load(repo_copy / "knowledge", repo_copy / "seeds")


def test_curation_rejects_evidence_from_the_page_furniture_after_the_body(
    repo_copy: Path,
) -> None:
    """An author box after the article (SOURCES.md: never quoted) is no evidence; the byline
    above the body is."""
    _edit(
        repo_copy,
        '{ seed = "002_3339d7c86b7f98c3.txt", text = "By Saadi Khamidov" },',
        '{ seed = "002_3339d7c86b7f98c3.txt", text = "By Saadi Khamidov" },\n'
        '  { seed = "002_3339d7c86b7f98c3.txt", text = "independent researcher from Tajikistan" },',
    )
    with pytest.raises(CurationError, match=r"(?s)khamidov.*after the article's body"):
        curation.load(repo_copy / "knowledge", repo_copy / "seeds")


def test_curation_rejects_unknown_key(repo_copy: Path) -> None:
    _edit(repo_copy, 'id = "mardan"\n', 'id = "mardan"\nnickname = "Seryoga"\n')
    with pytest.raises(CurationError, match=r"(?s)mardan.*nickname"):
        curation.load(repo_copy / "knowledge", repo_copy / "seeds")


def test_curation_rejects_alias_shared_by_two_actors(repo_copy: Path) -> None:
    _edit(
        repo_copy,
        'aliases = ["Sergei Mardan", "Mardan", "Sergey Mardan"]',
        'aliases = ["Sergei Mardan", "Mardan", "Sergey Mardan", "Kirsanov"]',
    )
    with pytest.raises(CurationError) as info:
        curation.load(repo_copy / "knowledge", repo_copy / "seeds")
    message = str(info.value)
    assert "Kirsanov" in message and "mardan" in message and "kirsanov" in message


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("held its summit in Astana", "held its summit in Moscow", "not verbatim"),
        ('"Astana summit"]', '"Moscow summit"]', "no article names it"),
    ],
)
def test_curation_rejects_an_occasion_the_articles_do_not_bear_out(
    repo_copy: Path, old: str, new: str, why: str
) -> None:
    path = repo_copy / "knowledge" / "occasions.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(CurationError, match=rf"occasions.toml.*{why}"):
        curation.load(repo_copy / "knowledge", repo_copy / "seeds")


def test_sentences_at_an_occasion_carry_its_date(fb: FactBase, repo_copy: Path) -> None:
    """A sentence that opens at a curated occasion, or tells of someone present at it
    ("during", "attended"), is dated by it; one that only names it ("a month after the
    summit", "what was said at the Astana summit") is not."""
    occasions = curation.load(repo_copy / "knowledge", repo_copy / "seeds").occasions
    dated = {e.sentence: e for e in fb.events}
    at = naming = 0
    for o in occasions:
        for s in fb.sentences:
            named = [n for n in o.names if n in s.text]
            if not named:
                continue
            event = dated.get(s.id)
            if re.search(
                rf"(?i)(?:^at|^during|during|attended) (?:the )?{re.escape(named[0])}", s.text
            ):
                at += 1
                assert event is not None and event.date == o.date.isoformat(), s.text
            else:
                naming += 1
                assert event is None or event.expression not in o.names, s.text
    assert at >= len(occasions) and naming


OCCASION = Occasion(
    id="forum",
    names=["2021 Tashkent Forum", "Tashkent Forum"],
    date=date(2021, 7, 15),
    precision="day",
    reading="synthetic",
    evidence=[Evidence(seed="x.txt", text="the 2021 Tashkent Forum on July 15, 2021")],
)


@pytest.mark.parametrize(
    ("sentence", "expression", "when", "precision"),
    [
        ("At the Tashkent Forum, he said: “We are ready.”", "Tashkent Forum", "2021-07-15", "day"),
        (
            "They disagreed during the 2021 Tashkent Forum.",
            "2021 Tashkent Forum",
            "2021-07-15",
            "day",
        ),
        ("Aliyev attended the Tashkent Forum, alone.", "Tashkent Forum", "2021-07-15", "day"),
        # only naming it: not dated by it
        ("A month after the Tashkent Forum, he spoke.", None, None, None),
        ("It was not what was said at the Tashkent Forum.", None, None, None),
        # a date of its own, not inside the occasion's: the sentence's own
        ("In March 2020, he attended the Tashkent Forum.", "March 2020", "2020-03-01", "month"),
    ],
)
def test_an_occasion_dates_a_sentence_only_where_it_happens_at_it(
    sentence: str, expression: str | None, when: str | None, precision: str | None
) -> None:
    dated = dates.when(sentence, date(2024, 8, 19), [OCCASION])
    got = (dated.expression, dated.date.isoformat(), dated.precision) if dated else (None,) * 3
    assert got == (expression, when, precision)


def test_curation_rejects_membership_of_unknown_actor(repo_copy: Path) -> None:
    _edit(repo_copy, '{ of = "russia", relation = "president of"', '{ of = "rusia", relation = "x"')
    with pytest.raises(CurationError, match=r"(?s)putin.*rusia"):
        curation.load(repo_copy / "knowledge", repo_copy / "seeds")


def test_build_cli_reports_a_curation_error(
    repo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(repo_copy, 'id = "mardan"\n', 'id = "mardan"\nnickname = "Seryoga"\n')
    target = tmp_path / "factbase.json"
    assert run_build(repo_copy, target, check=False) == 1
    assert "mardan" in capsys.readouterr().err
    assert not target.exists(), "a failed build writes nothing"


# --- a bad fact base is refused with the fix ------------------------------------------------


def _missing(path: Path) -> None:
    pass


def _truncated(path: Path) -> None:
    data = FACTBASE.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _outdated(path: Path) -> None:
    data = json.loads(FACTBASE.read_text(encoding="utf-8"))
    data["schema_version"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(data), encoding="utf-8")


def _old_shape(path: Path) -> None:
    data = json.loads(FACTBASE.read_text(encoding="utf-8"))
    data["schema_version"] = SCHEMA_VERSION - 1
    del data["events"]
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (_missing, "missing"),
        (_truncated, "corrupt"),
        (_outdated, "schema version"),
        (_old_shape, "schema version"),
    ],
)
def test_bad_factbase_names_file_and_fix(
    tmp_path: Path, spoil: Callable[[Path], None], says: str
) -> None:
    path = tmp_path / "factbase.json"
    spoil(path)
    with pytest.raises(FactBaseError) as info:
        load(path)
    message = str(info.value)
    assert str(path) in message
    assert "python -m bot build" in message
    assert says in message


def test_cli_with_missing_factbase_exits_cleanly(tmp_path: Path, run_cli: RunCli) -> None:
    missing = tmp_path / "nope.json"
    done = run_cli("--factbase", str(missing), "ask", "who is putin")
    assert done.returncode == 2
    assert "python -m bot build" in done.stderr
    assert "Traceback" not in done.stderr


def test_mentions_never_overlap(fb: FactBase) -> None:
    spans = sorted((m.source, m.start, m.end) for m in fb.mentions)
    for (s1, _, e1), (s2, b2, _) in itertools.pairwise(spans):
        assert s1 != s2 or e1 <= b2


def test_no_sentence_is_empty_or_a_lone_mark(fb: FactBase) -> None:
    for s in fb.sentences:
        assert re.search(r"\w", s.text), s.id


# --- adding an article ----------------------------------------------------------------------

NEW_ARTICLE = """Home » News
Politics

Bishkek hosts border talks

Negotiators met in Bishkek on March 3, 2024 to settle the last disputed border sections.
Sadyr Japarov told reporters that “the region needs its own security council now.”

Share This Article
"""

NEW_SOURCE = """
[[source]]
id = "test-bishkek"
file = "005_test.txt"
title = "Bishkek hosts border talks"
outlet = "Test Wire"
author = "Test Desk"
date = 2024-03-04
date_precision = "day"
url = "https://example.org/bishkek"
url_verified = false
"""


def test_a_new_article_is_known_after_a_rebuild(repo_copy: Path) -> None:
    """The README's recipe: copy the text into seeds/, add its source entry, build."""
    from bot.core.answer import answer
    from bot.core.knowledge import Knowledge

    (repo_copy / "seeds" / "005_test.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    with (repo_copy / "knowledge" / "sources.toml").open("a", encoding="utf-8") as toml:
        toml.write(NEW_SOURCE)
    fb = build(repo_copy)
    new = [p.text for p in fb.paragraphs if p.source == "005_test.txt"]
    assert new == NEW_ARTICLE.split("\n\n")[2].splitlines(), "body kept, furniture dropped"
    assert "Sadyr Japarov" in fb.report.unmatched_names, "the report names the unknown person"
    result = answer(Knowledge(fb), "/quote security council")
    assert result.kind == "quote"
    assert result.passages[0].source == "005_test.txt"
    assert "“the region needs its own security council now.”" in result.passages[0].text
    assert any(
        e.date == "2024-03-03"
        for e in fb.events
        if fb.sentences[e.sentence].source == "005_test.txt"
    )


def test_a_seed_without_a_source_entry_fails_the_build(repo_copy: Path) -> None:
    (repo_copy / "seeds" / "005_test.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    with pytest.raises(CurationError, match=r"005_test\.txt"):
        build(repo_copy)


@pytest.mark.parametrize(
    ("sentence", "points_back"),
    [
        ("So is Russia, but it plays a secondary role.", True),
        ("The cause of the quarrel between these two neighbours is the border.", True),
        ("The quarrel between Kyrgyzstan and Tajikistan is thirty years old.", False),
        (
            "A long list of agreements, treaties and declarations was signed in the years "
            "that followed, and these were kept.",
            False,
        ),
    ],
)
def test_sentences_that_point_back(sentence: str, points_back: bool) -> None:
    """A sentence that leans on the one before is shown with it (and scored from it)."""
    assert refers_back(sentence) is points_back


def _sentences(texts: list[str]) -> list[Sentence]:
    """Synthetic sentences, one paragraph each, of one source."""
    out, at = [], 0
    for i, text in enumerate(texts):
        out.append(Sentence("a.txt", at, at + len(text), text, i, i))
        at += len(text) + 2
    return out


def test_key_sentences_skip_the_headline_and_others_quoted_words() -> None:
    """An article's key sentences are its own: not its headline, not a sentence that is
    mostly someone's words in quotation marks; the lead comes first when it is central."""
    texts = [
        "Pipelines and ports: the new regional plan",
        "Regional leaders agreed a new plan for pipelines and ports across the region.",
        "The plan links pipelines to ports and gives the region new routes for trade.",
        "“Pipelines and ports are the future of the region,” the minister said at the port.",
        "Weather in the capital was mild on the day of the meeting.",
        "The region's new plan for ports and pipelines still needs money from abroad.",
    ]
    sentences = _sentences(texts)
    said = texts[3]
    quote = Quote(
        "a.txt",
        sentences[3].start + 1,
        sentences[3].start + said.index("”"),
        "",
        0,
        3,
        "minister",
        True,
    )
    key = digest.central(sentences, title=texts[0], quotes=[quote], size=3)
    assert key[0] == 1
    assert 0 not in key and 3 not in key
    assert len(set(key)) == 3
