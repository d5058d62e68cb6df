"""``python -m plugins.search QUERY [--lang zh-Hans|zh-Hant|en] [--column C] [--year Y] [--sort relevance|date]
[--limit N] [--page N] [--since D] [--until D] [--json]``.

Exit status: 0 results found, 1 none, 2 bad arguments, settings or index (a message, no traceback)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2021-12-20") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return number


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        year = 0
    if not 1 <= year <= 9999:
        raise argparse.ArgumentTypeError(f"{value!r} is not a year like 2021")
    return year


def _highlight(snippet, marks, on, off):
    out, last = [], 0
    for s, e in marks:
        if s < last:
            continue
        out += [snippet[last:s], on, snippet[s:e], off]
        last = e
    out.append(snippet[last:])
    return "".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m plugins.search",
                                     description="Search the news archive offline (the index `make site` built).")
    parser.add_argument("query", nargs="+", help='words or "a quoted phrase"; 繁體 finds 简体 too')
    parser.add_argument("--lang", default="zh-Hans", type=str.lower, choices=["zh-hans", "zh-hant", "en"],
                        help="zh-Hans (default), zh-Hant or en")
    parser.add_argument("--column", help="only this column, by name or slug (交管动态 or traffic)")
    parser.add_argument("--year", type=_year, help="only articles of this year")
    parser.add_argument("--sort", choices=["relevance", "date"], default="relevance",
                        help="relevance (default) or date (newest first)")
    parser.add_argument("--limit", type=_positive, default=10, help="results per page (default 10)")
    parser.add_argument("--page", type=_positive, default=1, help="which page of results (default 1)")
    parser.add_argument("--since", type=_date, help="only articles from this date (YYYY-MM-DD)")
    parser.add_argument("--until", type=_date, help="only articles up to this date (YYYY-MM-DD)")
    parser.add_argument("--json", action="store_true", help="print a JSON list of results")
    parser.add_argument("--settings", default="pelicanconf.py", help="Pelican settings file (default pelicanconf.py)")
    parser.add_argument("--index", help="index folder (default: SEARCH_INDEX_DIR from the settings)")
    args = parser.parse_args(argv)

    root = Path(__file__).resolve().parents[2]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from pelican.settings import read_settings

    from .index import IndexUnavailable
    from .query import Searcher

    settings_path = Path(args.settings)
    if not settings_path.exists() and (root / args.settings).exists():
        settings_path = root / args.settings
    if not settings_path.is_file():
        print(f"search: settings file {args.settings} not found: give --settings a Pelican settings file "
              "(default pelicanconf.py in the project folder)", file=sys.stderr)
        return 2
    try:
        settings = read_settings(str(settings_path))
    except Exception as exc:  # a settings file is Python: any error can come out of it
        print(f"search: cannot read the settings file {settings_path}: {exc.__class__.__name__}: {exc}",
              file=sys.stderr)
        return 2
    if not Path(settings["OUTPUT_PATH"]).is_absolute():
        settings["OUTPUT_PATH"] = str(settings_path.resolve().parent / settings["OUTPUT_PATH"])
    if args.index:
        settings["SEARCH_INDEX_DIR"] = args.index
    try:
        searcher = Searcher(settings)
    except IndexUnavailable as exc:
        print(f"search: {exc}", file=sys.stderr)
        return 2
    if searcher.notice:
        print(f"search: {searcher.notice}", file=sys.stderr)
    try:
        hits, total = searcher.search(" ".join(args.query), args.lang, limit=args.limit, since=args.since,
                                      until=args.until, column=args.column, year=args.year, sort=args.sort,
                                      page=args.page)
    except ValueError as exc:  # an unknown column
        print(f"search: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump([h.as_dict() for h in hits], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not hits:
        if total and args.page > 1:
            print(f"没有第 {args.page} 页 / No page {args.page}: {total} result(s), "
                  f"{-(-total // args.limit)} page(s) of {args.limit}.")
        else:
            print("没有找到结果 / No results.")
        return 1
    tty = sys.stdout.isatty()
    on, off = ("\033[1;31m", "\033[0m") if tty else ("【", "】")
    first = args.limit * (args.page - 1) + 1
    shown = f"{first}-{first + len(hits) - 1}" if len(hits) > 1 else f"{first}"
    if getattr(total, "exact", True):
        print(f"{total} result(s); showing {shown}\n")
    else:  # phrases are checked in ranking order, only as far as the results shown
        print(f"showing {shown} of at most {total} result(s)\n")
    for n, hit in enumerate(hits, first):
        print(f"{n}. {hit.title}  ({hit.date}, score {hit.score})")
        print(f"   {hit.url}")
        print(f"   {_highlight(hit.snippet, hit.highlights, on, off)}\n")
    return 0


def run() -> int:
    """``main`` for a terminal: output piped into a command that stops reading (``| head``) ends
    quietly instead of with a traceback."""
    try:
        return main()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0


if __name__ == "__main__":
    sys.exit(run())
