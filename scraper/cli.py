"""Command line: ``python -m scraper crawl|page|doctor``."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from .crawl import Crawler, Stats
from .diagnosis import EXIT_NOT_RECOGNISED, crawl_verdict, page_verdict, stale_profile_note
from .doctor import Report, diagnose_article, diagnose_list
from .extract import NotArticle
from .pipeline import process_page
from .post import UnsafeId
from .profile import DEFAULT_PROFILE, ProfileError, load_profile
from .source import SourceError, read_source

err = Console(stderr=True)


def _since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--since {value!r}: expected YYYY-MM-DD") from None


def _id_range(value: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", value)
    if not m or int(m.group(1)) > int(m.group(2)):
        raise argparse.ArgumentTypeError(f"--ids {value!r}: expected FIRST-LAST, e.g. 4800-4900")
    return int(m.group(1)), int(m.group(2))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scraper", description="CRSA news scraper")
    parser.add_argument("--profile", default=str(DEFAULT_PROFILE), help="site profile TOML (default: %(default)s)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every retry and decision")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="walk the column lists and write new or changed posts")
    crawl.add_argument("--base-url", help="crawl this host instead of the profile's canonical base URL")
    crawl.add_argument("--column", type=int, action="extend", nargs="+", metavar="ID",
                       help="column id(s) to crawl (default: all columns of the profile)")
    crawl.add_argument("--since", type=_since, help="skip articles published before YYYY-MM-DD")
    crawl.add_argument("--max-pages", type=int, help="at most N list pages per column")
    crawl.add_argument("--content-dir", default="content", help="Pelican content directory (default: %(default)s)")
    crawl.add_argument("--state-dir", default=".scraper-state", help="crawl state directory (default: %(default)s)")
    crawl.add_argument("--delay", type=float,
                       help="seconds between requests to a host (default: profile; robots Crawl-delay wins if larger)")
    crawl.add_argument("--concurrency", type=int, help="requests in flight per host (default: profile, 1)")
    crawl.add_argument("--no-progress", action="store_true", help="no live progress bar")
    crawl.add_argument("--ids", type=_id_range, metavar="FIRST-LAST",
                       help="walk the article ids FIRST..LAST instead of the column lists (404/410 recorded as gone)")
    crawl.add_argument("--sitemap", action=argparse.BooleanOptionalAction, default=None,
                       help="also read the sitemaps robots.txt names (default: when all columns are crawled)")

    page = sub.add_parser("page", help="convert one page (URL or saved file) and print the post; writes nothing")
    page.add_argument("source", metavar="URL_OR_FILE")
    page.add_argument("--url", help="the page's original URL when converting a saved file")
    page.add_argument("--column", help="column name to use when the page does not name one")
    page.add_argument("--base-url", help="treat this host like the profile's canonical host (local mirror)")

    doctor = sub.add_parser("doctor", help="show how the profile fits a page and propose selectors for it")
    doctor.add_argument("source", metavar="PAGE_OR_URL", help="a saved article page, or its URL")
    doctor.add_argument("--list", metavar="LIST_PAGE", help="a saved column list page (or its URL) to check too")
    doctor.add_argument("--url", help="the page's original URL when giving a saved file")
    doctor.add_argument("--base-url", help="treat this host like the profile's canonical host (local mirror)")
    return parser


def _counts(stats: Stats) -> str:
    return (f"fetched {stats.fetched} · new {stats.new} · updated {stats.updated} · unchanged {stats.unchanged} · "
            f"robots {stats.robots} · failed {stats.failed}")


def cmd_crawl(args, profile) -> int:
    show = not args.no_progress and err.is_terminal
    progress = Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), console=err, disable=not show)
    task = progress.add_task("listing", total=None, counts="")

    def on_progress(stats: Stats, message: str) -> None:
        done = (stats.new + stats.updated + stats.unchanged + stats.edited + stats.gone + stats.resumed
                + stats.robots + stats.failed)
        m = re.match(r"(\d+) articles listed", message)
        if m:
            progress.update(task, description="articles", total=int(m.group(1)), completed=0)
            progress.reset(task, total=int(m.group(1)))
        progress.update(task, completed=done if progress.tasks[0].total else 0, counts=_counts(stats))

    crawler = Crawler(profile, content_dir=Path(args.content_dir), state_dir=Path(args.state_dir),
                      base_url=args.base_url, columns=args.column, since=args.since, max_pages=args.max_pages,
                      delay=args.delay, concurrency=args.concurrency, ids=args.ids, use_sitemap=args.sitemap,
                      on_progress=on_progress)
    try:
        with progress:
            stats = crawler.run()
    except KeyboardInterrupt:
        err.print("[yellow]interrupted: state saved; run the same command again to resume[/]")
        return 130
    print_summary(stats)
    verdict = crawl_verdict(stats, profile)
    if verdict:
        err.print(f"[bold red]NOT RECOGNISED[/] {escape(verdict)}", soft_wrap=True)
    if stats.failed or stats.problems:
        return 1
    return EXIT_NOT_RECOGNISED if verdict else 0


def print_summary(stats: Stats) -> None:
    table = Table(title="crawl summary", show_header=False)
    for key, value in stats.as_dict().items():
        table.add_row(key, str(value))
    err.print(table)
    for url, reason in stats.problems:
        err.print(f"[red]FAILED[/] {url}: {reason}")
    for path in stats.edited_files:
        err.print(f"[yellow]EDITED[/] post changed by an editor, new version written beside it: {path}")
    for url, message in stats.warnings:
        err.print(f"[yellow]WARNING[/] {url}: {message}")
    stale = stale_profile_note(stats)
    if stale:
        err.print(f"[yellow]PROFILE[/] {escape(stale)}", soft_wrap=True)


def cmd_page(args, profile) -> int:
    try:
        src = read_source(args.source, profile, url=args.url, base_url=args.base_url)
    except SourceError as exc:
        err.print(f"[red]{escape(str(exc))}[/]")
        return exc.status
    try:
        result = process_page(src.html, src.url, profile, column_name=args.column, on_profile_host=src.own_host)
    except (NotArticle, UnsafeId) as exc:
        err.print(f"[red]{escape(args.source)}: not publishable: {escape(str(exc))}[/]", soft_wrap=True)
        if isinstance(exc, NotArticle) and src.own_host:
            err.print(escape(page_verdict(args.source, [], profile, published=False)), soft_wrap=True)
            return EXIT_NOT_RECOGNISED
        return 1
    sys.stdout.write(result.text)
    if result.media:
        err.print(f"{len(result.media)} media file(s) would be downloaded by crawl into {result.slug}/")
    if result.path == "generic" and src.own_host:
        verdict = page_verdict(args.source, result.misses, profile, published=True)
        err.print(f"[bold red]NOT RECOGNISED[/] {escape(verdict)}", soft_wrap=True)
        return EXIT_NOT_RECOGNISED
    return 0


def cmd_doctor(args, profile) -> int:
    report = Report()
    try:
        if args.list:
            lst = read_source(args.list, profile, base_url=args.base_url, article=False)
            diagnose_list(lst.html, lst.url, profile, report)
            report.add("")
        src = read_source(args.source, profile, url=args.url, base_url=args.base_url)
    except SourceError as exc:
        err.print(f"[red]{escape(str(exc))}[/]")
        return exc.status
    try:
        diagnose_article(src.html, src.url, profile, report, own_host=src.own_host)
    except NotArticle as exc:
        err.print(f"[red]{escape(args.source)}: {escape(str(exc))}[/]")
        return 1
    sys.stdout.write(report.text(profile))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s",
                        handlers=[RichHandler(console=err, show_path=False)])
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        err.print(f"[red]profile error:[/] {exc}")
        return 2
    if args.command == "crawl":
        try:
            return cmd_crawl(args, profile)
        except (ProfileError, ValueError) as exc:
            err.print(f"[red]error:[/] {exc}")
            return 2
    if args.command == "doctor":
        return cmd_doctor(args, profile)
    return cmd_page(args, profile)
