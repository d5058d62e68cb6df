"""The preview's HTTP server: the output folder as it is on disk, never from a browser cache.

Every answer says ``Cache-Control: no-store`` and a request's ``If-Modified-Since`` is ignored (a
page rewritten within the second it was last read must not be answered "304 Not Modified").
``/_preview/status`` answers the state of the builds as JSON (``builds.Builds.status``): the bench
and the tests wait on it.
"""

from __future__ import annotations

import functools
import http.server
import json

STATUS_PATH = "/_preview/status"


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    status = None  # a callable returning a dict, set by make_server

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def do_GET(self):
        if self.path.split("?", 1)[0] == STATUS_PATH:
            body = json.dumps(self.status(), ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def make_server(folder: str, bind: str, port: int, status) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (PreviewHandler,), {"status": staticmethod(status)})
    http.server.ThreadingHTTPServer.allow_reuse_address = True
    server = http.server.ThreadingHTTPServer((bind, port), functools.partial(handler, directory=folder))
    server.daemon_threads = True
    return server
