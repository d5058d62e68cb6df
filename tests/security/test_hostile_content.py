"""Hostile content never runs as script in a reader's browser (issue 11).

* A hostile copy of the association's site (hostile_site.py) is crawled by the real scraper from
  127.0.0.1: it writes plain-text metadata and a body that renders to the policy's HTML only, and
  `make check` accepts what it wrote.
* The crawl, the project's own posts and a post of tricky-but-legal plain text are built with the
  project's settings; every page of every language is loaded in Debian's chromium over HTTP and from
  file://, and any dialog, injected element, on… handler, javascript:/vbscript:/data: URL, CSP
  violation or script error fails the test.
* Hostile editors' posts (a payload in every front-matter field and in the body) are each named
  with file:line by `make check`, and the build refuses every one of them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from build_helpers import ROOT, run_pelican, serving
from hostile_site import (
    ARTICLE_IDS,
    ATTRIBUTE_BREAK,
    CLEAN_ORIGINAL,
    FALLBACK_IDS,
    GOOD_HEAD,
    HOSTILE_POSTS,
    HOSTILE_TRANSLATION,
    LAYOUT_IDS,
    PLAIN_TRAPS,
    TRICKY_POST,
    TRICKY_SUMMARY,
    TRICKY_TITLE,
    hostile_server,
    layout_page,
)

from plugins.content_check.checker import check_content, load_settings
from plugins.content_guard import safety

# Collects CSP violations before any page script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
});
"""
# What a hostile input could have left in the DOM.
DOM_PROBE = r"""() => {
  const found = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'srcset', 'xlink:href',
                         'background', 'cite', 'ping'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (tag.startsWith('pwn') || el.id === 'pwn' || el.hasAttribute('data-pwn')) found.push(`injected <${tag}>`);
    if (['iframe', 'frame', 'object', 'embed', 'base', 'meta'].includes(tag)
        && !(tag === 'meta' && el.closest('head'))) found.push(`<${tag}> element`);
    if (tag === 'meta' && (el.httpEquiv || '').toLowerCase() === 'refresh') found.push('meta refresh');
    if (tag === 'script' && !el.src) found.push('inline <script>');
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) found.push(`${name}= on <${tag}>`);
      if (urlAttributes.includes(name)) {
        const value = attribute.value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '').toLowerCase();
        if (/^(javascript|vbscript):/.test(value) || (value.startsWith('data:') && !(tag === 'img' && value.startsWith('data:image/'))))
          found.push(`${name}="${attribute.value.slice(0, 40)}" on <${tag}>`);
      }
    }
  }
  return found;
}"""


# --- the crawl and the build (once for the module) ------------------------------------------------

@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    """The hostile site crawled by the real scraper into a content folder of its own."""
    from scraper.crawl import Crawler
    from scraper.profile import load_profile

    profile = load_profile()
    profile = dataclasses.replace(profile, http=dataclasses.replace(
        profile.http, delay_seconds=0.0, timeout_seconds=5.0, max_attempts=1))
    work = tmp_path_factory.mktemp("hostile-crawl")
    with hostile_server() as url:
        stats = Crawler(profile, content_dir=work / "content", state_dir=work / "state", base_url=url,
                        columns=[12], delay=0.0).run()
    assert (stats.new, stats.failed) == (len(ARTICLE_IDS) + len(FALLBACK_IDS) + len(LAYOUT_IDS), 0), stats
    return work / "content"


