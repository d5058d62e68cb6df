"""A hostile copy of the association's site, served on 127.0.0.1, and hostile editors' posts.

Every payload tries to leave a trace a browser test can find: an element or id named ``pwn``
(``<pwn-x id="pwn">``), an ``on…`` handler or an ``alert('pwn')``.  The site puts markup —
real, entity-encoded and double-encoded — in every metadata source the crsa profile reads (the
<title>, meta tags, the h1, the column, the summary, the source, image alt text, link text and
titles, file names), and ``javascript:``/``data:``/``vbscript:`` URLs, mixed-case and
entity-encoded, in every URL position (list links, body links, images, lazy-image attributes,
frames, forms, objects, meta refresh).
"""

from __future__ import annotations

import contextlib
import html
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

# Markup that would run script or add elements if it reached a page unescaped.
MARKUP = ("<pwn-x id=\"pwn\" onclick=\"alert('pwn')\">pwn</pwn-x><img src=x alt=pwn id=pwn onerror=\"alert('pwn')\">"
          "</title><script>alert('pwn')</script><svg onload=\"alert('pwn')\"></svg>")
ESCAPED = html.escape(MARKUP)                 # shows as text on the source page; decodes to markup
DOUBLE = html.escape(ESCAPED)                 # decodes to markup in two steps
# Markup without text, so the column's plain text is still a column name (a column the profile
# does not know is refused by `make check`, markup or not).
COLUMN_MARKUP = html.escape("<img src=x alt=pwn id=pwn onerror=\"alert('pwn')\"><script>alert('pwn')</script>")
ATTRIBUTE_BREAK = "\" onmouseover=\"alert('pwn')\" data-pwn=\""

# Terminal escape sequences (clear the screen, set the window title, 8-bit CSI) and other control
# characters: `scraper page`, `crawl` and `doctor` print what they read from a page.
TERMINAL = "\x1b[2J\x1b]0;pwn\x07\x9b31m\x00\x0c\x7f"

# URLs that must never become live: every scheme the policy refuses, in the spellings browsers accept.
BAD_URLS = [
    "javascript:alert('pwn')",
    "JaVaScRiPt:alert('pwn')",
    "java&#x0A;script:alert('pwn')",
    "java&#x09;script:alert('pwn')",
    "&#106;avascript:alert('pwn')",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert('pwn')",
    " &#x01;javascript:alert('pwn')",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgncHduJyk8L3NjcmlwdD4=",
    "DaTa:text/html,<script>alert('pwn')</script>",
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    "vbscript:msgbox('pwn')",
    "VBScript:msgbox('pwn')",
]
# The crawled body's text: Markdown a converter might turn into live links or attributes.
TEXT_PAYLOADS = [
    "[点我](javascript:alert('pwn'))",
    "![图](javascript:alert('pwn'))",
    "[ref][x]\n\n[x]: javascript:alert('pwn')",
    "段落 {: onclick=\"alert('pwn')\" id=\"pwn\" }",
    "<javascript:alert('pwn')>",
    "\\[点我\\](javascript:alert('pwn'))",
]
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
# File names a reader sees (image and attachment links), each with markup or an attribute break.
HOSTILE_FILES = [
    "/upload/" + quote(MARKUP[:60]) + ".png",
    "/upload/a%22onerror%3D%22alert(%27pwn%27).png",
    "/upload/%3Cscript%3Ealert('pwn')%3C%2Fscript%3E.pdf",
]


def _body(article_id: int) -> str:
    links = "".join(f'<li><a href="{url}" title="{ATTRIBUTE_BREAK}">链接{i}</a></li>' for i, url in enumerate(BAD_URLS))
    images = "".join(f'<img src="{url}" alt="图{i}">' for i, url in enumerate(BAD_URLS[:4]))
    lazy = "".join(f'<img data-src="{url}" original="{url}" alt="懒">' for url in BAD_URLS[:3])
    texts = "".join(f"<p>{html.escape(t)}</p>" for t in TEXT_PAYLOADS)
    files = (f'<p><img src="{HOSTILE_FILES[0]}" alt="{ESCAPED}"><img src=\'{HOSTILE_FILES[1]}\' alt="{DOUBLE}">'
             f'<a href="{HOSTILE_FILES[2]}">附件{ESCAPED}</a></p>')
    return (
        f"<p>　　第{article_id}篇正文：{ESCAPED}，{DOUBLE}。{TERMINAL}</p>"
        f"<p>真实标记：{MARKUP}</p>"
        f"<ul>{links}</ul><p>{images}{lazy}</p>{texts}{files}"
        f'<p><a href="http://example.org/)[x](javascript:alert(\'pwn\')" title="t">括号</a>'
        f'<a href="https://example.org/" title="{ESCAPED}">链接文字{ESCAPED}</a>'
        f'<a href="https://example.org/{TERMINAL}x">终端{TERMINAL}</a></p>'
        "<iframe src=\"javascript:alert('pwn')\"></iframe><object data=\"javascript:alert('pwn')\"></object>"
        "<embed src=\"javascript:alert('pwn')\"><form action=\"javascript:alert('pwn')\"><button "
        "formaction=\"javascript:alert('pwn')\">go</button></form>"
        "<p style=\"background:url(javascript:alert('pwn'))\" onmouseover=\"alert('pwn')\">样式</p>"
        "<math><mi xlink:href=\"javascript:alert('pwn')\">m</mi></math>"
        "<table><tr><td colspan=\"2\" onclick=\"alert('pwn')\">表格</td></tr></table>"
    )


