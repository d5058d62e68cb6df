"""A separate-process HTTP server for memory measurements (an in-process server's own
allocations would be counted by tracemalloc). Serves /big (50 MB, chunked, generated)
and /bomb (gzip: 200 MB of zeros inflated); and two slow drips for the request deadline:
/drip (headers at once, then the body one byte per second) and /drip-headers (the response
itself one byte per second), each DRIP_BYTES bytes long, so no read ever waits a whole second."""

import gzip
import http.server
import time

BOMB = gzip.compress(b"\0" * (200 * 2**20), compresslevel=9)
DRIP_BYTES = 40


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _drip(self, data: bytes) -> None:
        for i in range(len(data)):
            self.wfile.write(data[i:i + 1])
            self.wfile.flush()
            time.sleep(1)

    def do_GET(self):
        try:
            if self.path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(DRIP_BYTES))
                self.end_headers()
                self._drip(b"x" * DRIP_BYTES)
                return
            if self.path == "/drip-headers":
                head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: " + "y" * DRIP_BYTES
                self._drip(head.encode() + b"\r\nContent-Length: 0\r\n\r\n")
                return
        except OSError:   # the client gave up
            return
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
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()