@pytest.fixture(scope="module")
def hostile_content(crawled, tmp_path_factory) -> Path:
    """content/ + the crawl + a tricky plain-text post (and its English translation), checked."""
    work = tmp_path_factory.mktemp("hostile-site")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(crawled / "news", content / "news", dirs_exist_ok=True)
    folder = content / "news" / "traffic" / "2022"
    (folder / "tricky.md").write_text(TRICKY_POST, encoding="utf-8")
    english = TRICKY_POST.replace(f"Title: {TRICKY_TITLE}", "Title: Speed 5<6 & \"quoted\" 'R&D'" + PLAIN_TRAPS)
    (folder / "tricky.en.md").write_text(english.replace("Source_url:", "Lang: en\nSource_url:"), encoding="utf-8")
    # Untranslated too: the English column pages list it (partials/untranslated_list.html).
    (folder / "tricky-untranslated.md").write_text(TRICKY_POST.replace("Slug: tricky-plain-text", "Slug: tricky-untranslated")
                                                   .replace("2022-05-06", "2022-05-05"), encoding="utf-8")
    problems, _count = check_content(content, load_settings(ROOT / "pelicanconf.py"), relative_to=work)
    assert problems == [], "\n".join(map(str, problems))
    return content


@pytest.fixture(scope="module")
def hostile_site(hostile_content) -> Path:
    """The hostile content built as `make site` builds (relative URLs, opened over HTTP or from disk)."""
    output = hostile_content.parent / "output"
    result = run_pelican(hostile_content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="module")
def hostile_publish(hostile_content) -> Path:
    """The same built as `make publish` builds: absolute URLs, feeds, sitemap.xml, QR codes."""
    output = hostile_content.parent / "public"
    result = run_pelican(hostile_content, output, settings="publishconf.py")
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def crawled_posts(crawled: Path) -> list[Path]:
    posts = sorted(crawled.rglob("crsa-*.md"))
    assert len(posts) == len(ARTICLE_IDS) + len(FALLBACK_IDS) + len(LAYOUT_IDS)
    return posts


# --- the scraper neutralises ----------------------------------------------------------------------

def test_the_crawl_writes_plain_text_metadata_and_safe_links(crawled):
    for post in crawled_posts(crawled):
        assert not CONTROLS.search(post.read_text(encoding="utf-8")), post.name
        head, _, body = post.read_text(encoding="utf-8").partition("\n\n")
        meta = {k.lower(): v for k, v in (line.split(": ", 1) for line in head.splitlines())}
        assert meta["title"].startswith("远程标题") and meta["category"] == "交管动态", meta
        assert meta["source_url"].startswith("https://www.crsa.net/news/article/"), meta
        assert safety.metadata_problems(meta) == [], (post.name, meta)
        for key in ("title", "summary", "source"):
            assert "<" not in meta[key] and "&" not in meta[key], (post.name, key, meta[key])
        # The body as Pelican renders it holds only the policy's elements, attributes and URLs.
        from plugins.content_check.safety_check import render

        rendered = render(body, load_settings(ROOT / "pelicanconf.py"))
        assert safety.html_problems(rendered) == [], post.name


def static_problems(output: Path) -> tuple[int, list[str]]:
    """What the browser test looks for, read from the files: (pages read, problems)."""
    problems = []
    pages = sorted(output.rglob("*.html"))
    for page in pages:
        rel = page.relative_to(output)
        doc = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag.startswith("pwn") or el.get("id") == "pwn" or el.get("data-pwn") is not None:
                problems.append(f"{rel}: injected <{el.tag}>")
            if el.tag == "script" and not el.get("src"):
                problems.append(f"{rel}: inline <script>")
            for name, value in el.items():
                if name.lower().startswith("on"):
                    problems.append(f"{rel}: {name}= on <{el.tag}>")
                if name in ("href", "src", "action") and not safety.url_allowed(value):
                    problems.append(f"{rel}: {name}={value[:40]!r} on <{el.tag}>")
    return len(pages), problems


CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_the_scraper_prints_no_terminal_escape_sequences(tmp_path):
    """`scraper page`, `doctor` and `crawl` print titles, text, URLs and reports read from hostile
    pages (escape sequences in the title, meta tags, body, links, list): what reaches the editor's
    terminal has no control character but line breaks, and no command shows a traceback."""
    commands = [["page", f"/news/article/{FALLBACK_IDS[0]}"],
                ["doctor", f"/news/article/{ARTICLE_IDS[0]}"]]
    problems = []
    with hostile_server() as url:
        runs = [[*command[:-1], url + command[-1]] for command in commands]
        runs.append(["-v", "crawl", "--base-url", url, "--column", "12", "--delay", "0", "--no-progress",
                     "--content-dir", str(tmp_path / "content"), "--state-dir", str(tmp_path / "state")])
        # (side by side: most of each run is importing the scraper)
        running = [(args, subprocess.Popen([sys.executable, "-m", "scraper", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, env=dict(os.environ, COLUMNS="200")))
                   for args in runs]
        for args, process in running:
            output = process.communicate(timeout=120)[0].decode("utf-8", errors="replace")
            if CONTROLS.search(output):
                problems.append(f"{args[:2]}: {sorted(set(CONTROLS.findall(output)))!r}")
            if "Traceback" in output or process.returncode not in (0, 1, 3):
                problems.append(f"{args[:2]}: exit {process.returncode}\n{output[-1500:]}")
    assert not problems, "\n".join(problems)


def test_the_layout_page_is_read_from_its_layout_and_embedded_data():
    """The hostile copy of the newer template really goes through scraper/layout.py and the
    embedded-data readers (else the crawl above would not test them)."""
    from scraper.embedded import find_embedded
    from scraper.extract import parse_html
    from scraper.pipeline import process_page
    from scraper.profile import load_profile

    html = layout_page(LAYOUT_IDS[0])
    result = process_page(html, f"https://www.crsa.net/news/article/{LAYOUT_IDS[0]}", load_profile())
    assert result.path == "layout", result.misses
    embedded = find_embedded(parse_html(html))
    assert embedded is not None and "<" in embedded.title + embedded.body_html, embedded


def test_no_built_page_carries_script_markup(hostile_site):
    count, problems = static_problems(hostile_site)
    assert count > 40
    assert not problems, "\n".join(problems[:30])


def test_no_published_page_carries_script_markup(hostile_publish):
    """The publish build adds absolute URLs and the QR codes (inline SVG) of every article."""
    count, problems = static_problems(hostile_publish)
    assert count > 40 and "<svg" in (hostile_publish / "news" / "2022" / "05" / "tricky-plain-text.html").read_text()
    assert not problems, "\n".join(problems[:30])


def test_tricky_plain_text_is_shown_exactly_as_written(hostile_site):
    page = hostile_site / "news" / "2022" / "05" / "tricky-plain-text.html"
    doc = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    assert doc.find(".//h1").text == TRICKY_TITLE
    assert doc.find("./head/title").text.startswith(TRICKY_TITLE + " - ")
    description = next(m for m in doc.iter("meta") if m.get("name") == "description")
    assert description.get("content") == TRICKY_SUMMARY
    # The canonical is the page itself (docs/publishing.md); the source URL is the 原文链接.
    canonical = next(link for link in doc.iter("link") if link.get("rel") == "canonical")
    assert canonical.get("href").endswith("tricky-plain-text.html")
    source = next(a for a in doc.iter("a") if a.get("rel") == "external noopener")
    assert source.get("href") == "https://example.org/a?b=1&c=2"
    # The English column lists it among the articles not translated yet, as written.
    english = html5lib.parse((hostile_site / "en" / "news" / "traffic" / "index.html").read_text(encoding="utf-8"),
                             namespaceHTMLElements=False)
    assert TRICKY_TITLE in ["".join(a.itertext()) for a in english.iter("a")]


# --- the browser: every page of every language, over HTTP and from file:// -----------------------

@contextlib.contextmanager
def watched_page(browser):
    """A chromium page that records dialogs, script errors and console errors in ``events``."""
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message!r}"), dialog.dismiss()))
    page.on("pageerror", lambda error: events.append(f"script error {error}"))
    page.on("console", lambda msg: events.append(f"console {msg.text}")
            if msg.type == "error" and "Failed to load resource" not in msg.text else None)
    try:
        yield page, events
    finally:
        context.close()


