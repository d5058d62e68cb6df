"""Serving the association-like templates of tests/fixtures/templates/ over a real local HTTP server."""

from __future__ import annotations

import json
import re

from scraper_helpers import ROOT
from werkzeug import Response

TEMPLATES = ROOT / "tests" / "fixtures" / "templates"
NAMES = ("table-gbk", "nuxt", "semantic", "divs", "spans-gb18030", "state-json", "br-firewall")
HOT_IDS = ("10233", "9871")          # linked from the hot-news boxes only
COOKIE = "acw_tc"                    # what the live site's cloud firewall sets
CHALLENGE = ("<html><head><meta charset=\"utf-8\"></head><body><script>var arg1='3F2A9C';"
             "document.cookie='acw_sc__v2='+arg1;location.reload();</script></body></html>")


def serve_template(httpserver, name: str, robots: str, *, firewall: bool | str = False,
                   extra: dict | None = None) -> str:
    """Serve one template (routes.json; anything else is 404). With ``firewall`` the list pages set
    an ``acw_tc`` cookie and article pages refuse requests without it, as the live site's firewall does.
    With ``firewall="challenge"`` every request without the cookie (robots.txt included) gets a 403
    script-challenge page that sets it: a client that keeps cookies and asks again gets through."""
    folder = TEMPLATES / name
    routes = json.loads((folder / "routes.json").read_text(encoding="utf-8"))

    def handler(request):
        if firewall == "challenge" and COOKIE not in request.cookies:
            resp = Response(CHALLENGE, status=403, content_type="text/html; charset=utf-8")
            resp.set_cookie(COOKIE, "7c1e0a9b2d", path="/", httponly=True)
            return resp
        if request.path == "/robots.txt":
            return Response(robots, content_type="text/plain")
        key = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
        if extra and (key in extra or request.path in extra):   # a path given without query: every page of it
            body, ctype = extra.get(key) or extra[request.path]
            return Response(body, content_type=ctype)
        route = routes.get(key)
        if route is None:
            return Response("not found", status=404)
        if firewall is True and request.path.startswith("/news/article/") and COOKIE not in request.cookies:
            return Response("blocked by the firewall", status=405)
        resp = Response((folder / route["file"]).read_bytes(), content_type=route["content_type"])
        if firewall is True and request.path.startswith("/news/list/"):
            resp.set_cookie(COOKIE, "2f6a3b1c0d", path="/")
        return resp

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)
    return httpserver.url_for("/").rstrip("/")


def expected_posts(name: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((TEMPLATES / name / "expected").glob("*.md"))}
