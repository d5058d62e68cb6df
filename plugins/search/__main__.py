"""``python -m plugins.search QUERY [--lang zh-Hans|zh-Hant|en] [--limit N] [--since D] [--until D] [--json]``."""

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
                                     description="Search the 交管动态 archive offline (the index `make site` built).")
    parser.add_argument("query", nargs="+", help='words or "a quoted phrase"; 繁體 finds 简体 too')
    parser.add_argument("--lang", default="zh-Hans", type=str.lower, choices=["zh-hans", "zh-hant", "en"],
                        help="zh-Hans (default), zh-Hant or en")
    parser.add_argument("--limit", type=int, default=10, help="how many results (default 10)")
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
    settings = read_settings(str(settings_path))
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
    hits, total = searcher.search(" ".join(args.query), args.lang, limit=args.limit, since=args.since,
                                  until=args.until)
    if args.json:
        json.dump([h.as_dict() for h in hits], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not hits:
        print("没有找到结果 / No results.")
        return 1
    tty = sys.stdout.isatty()
    on, off = ("\033[1;31m", "\033[0m") if tty else ("【", "】")
    if getattr(total, "exact", True):
        print(f"{total} result(s); showing {len(hits)}\n")
    else:  # phrases are checked in ranking order, only as far as the results shown
        print(f"showing {len(hits)} of at most {total} result(s)\n")
    for n, hit in enumerate(hits, 1):
        print(f"{n}. {hit.title}  ({hit.date}, score {hit.score})")
        print(f"   {hit.url}")
        print(f"   {_highlight(hit.snippet, hit.highlights, on, off)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