def article_page(article_id: int, *, profile_match: bool = True) -> str:
    """An article page in the live template, hostile in every place the profile reads.

    ``profile_match=False`` drops the body container, so the generic extractor (trafilatura,
    which reads <title>, og: tags and meta description) handles the page instead.
    """
    title = f"远程标题{article_id}{TERMINAL}"
    body = _body(article_id)
    container = (f'<div class="detail-txt" id="zoom">{body}</div>' if profile_match
                 else f"<article><h1>{title}{ESCAPED}</h1>{body}<p>{'正文。' * 40}</p></article>")
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        f"<title>{title}{ESCAPED}-中国道路交通安全协会</title>"
        f'<meta name="ArticleTitle" content="{title}{ESCAPED}">'
        f'<meta property="og:title" content="{title}{DOUBLE}">'
        f'<meta name="description" content="远程摘要{TERMINAL}{ESCAPED}{ATTRIBUTE_BREAK.replace(chr(34), "&quot;")}">'
        f'<meta name="keywords" content="{ESCAPED}">'
        '<meta name="PubDate" content="2022-03-04 08:15">'
        f'<meta name="ContentSource" content="远程来源{TERMINAL}{ESCAPED}">'
        f'<meta name="ColumnName" content="交管动态{COLUMN_MARKUP}">'
        "<meta http-equiv=\"refresh\" content=\"30;url=javascript:alert('pwn')\">"
        "<link rel=\"canonical\" href=\"javascript:alert('pwn')\">"
        "<base href=\"javascript:alert('pwn')//\">"
        "<script>alert('pwn')</script></head><body>"
        '<div class="top">中国道路交通安全协会主办</div><div class="nav"><a href="/">首页</a></div>'
        '<div class="detail"><div class="detail-side"><div class="date"><p class="year">2022</p><p class="md">03-04</p></div>'
        f'<div class="lanmu"><a href="javascript:alert(\'pwn\')">交管动态{COLUMN_MARKUP}</a></div>'
        '<div class="tools"><a href="javascript:void(0);" onclick="alert(\'pwn\')" class="print">打印</a></div></div>'
        f'<div class="detail-con"><h1 class="detail-tit">{title}<b>粗</b>{ESCAPED}{MARKUP}</h1>'
        f'<div class="detail-zy">远程摘要{ESCAPED}{MARKUP}</div>{container}</div></div>'
        '<div class="hot"><div class="hot-tit">热门新闻</div></div>'
        '<div class="copyright"><h4>版权声明</h4></div><div class="foot">版权所有</div></body></html>'
    )


def list_page(ids) -> str:
    """The column list: the hostile articles, plus links with bad schemes the crawler must ignore."""
    items = [(f"/news/article/{i}", f"列表标题{TERMINAL}{ESCAPED}") for i in ids]
    items += [(url, f"坏链接{ESCAPED}") for url in BAD_URLS[:3]]
    lis = "".join(f'<li><span class="time">2022-03-04</span><a href="{h}" title="{t}">{t}</a></li>' for h, t in items)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>交管动态</title></head><body>'
            f'<div class="list-con"><ul class="news-list">{lis}</ul><div class="page"><span class="cur">1</span>'
            "</div></div></body></html>")


# The association's newer, script-rendered template (tests/fixtures/templates/nuxt): the profile's
# selectors miss it, and the visible layout plus the data the page embeds (window.__NUXT__, JSON-LD)
# give the article (scraper/layout.py, embedded.py, jsliteral.py).  Markup in the visible title, the
# body, and in every field of the embedded data, written as JavaScript/JSON escapes too (`\u003C`,
# `<\/script>`), so decoding the data yields live markup.
LAYOUT_TEMPLATE = (Path(__file__).resolve().parents[1] / "fixtures" / "templates" / "nuxt" / "site"
                   / "article-12001.html")
_JS_MARKUP = MARKUP.replace("<", "\\u003C").replace(">", "\\u003E").replace("/", "\\u002F").replace('"', '\\"')


