"""python -m plugins.sitebuild [--content content] [--settings pelicanconf.py] [--output output] [-- PELICAN ARGS]"""

import argparse
import sys

from .build import BuildFailed, build


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make site", description="Check content/, build into a fresh folder, swap it in.")
    parser.add_argument("--content", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--no-check", action="store_true", help="skip the content check (not for publishing)")
    parser.add_argument("pelican_args", nargs="*", help="extra Pelican arguments (after --)")
    args = parser.parse_args(argv)
    try:
        build(args.content, args.output, args.settings, pelican_args=args.pelican_args, check=not args.no_check)
    except BuildFailed as error:
        print(f"error / 错误: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