def page_problems(page, events: list[str]) -> list[str]:
    """What a hostile input left in the loaded page: injected elements, script URLs, CSP
    violations, dialogs and script errors (``events`` is emptied)."""
    found = page.evaluate(DOM_PROBE) + [f"CSP {v}" for v in page.evaluate("window.__cspViolations")] + events
    events.clear()
    return found


def roots(site: Path):
    """The built site over HTTP and from file://, as base URLs ending in '/'."""
    with serving(site) as http_root:
        yield http_root
    yield site.resolve().as_uri() + "/"


@pytest.mark.browser
def test_every_page_in_chromium_over_http_and_file(hostile_site, browser):
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    # Search results draw hostile titles and text too.
    extra = [f"{prefix}search.html?q=%E8%BF%9C%E7%A8%8B" for prefix in ("", "zh-hant/")
             if (hostile_site / prefix / "search.html").is_file()]
    problems = []
    for root in roots(hostile_site):
        with watched_page(browser) as (page, events):
            for path in pages + extra:
                page.goto(root + path, wait_until="load")
                if "search.html?q=" in path:
                    page.wait_for_selector("[data-search-results] li", timeout=5000)
                problems += [f"{root.split(':')[0]} {path}: {item}" for item in page_problems(page, events)]
    assert len(pages) > 40
    assert not problems, "\n".join(problems[:40])


# --- hostile URL parameters: the scripts that read the address ----------------------------------

PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype"]
MARKUP_PARAM = "<img src=x id=pwn onerror=alert('pwn')><script>alert('pwn')</script>" + ATTRIBUTE_BREAK
SEARCH_ATTACKS = [
    # every parameter holding markup, an attribute break or a script URL
    {"q": MARKUP_PARAM, "column": MARKUP_PARAM, "year": "javascript:alert('pwn')", "sort": MARKUP_PARAM,
     "page": "-1e309"},
    # object prototype names in every parameter (search data is read from own properties only)
    {"q": " ".join(PROTOTYPE_NAMES), "column": "__proto__", "year": "constructor", "sort": "toString",
     "page": "__proto__"},
    # huge values
    {"q": "远程" * 2000, "column": "x" * 20000, "page": "9" * 400},
    # a real search whose results carry the tricky title, far past the last page
    {"q": "车速", "sort": "date", "page": "99999"},
]
HIGHLIGHT_ATTACKS = [
    # regular-expression syntax and catastrophic-backtracking shapes are searched as literal text
    # (8 words of at most 100 characters are read: the markup is one of them)
    [".*", "(a+)+$", "[", "\\", "车速", "constructor", "<img src=x id=pwn onerror=alert('pwn')>", ATTRIBUTE_BREAK],
    ["a" * 100_000, "(" * 5000] + ["正文"] * 3 + [f"词{i}" * 40 for i in range(500)],
]
FROM_ATTACKS = ["javascript:alert('pwn')", "JaVaScRiPt:alert('pwn')//.html", "//evil.example/x.html",
                "https://evil.example/x.html", "/\\evil.example/x.html", "news/../../../etc/x.html",
                "%2F%2Fevil.example%2Fx.html", "data:text/html,<script>alert('pwn')</script>.html",
                "x.html\" onmouseover=\"alert('pwn')"]


