"""python -m plugins.preview [--content content] [--settings pelicanconf.py] [--output output]
                            [--port 8000] [--bind 127.0.0.1] [--quick]

`make serve`: serve the output folder, build it in the background, show a saved post at once
(see plugins/preview/__init__.py and docs/editors.md).  Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time

from plugins.cli import EXIT_OK, content_folder, guarded, load_settings, output_folder, settings_file

# `make serve QUICK=1`: 简体 and English only, without search (make site builds everything).
QUICK_OVERRIDES = {"BUILD_LANGUAGES": ["zh-hans", "en"], "SEARCH_ENABLED": False}


def say(text: str) -> None:
    print(text, flush=True)


def _init_logging() -> None:
    """Warnings and errors as one line each, and fatal (as `make site`'s ``--fatal warnings``)."""
    from pelican.log import init as init_logging

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    init_logging(level=logging.WARNING, fatal="warnings", handler=handler)


class Preview:
    def __init__(self, builds, output: str, content: str):
        self.builds = builds
        self.output = output
        self.root = os.path.dirname(content)  # files are named as content/news/…

    def on_batch(self, batch) -> None:
        if batch.posts:
            self.fast_path(batch.posts)
        if batch.build:
            self.builds.request(settings_changed=batch.settings_changed)

    def fast_path(self, posts) -> None:
        from .fast_path import Declined, PostError, refresh_post

        for path in posts:
            started = time.perf_counter()
            outcome, written = "shown", []
            with self.builds.model_lock:
                model = self.builds.model
                if model is None:
                    outcome = "waiting for the first build"
                else:
                    try:
                        written = refresh_post(model, path, self.output)
                    except Declined as why:
                        outcome = f"left to the background build ({why})"
                    except PostError as error:
                        outcome = "error"
                        say(f"preview: {error}")
                    except Exception as error:  # never stop serving; the build will say more
                        outcome = "error"
                        say(f"preview: {os.path.relpath(path, self.root)}: not shown at once "
                            f"({type(error).__name__}: {' '.join(str(error).split())}); the background build follows")
            seconds = round(time.perf_counter() - started, 3)
            record = {"file": os.path.relpath(path, self.root), "outcome": outcome, "seconds": seconds,
                      "written": written, "done_at": time.time()}
            self.builds.fast_paths.append(record)
            del self.builds.fast_paths[:-20]
            if outcome == "shown":
                say(f"preview: {record['file']} shown in {seconds} s ({len(written)} page(s) written); "
                    "the rest of the site follows in the background")


@guarded
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make serve", description=__doc__.split("\n\n")[1])
    parser.add_argument("--content", default="content")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default="output")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--quick", action="store_true", help="简体 and English only, without search")
    args = parser.parse_args(argv)

    content = os.path.abspath(content_folder(args.content))
    settings_path = os.path.abspath(settings_file(args.settings))
    output = os.path.abspath(output_folder(args.output))
    overrides = {"PATH": content, "OUTPUT_PATH": output}
    if args.quick:
        overrides.update(QUICK_OVERRIDES)
    settings = load_settings(settings_path)  # the settings file must load before we serve anything
    os.makedirs(output, exist_ok=True)
    _init_logging()

    import watchfiles

    from .builds import Builds
    from .server import make_server
    from .watch import classify

    # The HTTP server shares the interpreter with the builds: hand it the processor more often than
    # the default 5 ms, so that pages are served briskly while a build runs.
    sys.setswitchinterval(0.001)
    builds = Builds(settings_path, overrides, say=say)
    server = make_server(output, args.bind, args.port, builds.status)
    threading.Thread(target=server.serve_forever, name="preview-http", daemon=True).start()
    say(f"preview: serving {output} on http://{args.bind}:{server.server_address[1]}/ — the first build runs; "
        "Ctrl-C stops")
    builds.start()
    preview = Preview(builds, output, content)
    theme = settings.get("THEME")
    watched = [content, settings_path] + ([theme] if theme and os.path.isdir(theme) else [])
    ignore = settings.get("IGNORE_FILES", [])
    try:
        for changes in watchfiles.watch(*watched, step=50, debounce=1600, raise_interrupt=False):
            batch = classify(changes, content=content, settings_file=settings_path, ignore_patterns=ignore)
            preview.on_batch(batch)
    finally:
        builds.stop()
        server.shutdown()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
