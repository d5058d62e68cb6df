"""make new TITLE="…" CATEGORY=交管动态 [SLUG=…] [EN=1]  (= python -m plugins.new_post)."""

import argparse
import os
import sys
from pathlib import Path

from plugins.cli import EXIT_OK, EXIT_PROBLEMS, guarded, load_settings

from .create import NewPostError, create_post


def _truthy(value) -> bool:
    return str(value or "").strip().lower() in ("1", "true", "yes", "y", "on")


@guarded
def main(argv=None) -> int:
    env = os.environ
    parser = argparse.ArgumentParser(prog="make new", description="Create a post (and its English stub).")
    parser.add_argument("--title", default=env.get("TITLE", ""))
    parser.add_argument("--category", default=env.get("CATEGORY", ""))
    parser.add_argument("--slug", default=env.get("SLUG") or None)
    parser.add_argument("--en", action="store_true", default=_truthy(env.get("EN")))
    parser.add_argument("--content", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    try:
        created = create_post(Path(args.content), load_settings(args.settings), title=args.title,
                              category=args.category, slug=args.slug, english=args.en)
    except NewPostError as error:
        print(f"error / 错误: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    for path in created.paths:
        print(f"created / 已新建: {path}")
    print("下一步：打开文件，替换所有 TODO(编辑)，然后 make serve 预览、make check 检查 / "
          "next: open the file(s), replace every TODO(编辑), preview with make serve, check with make check")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