@pytest.mark.browser
def test_hostile_url_parameters_in_chromium(hostile_site, browser):
    """search.html (?q=&column=&year=&sort=&page=), an article's ?highlight= and every page's
    ?from= (the 'not translated yet' notice) with hostile values: nothing injected, no script
    URL, no CSP violation, no dialog, no script error, and each script does its job."""
    from urllib.parse import urlencode

    article = "news/2022/05/tricky-plain-text.html"
    problems = []
    for root in roots(hostile_site):
        scheme = root.split(":")[0]
        with watched_page(browser) as (page, events):
            for params in SEARCH_ATTACKS:
                page.goto(root + "search.html?" + urlencode(params), wait_until="load")
                page.wait_for_selector("form[data-search-done]", timeout=10000)
                problems += [f"{scheme} search {str(params)[:60]}: {p}" for p in page_problems(page, events)]
                for href in page.eval_on_selector_all(".lang-toggle a[href]", "els => els.map(a => a.href)"):
                    assert href.startswith(root) and "search.html" in href, href
            # The tricky title is a result, shown as written, linking to its article with the words.
            titles = page.eval_on_selector_all("[data-search-results] a", "els => els.map(a => [a.textContent, a.href])")
            assert [TRICKY_TITLE] == [t for t, _h in titles if "tricky-plain-text" in _h], titles

            for words in HIGHLIGHT_ATTACKS:
                page.goto(root + article + "?" + urlencode([("highlight", w) for w in words]), wait_until="load")
                problems += [f"{scheme} highlight {words[0][:20]}: {p}" for p in page_problems(page, events)]
            # The last one found nothing usable but 正文; the first marks each literal string.
            page.goto(root + article + "?" + urlencode([("highlight", w) for w in HIGHLIGHT_ATTACKS[0]]))
            marked = set(page.eval_on_selector_all("mark", "els => els.map(m => m.textContent)"))
            assert {".*", "(a+)+$", "[", "\\", "车速"} <= marked, marked
            page.click("[data-highlight-bar] button")
            assert page.eval_on_selector_all("mark", "els => els.length") == 0
            if scheme == "http":
                assert "highlight" not in page.url
            problems += [f"{scheme} highlight cleared: {p}" for p in page_problems(page, events)]

            for value in FROM_ATTACKS:
                page.goto(root + "en/index.html?" + urlencode({"from": value}) + "#untranslated", wait_until="load")
                assert page.eval_on_selector("[data-back-to-article]", "a => a.hidden"), value
                problems += [f"{scheme} from={value[:30]}: {p}" for p in page_problems(page, events)]
            page.goto(root + "en/index.html?from=" + article + "#untranslated", wait_until="load")
            assert page.eval_on_selector("[data-back-to-article]", "a => !a.hidden && a.href") == root + article
    assert not problems, "\n".join(problems[:40])


# --- hostile editors' posts -------------------------------------------------------------------------

def write_hostile_posts(content: Path) -> dict[str, tuple[str, int]]:
    """Each hostile post in its own file (its own slug); name → (path relative to content's parent, line)."""
    folder = content / "news" / "traffic" / "2022"
    folder.mkdir(parents=True)
    expected = {}
    for name, (text, line) in HOSTILE_POSTS.items():
        if name != "slug":
            text = text.replace(f"Slug: {GOOD_HEAD['Slug']}", f"Slug: hostile-{name}")
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
        expected[name] = (f"content/news/traffic/2022/{name}.md", line)
    (folder / "translated.md").write_text(CLEAN_ORIGINAL, encoding="utf-8")
    (folder / "translated.en.md").write_text(HOSTILE_TRANSLATION, encoding="utf-8")
    title_line = next(n for n, line in enumerate(HOSTILE_TRANSLATION.splitlines(), 1) if line.startswith("Title:"))
    expected["english-title"] = ("content/news/traffic/2022/translated.en.md", title_line)
    return expected


def test_make_check_names_every_hostile_post_with_its_line(tmp_path):
    expected = write_hostile_posts(tmp_path / "content")
    problems, _count = check_content(tmp_path / "content", load_settings(ROOT / "pelicanconf.py"), relative_to=tmp_path)
    reported = {(p.path, p.line) for p in problems}
    missing = {name: where for name, where in expected.items() if where not in reported}
    assert not missing, "not reported: " + repr(missing) + "\n" + "\n".join(map(str, problems))
    assert {p.path for p in problems} == {path for path, _line in expected.values()}
    assert all(" — " in str(p) for p in problems), "each problem says how to fix it"


