"""A separate-process HTTP server for memory measurements (an in-process server's own
allocations would be counted by tracemalloc). Serves /big (50 MB, chunked, generated)
and /bomb (gzip: 200 MB of zeros inflated)."""

import gzip
import http.server

BOMB = gzip.compress(b"\0" * (200 * 2**20), compresslevel=9)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        try:
            if self.path == "/bomb":
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(BOMB)))
                self.end_headers()
                self.wfile.write(BOMB)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<p>" + b"x" * 65533
                for _ in range(800):
                    self.wfile.write(b"10000\r\n" + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