def layout_page(article_id: int) -> str:
    page = LAYOUT_TEMPLATE.read_text(encoding="utf-8")
    title = "保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案"
    hostile_title = f"远程标题{article_id}"
    page = page.replace(f"<title>{title}", f"<title>{hostile_title}{ESCAPED}", 1)
    page = page.replace(f'<div class="art-head__title">{title}', f'<div class="art-head__title">{hostile_title}{ESCAPED}{MARKUP}', 1)
    page = page.replace(f'title:"{title}"', f'title:"{hostile_title}{_JS_MARKUP}"')
    page = page.replace('<div class="ql-editor"><p>', f'<div class="ql-editor"><p>{MARKUP}{ESCAPED}</p><p>', 1)
    page = page.replace("\\u003Cp\\u003E", "\\u003Cp\\u003E" + _JS_MARKUP, 1)
    page = page.replace('"中国道路交通安全协会",null));', f'"远程来源{_JS_MARKUP}",null));')
    json_ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                          "headline": hostile_title + MARKUP, "description": "远程摘要" + MARKUP,
                          "articleBody": MARKUP + "正文。" * 30, "datePublished": "2021-12-20T08:00:00+08:00",
                          "articleSection": "交管动态" + MARKUP, "url": "javascript:alert('pwn')",
                          "image": "javascript:alert('pwn')"}, ensure_ascii=False).replace("</", "<\\/")
    return page.replace("</head>", f'<script type="application/ld+json">{json_ld}</script></head>', 1)


ARTICLE_IDS = (9001, 9002)          # matched by the profile
FALLBACK_IDS = (9003,)              # left to the generic extractor
LAYOUT_IDS = (9004,)                # read by the layout and the embedded data


def routes() -> dict[str, tuple[str, bytes]]:
    """path → (content type, body) of the hostile site."""
    page = "text/html; charset=utf-8"
    found = {
        "/robots.txt": ("text/plain", b"User-agent: *\nCrawl-delay: 0.001\n"),
        "/news/list/12": (page, list_page(ARTICLE_IDS + FALLBACK_IDS + LAYOUT_IDS).encode()),
    }
    for i in ARTICLE_IDS:
        found[f"/news/article/{i}"] = (page, article_page(i).encode())
    for i in FALLBACK_IDS:
        found[f"/news/article/{i}"] = (page, article_page(i, profile_match=False).encode())
    for i in LAYOUT_IDS:
        found[f"/news/article/{i}"] = (page, layout_page(i).encode())
    return found


class _Handler(http.server.BaseHTTPRequestHandler):
    site: dict[str, tuple[str, bytes]] = {}

    def do_GET(self):  # noqa: N802 (http.server's naming)
        path = urlsplit(self.path).path
        if path in self.site:
            content_type, body = self.site[path]
        elif unquote(path).startswith("/upload/") and path.endswith(".png"):
            content_type, body = "image/png", PNG
            # (Attachments are not served: the post then links to the original address.  A downloaded
            # one, an {attach} link, does not build yet — see the report of issue 11.)
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def hostile_server():
    """The hostile site on 127.0.0.1 (a free port) while the block runs; yields its base URL."""
    handler = type("HostileHandler", (_Handler,), {"site": routes()})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- hostile editors' posts -------------------------------------------------------------------------

GOOD_HEAD = {
    "Title": "编辑文章",
    "Date": "2022-05-06 10:00",
    "Category": "交管动态",
    "Slug": "editor-post",
    "Summary": "一段摘要。",
    "Tags": "安全, 交通",
    "Source": "新华社",
    "Source_url": "https://example.org/news/1",
}
GOOD_BODY = "正文第一段。\n\n## 小标题\n\n正文第二段。\n"


def post_text(head: dict[str, str], body: str = GOOD_BODY) -> str:
    return "".join(f"{k}: {v}\n" for k, v in head.items()) + "\n" + body


def _field(key: str, value: str) -> tuple[str, int]:
    head = dict(GOOD_HEAD, **{key: value})
    return post_text(head), list(head).index(key) + 1


def _body_case(body: str, needle: str) -> tuple[str, int]:
    text = post_text(GOOD_HEAD, body)
    return text, next(n for n, line in enumerate(text.splitlines(), 1) if needle in line and n > len(GOOD_HEAD))


