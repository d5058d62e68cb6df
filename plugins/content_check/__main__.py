"""python -m plugins.content_check [CONTENT] [--settings pelicanconf.py] — exit 1 when content/ has problems."""

import argparse
import sys

from .checker import check_content, load_settings, report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description="Validate content/ without building the site.")
    parser.add_argument("content", nargs="?", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    settings = load_settings(args.settings)
    problems, count = check_content(args.content, settings, relative_to=".")
    print(report(problems, count, args.content.rstrip("/") + "/"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
