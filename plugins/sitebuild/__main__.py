"""python -m plugins.sitebuild [--content content] [--settings pelicanconf.py] [--output output] [-- PELICAN ARGS]"""

import argparse
import sys

from plugins.cli import EXIT_OK, EXIT_PROBLEMS, content_folder, guarded, output_folder, settings_file

from .build import BuildFailed, build


@guarded
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make site", description="Check content/, build into a fresh folder, swap it in.")
    parser.add_argument("--content", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--no-check", action="store_true", help="skip the content check (not for publishing)")
    parser.add_argument("pelican_args", nargs="*", help="extra Pelican arguments (after --)")
    args = parser.parse_args(argv)
    content, output, settings = content_folder(args.content), output_folder(args.output), settings_file(args.settings)
    try:
        build(content, output, settings, pelican_args=args.pelican_args, check=not args.no_check)
    except BuildFailed as error:
        print(f"error / 错误: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
