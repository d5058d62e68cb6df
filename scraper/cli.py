"""Command line: ``python -m scraper crawl|page|doctor``."""

from __future__ import annotations

import argparse
import logging
import math
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
from .post_check import PostCheck, SettingsError, load_site_settings, one_line
from .profile import DEFAULT_PROFILE, ProfileError, load_profile
from .source import SourceError, read_source, url_problem

err = Console(stderr=True, soft_wrap=True)   # one message, one line, whatever the width


# Exit statuses (docs/scraper.md): 0 all fine; 1 something failed or was left out of a post;
# 2 bad arguments, profile, settings, state file or folders; 130 interrupted.
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage block): ``python -m scraper: error: … (see --help)``."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see --help)\n")


def _since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--since {value!r}: expected YYYY-MM-DD") from None


def _http_url(value: str) -> str:
    problem = url_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give 1 or more")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not math.isfinite(number) or number < 0:
        raise argparse.ArgumentTypeError(f"{value!r}: give a finite number of seconds, 0 or more")
    return number


def _id_range(value: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", value)
    if not m or int(m.group(1)) > int(m.group(2)):
        raise argparse.ArgumentTypeError(f"--ids {value!r}: expected FIRST-LAST, e.g. 4800-4900")
    return int(m.group(1)), int(m.group(2))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m scraper", description="CRSA news scraper")
    parser.add_argument("--profile", default=str(DEFAULT_PROFILE), help="site profile TOML (default: %(default)s)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every retry and decision")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="walk the column lists and write new or changed posts")
    crawl.add_argument("--base-url", type=_http_url, help="crawl this host instead of the profile's canonical base URL")
    crawl.add_argument("--column", type=int, action="extend", nargs="+", metavar="ID",
                       help="column id(s) to crawl (default: all columns of the profile)")
    crawl.add_argument("--since", type=_since, help="skip articles published before YYYY-MM-DD")
    crawl.add_argument("--max-pages", type=_positive_int, help="at most N list pages per column")
    crawl.add_argument("--content-dir", default="content", help="Pelican content directory (default: %(default)s)")
    crawl.add_argument("--state-dir", default=".scraper-state", help="crawl state directory (default: %(default)s)")
    crawl.add_argument("--delay", type=_seconds,
                       help="seconds between requests to a host (default: profile; robots Crawl-delay wins if larger)")
    crawl.add_argument("--concurrency", type=_positive_int, help="requests in flight per host (default: profile, 1)")
    crawl.add_argument("--no-progress", action="store_true", help="no live progress bar")
    crawl.add_argument("--settings", help="the site's Pelican settings, whose `make check` rules every post "
                                          "must pass (default: the project's pelicanconf.py)")
    crawl.add_argument("--ids", type=_id_range, metavar="FIRST-LAST",
                       help="walk the article ids FIRST..LAST instead of the column lists (404/410 recorded as gone)")
    crawl.add_argument("--sitemap", action=argparse.BooleanOptionalAction, default=None,
                       help="also read the sitemaps robots.txt names (default: when all columns are crawled)")

    page = sub.add_parser("page", help="convert one page (URL or saved file) and print the post; writes nothing")
    page.add_argument("source", metavar="URL_OR_FILE")
    page.add_argument("--url", type=_http_url, help="the page's original URL when converting a saved file")
    page.add_argument("--column", help="column name to use when the page does not name one")
    page.add_argument("--settings", help="the site's Pelican settings, whose `make check` rules the post is "
                                         "checked against (default: the project's pelicanconf.py)")
    page.add_argument("--base-url", type=_http_url, help="treat this host like the profile's canonical host (local mirror)")

    doctor = sub.add_parser("doctor", help="show how the profile fits a page and propose selectors for it")
    doctor.add_argument("source", metavar="PAGE_OR_URL", help="a saved article page, or its URL")
    doctor.add_argument("--list", metavar="LIST_PAGE", help="a saved column list page (or its URL) to check too")
    doctor.add_argument("--url", type=_http_url, help="the page's original URL when giving a saved file")
    doctor.add_argument("--base-url", type=_http_url, help="treat this host like the profile's canonical host (local mirror)")
    return parser


def _counts(stats: Stats) -> str:
    return (f"fetched {stats.fetched} · new {stats.new} · updated {stats.updated} · unchanged {stats.unchanged} · "
            f"robots {stats.robots} · failed {stats.failed} · left out {len(stats.left_out)}")


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
                      on_progress=on_progress, site_settings=load_site_settings(args.settings))
    try:
        with progress:
            stats = crawler.run()
    except KeyboardInterrupt:
        err.print("[yellow]interrupted: state saved; run the same command again to resume[/]")
        return EXIT_INTERRUPTED
    except OSError as exc:   # a folder or the disk failed under the crawl (the state is saved when possible)
        err.print(f"[red]error:[/] {escape(one_line(_os_error(exc)))}")
        return EXIT_FAILED
    print_summary(stats)
    verdict = crawl_verdict(stats, profile)
    if verdict:
        err.print(f"[bold red]NOT RECOGNISED[/] {escape(verdict)}", soft_wrap=True)
    if stats.failed or stats.problems or stats.left_out:
        return EXIT_FAILED
    return EXIT_NOT_RECOGNISED if verdict else EXIT_OK


