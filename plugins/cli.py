"""What the editors' and publishing commands share: exit statuses, and errors as messages.

`make check`, `make site`, `make publish`, `make new` and `make translations` run their ``main``
through :func:`guarded`: a bad argument or an unusable file (a settings file that is missing or
broken, a content folder that is a file, a post that cannot be read) ends the command with one
line naming it and what to do — never a traceback.  ``PELICAN_TRACEBACKS=1`` shows the traceback
of an unexpected error, for developers.

Exit statuses (docs/editors.md, docs/publishing.md):

* 0 — done;
* 1 — the content has problems, or the build failed (the messages say which file);
* 2 — a command-line argument or an input file the command cannot use (argparse's own usage
  errors are 2 as well);
* 3 — an unexpected error (a bug: the message says so);
* 130 — interrupted (Ctrl-C).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """An argument or input file the command cannot use; the message names it and the fix."""


def error(message: str) -> None:
    print(f"error / 错误: {message}", file=sys.stderr)


def settings_file(path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: 设置文件不存在 / settings file not found — "
                         "在项目根目录运行，或用 --settings 指定 / run from the project folder, or pass --settings")
    return path


def load_settings(path) -> dict:
    """Pelican's settings from ``path``; UsageError when it is missing or cannot be run."""
    from pelican.settings import read_settings

    path = settings_file(path)
    try:
        return read_settings(str(path))
    except Exception as exc:  # a settings file is Python: anything can go wrong in it
        raise UsageError(f"{path}: 设置文件有错误 / the settings file fails: {type(exc).__name__}: {exc}") from None


def content_folder(path) -> Path:
    path = Path(path)
    if not path.is_dir():
        what = "不是文件夹 / is not a folder" if path.exists() else "不存在 / does not exist"
        raise UsageError(f"{path}: 内容目录{what} — 用 content/ 或 --content 指定 / use content/, or pass --content")
    return path


def output_folder(path) -> Path:
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path}: 输出位置是一个文件，不是文件夹 / the output is a file, not a folder — "
                         "删除它或换一个 / delete it, or choose another")
    if path.parent.exists() and not path.parent.is_dir():
        raise UsageError(f"{path.parent}: 不是文件夹 / is not a folder")
    return path


def guarded(main):
    """Run a command's ``main(argv) -> int`` with every input error as a message and a status."""

    @functools.wraps(main)
    def run(argv=None) -> int:
        try:
            return main(argv)
        except UsageError as exc:
            error(str(exc))
            return EXIT_USAGE
        except KeyboardInterrupt:
            error("interrupted / 已中断")
            return EXIT_INTERRUPTED
        except UnicodeDecodeError as exc:
            error(f"a file is not UTF-8 text ({exc.reason} at byte {exc.start}) / 有文件不是 UTF-8 编码 — "
                  "run `make check` to find it / 运行 make check 找出它")
            return EXIT_USAGE
        except OSError as exc:
            where = exc.filename if exc.filename is not None else ""
            error(f"{where}: {exc.strerror or exc}" if where else str(exc))
            return EXIT_USAGE
        except Exception as exc:
            if os.environ.get("PELICAN_TRACEBACKS") == "1":
                raise
            error(f"unexpected {type(exc).__name__}: {exc} — this is a bug, please report it with the command "
                  "you ran (PELICAN_TRACEBACKS=1 shows the details) / 程序出错，请把运行的命令报告给维护人员")
            return EXIT_BUG

    return run
