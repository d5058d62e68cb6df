"""python -m plugins.content_check [CONTENT] [--settings pelicanconf.py] — exit 1 when content/ has problems,
2 when the folder or the settings cannot be used (plugins/cli.py)."""

import argparse
import sys

from plugins.cli import EXIT_OK, EXIT_PROBLEMS, content_folder, guarded, load_settings

from .checker import check_content, report


@guarded
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description="Validate content/ without building the site.")
    parser.add_argument("content", nargs="?", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    settings = load_settings(args.settings)
    problems, count = check_content(content_folder(args.content), settings, relative_to=".")
    print(report(problems, count, args.content.rstrip("/") + "/"))
    return EXIT_PROBLEMS if problems else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