def _os_error(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}; nothing after this point was written"


def print_summary(stats: Stats) -> None:
    """The counters, then one line per failure, edited post, left-out part and warning."""
    table = Table(title="crawl summary", show_header=False)
    for key, value in stats.as_dict().items():
        table.add_row(key, str(value))
    table.add_row("left out", str(len(stats.left_out)))
    err.print(table)

    def line(label: str, text: str) -> None:
        err.print(f"{label} {escape(one_line(text))}", soft_wrap=True)

    for url, reason in stats.problems:
        line("[red]FAILED[/]", f"{url}: {reason}")
    for path in stats.edited_files:
        line("[yellow]EDITED[/]", f"post changed by an editor, new version written beside it: {path}")
    for url, what in stats.left_out:
        line("[red]LEFT OUT[/]", f"{url}: {what}")
    for url, message in stats.warnings:
        line("[yellow]WARNING[/]", f"{url}: {message}")
    stale = stale_profile_note(stats)
    if stale:
        line("[yellow]PROFILE[/]", stale)


def cmd_page(args, profile) -> int:
    try:
        src = read_source(args.source, profile, url=args.url, base_url=args.base_url)
    except SourceError as exc:
        err.print(f"[red]error:[/] {escape(one_line(str(exc)))}")
        return exc.status
    try:
        result = process_page(src.html, src.url, profile, column_name=args.column, on_profile_host=src.own_host)
    except (NotArticle, UnsafeId) as exc:
        err.print(f"[red]error:[/] {escape(one_line(f'{args.source}: not publishable: {exc}'))}")
        if isinstance(exc, NotArticle) and src.own_host:
            err.print(escape(page_verdict(args.source, [], profile, published=False)), soft_wrap=True)
            return EXIT_NOT_RECOGNISED
        return EXIT_FAILED
    for what in result.left_out:
        err.print(f"[yellow]LEFT OUT[/] {escape(one_line(what))}")
    sys.stdout.write(result.text)
    if result.media:
        err.print(f"{len(result.media)} media file(s) would be downloaded by crawl into {result.slug}/")
    # What crawl would say: the post as it would be written before its media are downloaded.
    column = profile.column_by_name(result.article.category)
    where = Path("content", "news", column.slug if column else "unknown-column", result.article.date[:4],
                 f"{result.slug}.md")
    checker = PostCheck(Path("content"), load_site_settings(args.settings))
    problems = checker.problems(result.render({ref.link: ref.public_url for ref in result.media}), where)
    for problem in problems:
        err.print(f"[red]NOT PUBLISHABLE[/] crawl would not write this post: {escape(problem)}")
    if result.path == "generic" and src.own_host:   # the profile and the layout both missed: the first thing to fix
        verdict = page_verdict(args.source, result.misses, profile, published=True)
        err.print(f"[bold red]NOT RECOGNISED[/] {escape(verdict)}", soft_wrap=True)
        return EXIT_NOT_RECOGNISED
    return EXIT_FAILED if problems else EXIT_OK


def cmd_doctor(args, profile) -> int:
    report = Report()
    try:
        if args.list:
            lst = read_source(args.list, profile, base_url=args.base_url, article=False)
            diagnose_list(lst.html, lst.url, profile, report)
            report.add("")
        src = read_source(args.source, profile, url=args.url, base_url=args.base_url)
    except SourceError as exc:
        err.print(f"[red]error:[/] {escape(one_line(str(exc)))}")
        return exc.status
    try:
        diagnose_article(src.html, src.url, profile, report, own_host=src.own_host)
    except NotArticle as exc:
        err.print(f"[red]error:[/] {escape(one_line(f'{args.source}: {exc}'))}")
        return EXIT_FAILED
    sys.stdout.write(report.text(profile))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s",
                        handlers=[RichHandler(console=err, show_path=False)])
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        err.print(f"[red]profile error:[/] {escape(one_line(str(exc)))}")
        return EXIT_USAGE
    if args.command == "crawl":
        try:
            return cmd_crawl(args, profile)
        except (ProfileError, ValueError) as exc:   # bad column id, state file, folders, settings
            err.print(f"[red]error:[/] {escape(one_line(str(exc)))}")
            return EXIT_USAGE
    try:
        if args.command == "doctor":
            return cmd_doctor(args, profile)
        return cmd_page(args, profile)
    except SettingsError as exc:
        err.print(f"[red]error:[/] {escape(one_line(str(exc)))}")
        return EXIT_USAGE
