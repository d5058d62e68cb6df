"""Command line: ``python -m scraper crawl|page``."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.logging import RichHandler
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
from .encoding import decode_html
from .extract import NotArticle
from .fetch import Fetcher, FetchError, origin
from .pipeline import process_page
from .post import UnsafeId
from .profile import DEFAULT_PROFILE, ProfileError, load_profile
from .robots import Robots

err = Console(stderr=True)


def _since(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--since {value!r}: expected YYYY-MM-DD") from None


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

    page = sub.add_parser("page", help="convert one page (URL or saved file) and print the post; writes nothing")
    page.add_argument("source", metavar="URL_OR_FILE")
    page.add_argument("--url", help="the page's original URL when converting a saved file")
    page.add_argument("--column", help="column name to use when the page does not name one")
    page.add_argument("--base-url", help="treat this host like the profile's canonical host (local mirror)")
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
                      delay=args.delay, concurrency=args.concurrency, on_progress=on_progress)
    try:
        with progress:
            stats = crawler.run()
    except KeyboardInterrupt:
        err.print("[yellow]interrupted: state saved; run the same command again to resume[/]")
        return 130
    print_summary(stats)
    return 1 if stats.failed or stats.problems else 0


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


def _file_url(path: Path, html: str, profile, explicit: str | None) -> str:
    if explicit:
        return explicit
    m = re.search(r"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)""", html, re.I)
    if m and urlsplit(m.group(1)).scheme in ("http", "https"):
        return m.group(1)
    ids = re.findall(r"\d+", path.stem)
    if ids and profile.article_url:
        return profile.canonical_base_url + profile.article_url.format(id=ids[-1])
    return profile.canonical_base_url + "/" + path.name


def cmd_page(args, profile) -> int:
    source = args.source
    if urlsplit(source).scheme in ("http", "https"):
        fetcher = Fetcher(profile.http, allowed_redirect_origins=profile.allowed_redirect_origins)
        try:
            if not Robots(fetcher, profile.http.robots_agent).allowed(source):
                err.print(f"[red]{source}: disallowed by robots.txt[/]")
                return 1
            resp = fetcher.get(source)
        except FetchError as exc:
            err.print(f"[red]{exc}[/]")
            return 1
        finally:
            fetcher.close()
        html = decode_html(resp.content, resp.content_type, resp.url).text
        url = resp.url
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            err.print(f"[red]{path}: cannot read ({exc.strerror}); give a saved HTML file or an http(s) URL[/]")
            return 2
        html = decode_html(data, None, str(path)).text
        url = _file_url(path, html, profile, args.url)
    own_host = origin(url) in {origin(profile.canonical_base_url), origin(args.base_url or profile.canonical_base_url)}
    try:
        result = process_page(html, url, profile, column_name=args.column, on_profile_host=own_host)
    except (NotArticle, UnsafeId) as exc:
        err.print(f"[red]{source}: not publishable: {exc}[/]")
        return 1
    sys.stdout.write(result.text)
    if result.media:
        err.print(f"{len(result.media)} media file(s) would be downloaded by crawl into {result.slug}/")
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
    return cmd_page(args, profile)
