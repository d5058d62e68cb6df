"""Helpers shared by the site tests: the project root and a real Pelican build.

(Kept out of conftest.py: several test folders have their own conftest, and
``from conftest import …`` would reach whichever was imported last.)
"""

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def run_pelican(content: Path, output: Path, *extra: str, settings: str = "pelicanconf.py", env=None,
                fatal: str | None = "warnings"):
    """Build ``content`` into ``output`` with the project's settings; warnings are fatal (``fatal``)."""
    cmd = [
        sys.executable, "-m", "pelican", str(content),
        "-s", str(ROOT / settings), "-o", str(output), *(["--fatal", fatal] if fatal else []), *extra,
    ]
    full_env = dict(os.environ, COLUMNS="300", **(env or {}))
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=full_env, timeout=600)


# Debian's chromium, driven by Playwright (never a downloaded browser). As root it
# needs --no-sandbox; the other flags keep it off the (closed) network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-quic",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging every request."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path, handler=QuietHandler):
    """``folder`` over HTTP on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