# name → (file text, the line `make check` must name).  Every one must be refused by `make check` and
# by the build.
HOSTILE_POSTS: dict[str, tuple[str, int]] = {
    "title-script": _field("Title", "标题<script>alert('pwn')</script>"),
    "title-entities": _field("Title", "标题 &lt;/title&gt;&lt;script&gt;alert('pwn')&lt;/script&gt;"),
    "title-img": _field("Title", "标题<img src=x alt=pwn id=pwn onerror=alert('pwn')>"),
    "summary-img": _field("Summary", "摘要<img src=x alt=pwn id=pwn onerror=alert('pwn')>"),
    "summary-link": _field("Summary", "摘要[点我](javascript:alert('pwn'))"),
    "tags": _field("Tags", "安全, <img src=x alt=pwn id=pwn onerror=alert('pwn')>"),
    "source": _field("Source", "新华社<script>alert('pwn')</script>"),
    "source-url-js": _field("Source_url", "javascript:alert('pwn')"),
    "source-url-mixed-case": _field("Source_url", "JaVaScRiPt:alert('pwn')"),
    "source-url-entity": _field("Source_url", "java&#x0A;script:alert('pwn')"),
    "source-url-data": _field("Source_url", "data:text/html,<script>alert('pwn')</script>"),
    "source-url-attribute-break": _field("Source_url", "https://example.org/\"onmouseover=\"alert('pwn')"),
    "url-attribute-break": _field("URL", ATTRIBUTE_BREAK),
    "url-javascript": _field("URL", "javascript:alert('pwn')"),
    "save-as-attribute-break": _field("Save_as", "pwn\" onmouseover=\"alert('pwn').html"),
    "category": _field("Category", "交管动态<script>alert('pwn')</script>"),
    "slug": _field("Slug", "<script>alert('pwn')</script>"),
    "heading": _body_case("正文。\n\n## 小标题<script>alert('pwn')</script>\n\n正文。\n", "## "),
    "body-script": _body_case("正文。\n\n<script>alert('pwn')</script>\n", "<script"),
    "body-img-onerror": _body_case("正文。\n\n<img src=\"x.png\" id=\"pwn\" onerror=\"alert('pwn')\">\n", "<img"),
    "body-markdown-js-link": _body_case("正文。\n\n[a](javascript:alert('pwn'))\n", "[a]"),
    "body-markdown-mixed-case": _body_case("正文。\n\n[a](JaVaScRiPt:alert('pwn'))\n", "[a]"),
    "body-markdown-data-image": _body_case("正文。\n\n![x](data:image/svg+xml;base64,PHN2Zz4=)\n", "![x]"),
    "body-reference-vbscript": _body_case("正文 [a][1]。\n\n[1]: vbscript:msgbox('pwn')\n", "[1]:"),
    "body-html-entity-url": _body_case("正文。\n\n<a href=\"java&#x0A;script:alert('pwn')\">a</a>\n", "<a "),
    "body-attr-list": _body_case("正文段落\n{: onclick=\"alert('pwn')\" }\n", "onclick"),
    "body-iframe": _body_case("正文。\n\n<iframe src=\"javascript:alert('pwn')\"></iframe>\n", "<iframe"),
    "body-svg": _body_case("正文。\n\n<svg onload=\"alert('pwn')\"></svg>\n", "<svg"),
    "body-control-characters": _body_case(f"正文。\n\n终端转义{TERMINAL}第二段。\n", "终端转义"),
    "body-style": _body_case("正文。\n\n<p style=\"color:red\">红字</p>\n", "style="),
}
# A translation whose title is hostile (its original, `translated-original`, is clean).
HOSTILE_TRANSLATION = post_text(dict(GOOD_HEAD, Title="Title<script>alert('pwn')</script>", Slug="translated-original",
                                     Lang="en"))
CLEAN_ORIGINAL = post_text(dict(GOOD_HEAD, Slug="translated-original"))

# Plain text that looks like markup but is not: accepted, and shown exactly as written — in pages,
# attributes (description, aria-label), feeds, search results and related/previous/next links.  A
# template or script that forgot to escape, or decoded once too often, shows its trace: the
# attribute break adds `data-pwn` and `onmouseover`; `{words}`, `%(x)s` and `]]>` test string
# formatting and CDATA.
PLAIN_TRAPS = " < img src=x onerror=alert('pwn')> {words} {page} %(x)s ]]>" + ATTRIBUTE_BREAK
TRICKY_TITLE = "车速 5<6 & 7>3，“引号” \"quotes\" 'single' & R&D" + PLAIN_TRAPS
TRICKY_SUMMARY = "摘要 5<6 & \"q\"" + PLAIN_TRAPS
TRICKY_POST = post_text(dict(GOOD_HEAD, Title=TRICKY_TITLE, Slug="tricky-plain-text",
                             Summary=TRICKY_SUMMARY, Tags="R&D, 5<6, a" + ATTRIBUTE_BREAK + "b",
                             Source="新华社 \"A&B\"" + PLAIN_TRAPS, Source_url="https://example.org/a?b=1&c=2"),
                        "车速 5<6 的正文" + PLAIN_TRAPS + "\n\n第二段 .* (a+)+$ [ \\ 正文。\n")
