"""Command line: the only place that reads the environment, loads .env and sets up logging."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.knowledge import Knowledge
    from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FACTBASE = ROOT / "knowledge" / "factbase.json"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:  # its options are its own: benchmarks/run.py parses them
        from bot.cli.bench import run_bench

        return run_bench(ROOT, argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    command: str = args.command or "run"
    if command == "build":
        from bot.cli.build import run_build

        return run_build(ROOT, DEFAULT_FACTBASE, check=args.check)
    if command in ("serve", "run"):
        return _serve_or_console(command, args)
    if command == "manifest":
        from bot.cli.manifest import run_manifest

        return run_manifest(ROOT / "manifest.json", args.url)
    kb = _load(Path(args.factbase) if args.factbase else DEFAULT_FACTBASE)
    if kb is None:
        return 2
    if command == "ask":
        from bot.cli.ask import run_ask

        return run_ask(kb, args.query, as_json=args.json, page=args.page, every=args.all)
    if command == "console":
        from bot.cli.console import run_console
        from bot.slack.stores import query_log

        settings = _settings()
        return run_console(kb, query_log(settings, upgrade=True) if settings else None)
    if command == "report":
        return _report(kb, args)
    if command == "eval":
        from bot.cli.evaluate import run_eval

        return run_eval(
            kb,
            Path(args.file),
            ROOT / "seeds",
            baseline=not args.no_baseline,
            failures=args.failures,
            only=[p for p in args.only.split(",") if p],
        )
    parser.error(f"unknown command {command}")


def _load(path: Path) -> Knowledge | None:
    """The fact base, or None after one line saying what is wrong and how to rebuild it."""
    from bot.core.knowledge import FactBaseError, load

    try:
        return load(path)
    except FactBaseError as exc:
        print(f"c5brief: {exc}", file=sys.stderr)
        return None


def _settings() -> Settings | None:
    """Settings from the environment and .env, or None after one line saying what is wrong."""
    from dotenv import load_dotenv
    from pydantic import ValidationError

    from bot.settings import Settings, describe

    load_dotenv(ROOT / ".env")
    try:
        return Settings()
    except ValidationError as exc:
        print(f"c5brief: {describe(exc)}", file=sys.stderr)
        return None


def _report(kb: Knowledge, args: argparse.Namespace) -> int:
    from bot.cli.report import run_report

    settings = _settings()
    if settings is None:
        return 2
    return run_report(settings, kb, args.since, args.format)


def _serve_or_console(command: str, args: argparse.Namespace) -> int:
    from dotenv import load_dotenv
    from pydantic import ValidationError

    from bot.settings import Settings, SettingsError, describe, mode_of, secrets_of
    from bot.slack.redact import redact

    load_dotenv(ROOT / ".env")
    try:
        settings = Settings()
        mode = mode_of(settings)
    except SettingsError as exc:
        print(f"c5brief: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"c5brief: {describe(exc)}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    redact(secrets_of(settings))
    kb = _load(Path(args.factbase) if args.factbase else settings.factbase_path)
    if kb is None:
        return 2
    if mode == "console":
        if command == "serve":
            print(
                "c5brief: no Slack settings; set them in .env (see .env.example)", file=sys.stderr
            )
            return 2
        from bot.cli.console import run_console
        from bot.slack.stores import query_log

        return run_console(kb, query_log(settings, upgrade=True))
    from bot.slack.server import serve

    return serve(settings, kb)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="c5brief", description=__doc__)
    parser.add_argument(
        "--factbase",
        default=None,
        help="fact base to load (default: knowledge/factbase.json; run/serve: FACTBASE_PATH)",
    )
    sub = parser.add_subparsers(dest="command")
    build = sub.add_parser("build", help="turn seeds/ and knowledge/*.toml into factbase.json")
    build.add_argument("--check", action="store_true", help="fail if the committed file is stale")
    ask = sub.add_parser("ask", help="answer one query (or one per stdin line with --json)")
    ask.add_argument("--json", action="store_true", help="print JSON")
    ask.add_argument("query", nargs="?", help="the question; omit with --json to read stdin")
    ask.add_argument(
        "--page", type=int, default=1, help="the page of a long answer to print (1, the first)"
    )
    ask.add_argument("--all", action="store_true", help="print every page of a long answer")
    sub.add_parser("console", help="an interactive prompt on the same answer path")
    evaluate = sub.add_parser("eval", help="score answers against a JSONL file of questions")
    evaluate.add_argument("file")
    evaluate.add_argument("--no-baseline", action="store_true", help="skip the BM25 baseline")
    evaluate.add_argument(
        "--failures", choices=["tune", "holdout"], help="list one half's misses (work from tune)"
    )
    evaluate.add_argument(
        "--only", default="", help="score only questions whose id starts with one of A,B,..."
    )
    report = sub.add_parser("report", help="the curator's report from the query log")
    report.add_argument("--since", default="7d", help="how far back: 30m, 24h, 7d, 2w (7d)")
    report.add_argument("--format", choices=("text", "csv", "json"), default="text")
    sub.add_parser("bench", help="measure speed and scale (`bench --help`; benchmarks/)")
    sub.add_parser("serve", help="serve Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP)")
    sub.add_parser("run", help="serve Slack if configured, else start the console")
    manifest = sub.add_parser("manifest", help="print manifest.json for HTTP mode at --url")
    manifest.add_argument("--url", required=True, help="the app's public base URL, https://HOST")
    return parser


if __name__ == "__main__":
    sys.exit(main())