def test_the_build_refuses_every_hostile_post(tmp_path):
    expected = write_hostile_posts(tmp_path / "content")
    result = run_pelican(tmp_path / "content", tmp_path / "output")
    log = re.sub(r"\s+", " ", result.stdout + result.stderr)
    assert result.returncode != 0
    missing = [path for path, _line in expected.values() if f"news/traffic/2022/{Path(path).name}" not in log]
    assert not missing, f"the build did not name {missing}:\n{log[-3000:]}"
    assert not (tmp_path / "output" / "news" / "2022").exists(), "nothing was written"


# --- feeds, sitemap.xml and robots.txt (publish build) ------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
TEXT_ELEMENTS = {"title", "name", "category", "id", "guid", "language", "lastBuildDate", "pubDate", "updated",
                 "published", "creator"}
HTML_ELEMENTS = {"content", "summary", "description"}


def test_feeds_carry_hostile_text_only_as_text(hostile_publish):
    """Every feed of every language and column is well-formed XML whose titles, names and categories
    are plain text (markup neither raw nor escaped twice), whose entry HTML passes the body policy,
    whose links are the site's own http(s) addresses — and a feed reader (feedparser) shows the
    tricky title exactly as the page does."""
    import feedparser
    from lxml import etree

    feeds = sorted(hostile_publish.rglob("feeds/*.xml"))
    assert len(feeds) >= 12, feeds
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    problems = []
    for feed in feeds:
        rel = feed.relative_to(hostile_publish)
        root = etree.parse(str(feed), parser).getroot()
        for el in root.iter():
            if not isinstance(el.tag, str):
                problems.append(f"{rel}: {el.tag} node")
                continue
            name = etree.QName(el).localname
            text = el.text or ""
            if name in TEXT_ELEMENTS:
                for value in (text, el.get("term") or ""):
                    if safety.plain_text_problem(name, value):
                        problems.append(f"{rel}: <{name}> {value[:60]!r}")
            elif name in HTML_ELEMENTS and text:
                problems += [f"{rel}: <{name}> {finding.en}" for _n, finding in safety.html_problems(text)]
            for url in [el.get("href")] + ([text] if name == "link" else []):
                if url and not url.startswith("https://news.crsa.example/"):
                    problems.append(f"{rel}: link {url[:60]!r}")
        if etree.QName(root).localname == "feed":
            assert root.find(f"{ATOM}title") is not None
    assert not problems, "\n".join(problems[:30])
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/traffic.atom.xml"):
        parsed = feedparser.parse((hostile_publish / name).read_bytes())
        assert not parsed.bozo, (name, parsed.bozo_exception)
        entry = next(e for e in parsed.entries if e.link.endswith("/tricky-plain-text.html"))
        assert entry.title == TRICKY_TITLE, name
        assert sorted(t.term for t in entry.tags) == sorted(["交管动态", "R&D", "5<6", "a" + ATTRIBUTE_BREAK + "b"])


def test_sitemap_and_robots_list_only_the_sites_own_addresses(hostile_publish):
    from lxml import etree

    root = etree.parse(str(hostile_publish / "sitemap.xml"), etree.XMLParser(resolve_entities=False)).getroot()
    urls = [el.text for el in root.iter("{*}loc")] + [el.get("href") for el in root.iter("{*}link")]
    assert len(urls) > 40
    assert all(url.startswith("https://news.crsa.example/") and safety.url_problem(url, key="loc") is None
               for url in urls), [u for u in urls if not u.startswith("https://news.crsa.example/")][:5]
    assert (hostile_publish / "robots.txt").read_text() == ("User-agent: *\nAllow: /\n\n"
                                                            "Sitemap: https://news.crsa.example/sitemap.xml\n")
