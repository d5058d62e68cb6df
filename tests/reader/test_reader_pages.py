"""Articles that lead somewhere, feeds people can find, pages search engines understand — over real
builds of the project's content plus a generated 60-article archive (reader_fixtures.py)."""

import datetime
import functools
import re
from pathlib import Path

import feedparser
from reader_support import SITEURL
from site_html import soup as parse

# Each page parsed once per session (the tests follow links from page to page).
soup = functools.lru_cache(maxsize=None)(parse)

pytest_plugins = ["reader_fixtures"]

LANG_PREFIXES = {"zh-Hans": "", "zh-Hant": "zh-hant/", "en": "en/"}
BCP47 = re.compile(r"^(x-default|[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?)$")
# Lighthouse's "link text" audit: descriptive text, not one of these (lower-cased, trimmed).
GENERIC_LINK_TEXT = {"click here", "click this", "go", "here", "this", "start", "right here", "more", "learn more",
                     "read more", "更多", "点击这里", "点击此处", "这里", "详情", "了解更多"}


def pages(site: Path):
    return sorted(p for p in site.rglob("*.html"))


def article_pages(site: Path):
    return sorted(site.glob("**/news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html"))


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file an href of ``page`` leads to (absolute SITEURL links or relative ones)."""
    href = href.split("#")[0].split("?")[0]
    if href.startswith(SITEURL + "/"):
        return site / href[len(SITEURL) + 1:]
    assert not re.match(r"^[a-z]+:", href), f"{page}: {href} leaves the site"
    return (page.parent / href).resolve()


def rel(site: Path, page: Path) -> str:
    return page.relative_to(site).as_posix()


# --- articles that lead somewhere -------------------------------------------------------------
def test_previous_and_next_stay_in_the_column_and_in_date_order(reader_dev):
    seen = 0
    for page in article_pages(reader_dev):
        doc = soup(page)
        column = doc.select_one(".detail__column a")["href"]
        date = doc.select_one(".date-block")["datetime"]
        for kind, newer in (("prev", False), ("next", True)):
            link = doc.select_one(f".article-nav a[rel={kind}]")
            if link is None:
                continue
            seen += 1
            target = resolve(reader_dev, page, link["href"])
            assert target.is_file(), f"{rel(reader_dev, page)}: {kind} {link['href']} is missing"
            other = soup(target)
            assert resolve(reader_dev, target, other.select_one(".detail__column a")["href"]) == \
                resolve(reader_dev, page, column), f"{rel(reader_dev, page)}: {kind} is in another column"
            other_date = other.select_one(".date-block")["datetime"]
            assert (other_date > date) == newer, f"{rel(reader_dev, page)}: {kind} is not {'newer' if newer else 'older'}"
            # and the other article links back
            back = other.select_one(f".article-nav a[rel={'prev' if kind == 'next' else 'next'}]")
            assert back is not None and resolve(reader_dev, target, back["href"]) == page.resolve()
    assert seen > 100


def test_related_articles_resolve_exclude_the_article_and_are_deterministic(reader_dev, reader_published,
                                                                              reader_published_again):
    with_related = 0
    for page in article_pages(reader_dev):
        links = [a["href"] for a in soup(page).select(".related a")]
        assert len(links) <= 5
        with_related += bool(links)
        for href in links:
            target = resolve(reader_dev, page, href)
            assert target.is_file() and target != page.resolve(), f"{rel(reader_dev, page)}: related {href}"
            assert LANG_PREFIXES[soup(target).html["lang"]] == LANG_PREFIXES[soup(page).html["lang"]]
    assert with_related > 0.8 * len(article_pages(reader_dev))
    for page in article_pages(reader_published):
        again = reader_published_again / rel(reader_published, page)
        assert [a["href"] for a in soup(page).select(".related a")] == \
            [a["href"] for a in soup(again).select(".related a")]


def test_side_lists_never_show_the_article_being_read(reader_dev):
    for page in article_pages(reader_dev):
        doc = soup(page)
        for link in doc.select(".side-lists a"):
            assert resolve(reader_dev, page, link["href"]) != page.resolve(), rel(reader_dev, page)


def test_article_shows_time_source_link_and_share_tools(reader_dev, reader_published):
    page = soup(reader_dev / "news/2021/12/crsa-4821.html")
    assert page.select_one(".detail__meta time").get_text().endswith("09:30")
    assert page.select_one(".detail__source-link a")["href"] == "https://www.crsa.net/news/article/4821"
    assert page.select_one("button[data-action=copy-link]") is not None
    # no QR code of a relative address (nothing a phone could open) in the development build...
    assert page.select_one(".share__qr svg") is None
    # ...one of the page's own absolute address in the publish build
    published = soup(reader_published / "en/news/2021/12/crsa-4821.html")
    assert published.select_one(".share__qr svg path") is not None
    assert published.select_one("[data-share-url]")["value"] == f"{SITEURL}/en/news/2021/12/crsa-4821.html"


def test_qr_code_encodes_the_page_address():
    import segno

    from plugins.share import qr_svg

    url = f"{SITEURL}/zh-hant/news/2021/12/crsa-4821.html"
    svg = str(qr_svg(url))
    assert svg.startswith("<svg ") and "<script" not in svg and "style=" not in svg
    expected = segno.make_qr(url, error="m", mask=4).svg_inline(scale=3, border=2, dark="#000", light="#fff",
                                                                 svgclass="share__qr-code")
    assert svg.endswith(expected[len("<svg "):])
    assert str(qr_svg("javascript:alert(1)")) == "" and str(qr_svg("../news/x.html")) == ""


# --- feeds ----------------------------------------------------------------------------------
FEED_TYPES = {"application/atom+xml", "application/rss+xml"}


def feed_links(doc):
    return [link for link in doc.select("head link[rel=alternate]") if link.get("type") in FEED_TYPES]


def test_every_page_links_its_language_feeds_which_resolve(reader_published):
    for page in pages(reader_published):
        doc = soup(page)
        links = feed_links(doc)
        prefix = LANG_PREFIXES[doc.html["lang"]]
        hrefs = {link["href"] for link in links}
        assert {f"{SITEURL}/{prefix}feeds/all.atom.xml", f"{SITEURL}/{prefix}feeds/all.rss.xml"} <= hrefs, \
            rel(reader_published, page)
        for link in links:
            assert resolve(reader_published, page, link["href"]).is_file(), f"{rel(reader_published, page)}: {link}"
        # a visible subscribe link too
        assert doc.select_one(".subscribe a[href$='feeds/all.atom.xml']") is not None
    column_page = soup(reader_published / "news/traffic/index.html")
    assert f"{SITEURL}/feeds/traffic.atom.xml" in {link["href"] for link in feed_links(column_page)}
    article = soup(reader_published / "news/2021/12/crsa-4821.html")
    assert f"{SITEURL}/feeds/traffic.rss.xml" in {link["href"] for link in feed_links(article)}
    assert f"{SITEURL}/feeds/association.rss.xml" not in {link["href"] for link in feed_links(article)}


def test_feeds_parse_link_their_page_and_date_from_the_newest_entry(reader_published):
    feeds = sorted(reader_published.glob("**/feeds/*.xml"))
    assert len(feeds) == 3 * 2 * 4  # three languages × Atom and RSS × all + three columns
    build_started = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    language_updated, empty = {}, {}
    for path in feeds:
        name = rel(reader_published, path)
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, f"{name}: {feed.bozo_exception}"
        assert feed.version in ("atom10", "rss20"), name
        assert feed.version == ("atom10" if path.name.endswith(".atom.xml") else "rss20"), name
        slug = path.name.split(".")[0]
        prefix = path.parent.parent.relative_to(reader_published).as_posix()
        prefix = "" if prefix == "." else prefix + "/"
        page = "index.html" if slug == "all" else f"news/{slug}/index.html"
        assert feed.feed.link == f"{SITEURL}/{prefix}{page}", name
        assert (reader_published / prefix / page).is_file()
        updated = feed.feed.get("updated_parsed")
        assert updated, name
        updated = datetime.datetime(*updated[:6], tzinfo=datetime.UTC)
        assert updated < build_started, f"{name}: dated with the build time"
        if slug == "all":
            language_updated[prefix] = updated
        if not feed.entries:
            empty[name] = (prefix, updated)
        if feed.entries:
            newest = max(datetime.datetime(*e.published_parsed[:6], tzinfo=datetime.UTC)
                         for e in feed.entries)
            assert updated == newest, name
            for entry in feed.entries:
                assert resolve(reader_published, path, entry.link).is_file(), f"{name}: {entry.link}"
    # An empty feed (an English column with no translation yet) carries its language's newest date.
    assert empty, "the corpus should leave an English column without translations"
    for name, (prefix, updated) in empty.items():
        assert updated == language_updated[prefix], name


def test_two_builds_write_identical_feeds(reader_published, reader_published_again):
    feeds = sorted(reader_published.glob("**/feeds/*.xml"))
    assert feeds
    for path in feeds:
        again = reader_published_again / rel(reader_published, path)
        assert path.read_bytes() == again.read_bytes(), rel(reader_published, path)


# --- search engines (Lighthouse's SEO audits, as tests) -----------------------------------------
def test_every_published_page_is_its_own_canonical_with_absolute_reciprocal_hreflang(reader_published):
    alternates = {}
    for page in pages(reader_published):
        name = rel(reader_published, page)
        doc = soup(page)
        canonical = doc.select("head link[rel=canonical]")
        assert len(canonical) == 1, name
        assert canonical[0]["href"] == f"{SITEURL}/{name}", f"{name}: canonical {canonical[0]['href']}"
        langs = {}
        for link in doc.select("head link[rel=alternate][hreflang]"):
            assert BCP47.match(link["hreflang"]), f"{name}: hreflang {link['hreflang']}"
            assert link["href"].startswith(SITEURL + "/"), f"{name}: relative hreflang {link['href']}"
            assert resolve(reader_published, page, link["href"]).is_file(), f"{name}: {link['href']}"
            langs[link["hreflang"]] = link["href"][len(SITEURL) + 1:]
        if langs:
            assert langs.get(doc.html["lang"]) == name, f"{name}: its hreflang set leaves it out"
            assert "x-default" in langs, name
        alternates[name] = langs
    for name, langs in alternates.items():
        for tag, target in langs.items():
            if tag != "x-default":
                assert alternates.get(target) == langs, f"{name} → {target}: hreflang sets differ (not reciprocal)"


def test_published_pages_pass_the_seo_audits(reader_published):
    for page in pages(reader_published):
        name = rel(reader_published, page)
        doc = soup(page)
        assert BCP47.match(doc.html.get("lang", "")), f"{name}: html lang"
        assert doc.title and doc.title.get_text(strip=True), f"{name}: document-title"
        description = doc.select_one("head meta[name=description]")
        assert description and description["content"].strip(), f"{name}: meta-description"
        robots = doc.select_one("meta[name=robots]")
        assert robots is None or "noindex" not in robots.get("content", ""), f"{name}: is-crawlable"
        assert doc.select_one("meta[name=viewport]") is not None, f"{name}: viewport"
        for link in doc.find_all("a"):
            href = link.get("href")
            if link.get("hidden") is not None and href:
                continue
            assert href is not None and href.strip() and not href.lower().startswith("javascript:"), \
                f"{name}: crawlable-anchors {link}"
            text = link.get_text(" ", strip=True).lower()
            assert text and text not in GENERIC_LINK_TEXT, f"{name}: link-text {text!r} ({href})"


def test_robots_txt_is_valid_and_names_the_sitemap(reader_published, reader_dev):
    from protego import Protego

    text = (reader_published / "robots.txt").read_text(encoding="utf-8")
    directives = {"user-agent", "allow", "disallow", "sitemap", "crawl-delay"}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            assert line.split(":", 1)[0].strip().lower() in directives, f"robots.txt: {line!r}"
    robots = Protego.parse(text)
    assert list(robots.sitemaps) == [f"{SITEURL}/sitemap.xml"]
    assert robots.can_fetch(f"{SITEURL}/news/2021/12/crsa-4821.html", "Googlebot")
    assert not (reader_dev / "robots.txt").exists()  # no absolute SITEURL, nothing to name


def test_sitemap_lists_only_linked_pages(reader_published):
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [el.text for el in ET.parse(reader_published / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    linked = set()
    for page in pages(reader_published):
        for tag in soup(page).find_all(["a", "form"]):
            href = tag.get("href") or tag.get("action")
            if href and href.startswith(SITEURL + "/"):
                linked.add(href.split("#")[0].split("?")[0])
    orphans = [loc for loc in locs if loc not in linked]
    assert not orphans, orphans[:10]
    # the home page is not paginated: no index-2.html … that no link leads to
    for prefix in LANG_PREFIXES.values():
        assert not (reader_published / prefix / "index-2.html").exists()


def test_canonical_to_source_setting_only_changes_the_default_language(tmp_path):
    from build_helpers import ROOT, run_pelican

    out = tmp_path / "out"
    result = run_pelican(ROOT / "content", out, "-e", "CANONICAL_TO_SOURCE=true", settings="publishconf.py",
                         env={"SITEURL": SITEURL})
    assert result.returncode == 0, result.stdout + result.stderr
    article = "news/2021/12/crsa-4821.html"
    assert soup(out / article).select_one("link[rel=canonical]")["href"] == "https://www.crsa.net/news/article/4821"
    for prefix in ("zh-hant/", "en/"):
        assert soup(out / prefix / article).select_one("link[rel=canonical]")["href"] == f"{SITEURL}/{prefix}{article}"


# --- archives, columns, English readers ----------------------------------------------------------
def test_year_archive_is_grouped_by_month_with_columns_and_year_links(reader_dev):
    years = sorted(reader_dev.glob("news/[0-9][0-9][0-9][0-9]/index.html"))
    assert len(years) > 2
    for page in years:
        doc = soup(page)
        months = doc.select(".archive-month")
        assert months, page
        for month in months:
            assert re.match(r"^\d{4}年\d{1,2}月", month.select_one("h2").get_text(strip=True))
            for item in month.select(".news-list__item"):
                assert item.select_one(".news-list__column").get_text(strip=True) in {"交管动态", "协会动态", "行业动态"}
        dates = [t["datetime"] for t in doc.select(".news-list__date")]
        assert dates == sorted(dates, reverse=True)
        for link in doc.select(".year-nav a"):
            assert resolve(reader_dev, page, link["href"]).is_file()
    first, last = soup(years[0]), soup(years[-1])
    assert first.select_one(".year-nav a[rel=prev]") is None and first.select_one(".year-nav a[rel=next]")
    assert last.select_one(".year-nav a[rel=next]") is None and last.select_one(".year-nav a[rel=prev]")
    english = soup(sorted(reader_dev.glob("en/news/[0-9][0-9][0-9][0-9]/index.html"))[0])
    assert re.match(r"^[A-Z][a-z]+ \d{4}", english.select_one(".archive-month h2").get_text(strip=True))


def test_empty_columns_say_so_instead_of_linking_to_an_empty_list(built_site):
    # The project's content has articles in 交管动态 only.
    home = soup(built_site / "index.html")
    box = home.select_one("#column-association").find_parent("section")
    assert box.select_one("a") is None and box.select_one(".empty").get_text() == "暂无文章。"
    nav = soup(built_site / "news/index.html").select_one(".column-nav")
    assert "协会动态" in nav.get_text() and not [a for a in nav.select("a") if "协会动态" in a.get_text()]
    assert soup(built_site / "news/association/index.html").select_one(".empty").get_text() == "本栏目暂无文章。"


def test_english_column_lists_untranslated_articles_in_chinese(reader_dev):
    page = soup(reader_dev / "en/news/traffic/index.html")
    listed = page.select(".untranslated .news-list__item")
    assert 0 < len(listed) <= 20
    for item in listed:
        link = item.select_one("a")
        assert link["lang"] == "zh-Hans" and re.search(r"[\u4e00-\u9fff]", link.get_text())
        target = resolve(reader_dev, reader_dev / "en/news/traffic/index.html", link["href"])
        assert target.is_file() and soup(target).html["lang"] == "zh-Hans"
        assert not (reader_dev / "en" / target.relative_to(reader_dev)).exists()  # really not translated
        assert item.select_one(".lang-only").get_text() == "Chinese only"


def test_english_list_can_be_turned_off(tmp_path, reader_content):
    from build_helpers import run_pelican

    out = tmp_path / "out"
    result = run_pelican(reader_content, out, "-e", "LIST_UNTRANSLATED_ARTICLES=false", "SEARCH_ENABLED=false",
                         "BUILD_LANGUAGES=[\"zh-hans\", \"en\"]")
    assert result.returncode == 0, result.stdout + result.stderr
    assert soup(out / "en/news/traffic/index.html").select_one(".untranslated") is None


def test_untranslated_notice_knows_the_article(reader_dev):
    untranslated = next(p for p in article_pages(reader_dev)
                        if not p.relative_to(reader_dev).as_posix().startswith(("en/", "zh-hant/"))
                        and not (reader_dev / "en" / p.relative_to(reader_dev)).exists())
    name = rel(reader_dev, untranslated)
    en = soup(untranslated).select_one(".lang-toggle a[hreflang=en]")["href"]
    assert en.endswith(f"?from={name}#untranslated"), en
    assert soup(resolve(reader_dev, untranslated, en)).select_one("#untranslated [data-back-to-article]")


def test_missing_translation_note_is_marked_as_the_page_language(reader_dev):
    # "尚未翻译为 English" is Chinese: only the toggle's "EN" and "English" are English, or a screen
    # reader speaks the Chinese note with an English voice.
    for prefix in ("", "zh-hant/"):
        untranslated = next(p for p in article_pages(reader_dev / prefix) if "/en/" not in p.as_posix()
                            and not (reader_dev / "en" / p.relative_to(reader_dev / prefix)).exists())
        link = soup(untranslated).select_one(".lang-toggle a.lang-toggle__missing")
        assert link is not None and link.get("hreflang") == "en" and not link.get("lang")
        assert [span.get_text() for span in link.select("[lang=en]")] == ["EN", "English"]
        assert link.find(string=re.compile("English")).find_parent(attrs={"lang": True}).get("lang") == "en"
        assert re.search(r"尚未翻[译譯][为為爲] English", link["title"]), link["title"]


# Metadata is plain text (the sanitising policy refuses markup: tests/security); what stays legal
# and still bites a template that forgets to escape: `<` before a space or digit, `&`, quotes that
# break out of an attribute.
TRAP = "< img src=x onerror=alert(1)> 5<6 & R&D \" onmouseover=\"alert(2)\" data-pwn=\""
HOSTILE_TITLE = "危险标题 " + TRAP
HOSTILE = f"""Title: {HOSTILE_TITLE}
Date: 2021-12-19 08:00
Category: 交管动态
Slug: hostile-post
Lang: zh-Hans
Tags: 粗体{TRAP}, 扫黑除恶
Summary: alert(3) 完全不同的摘要,说了正文没有说的话 {TRAP}
Source_url: mailto:editor@example.org
Recommended: true

正文第一段,和摘要不同。
"""


def test_metadata_is_text_in_the_new_parts_of_the_page(tmp_path):
    """Tricky title, tags and summary appear as text, never as markup or an attribute; a source URL
    that is not http(s) gives no source link."""
    import shutil

    from build_helpers import ROOT, run_pelican

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "news/traffic/2021/hostile-post.md").write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_pelican(content, out, "-e", "SEARCH_ENABLED=false")
    assert result.returncode == 0, result.stdout + result.stderr
    hostile = soup(out / "news/2021/12/hostile-post.html")
    seed = soup(out / "news/2021/12/crsa-4821.html")
    for doc in (hostile, seed):
        assert not doc.select("[data-pwn], [onmouseover], img[onerror]")
        for selector in ("title", "h1", ".article-nav", ".related", ".side-lists", ".summary-box", ".print-masthead",
                         ".detail__meta", ".share"):
            for node in doc.select(selector):
                assert not node.select("img, script, b"), f"{selector}: {node}"
        assert not doc.select("a[href^=javascript], a[href^=mailto]")
    assert hostile.title.get_text().startswith(HOSTILE_TITLE + " - ")
    assert hostile.select_one("h1").get_text() == HOSTILE_TITLE
    summary = hostile.select_one(".summary-box p").get_text()
    assert "完全不同的摘要" in summary and TRAP in summary
    assert hostile.select_one(".detail__source-link") is None
    description = hostile.select_one("meta[name=description]")["content"]
    assert description.startswith("alert(3) 完全不同的摘要") and TRAP in description
    assert [a.get_text() for a in hostile.select(".detail__tags a")] == ["粗体" + TRAP, "扫黑除恶"]
    assert seed.select_one(".article-nav a[rel=prev]").get_text() == HOSTILE_TITLE


def test_hidden_and_draft_articles_get_the_same_page_parts(tmp_path):
    import shutil

    from build_helpers import ROOT, run_pelican

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for status in ("hidden", "draft"):
        (content / f"news/traffic/2021/{status}-post.md").write_text(
            f"Title: 隐藏的文章 {status}\nDate: 2021-12-18 10:15\nCategory: 交管动态\nSlug: {status}-post\n"
            f"Lang: zh-Hans\nStatus: {status}\nSource_url: https://www.crsa.net/news/article/9{len(status)}\n\n"
            "这篇文章只能通过网址访问。第二句话。\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_pelican(content, out, "-e", "SEARCH_ENABLED=false", "BUILD_LANGUAGES=[\"zh-hans\", \"en\"]")
    assert result.returncode == 0, result.stdout + result.stderr
    for path in ("news/2021/12/hidden-post.html", "drafts/draft-post.html"):
        doc = soup(out / path)
        assert doc.select_one("meta[name=description]")["content"].startswith("这篇文章只能通过网址访问"), path
        assert doc.select_one(".detail__meta time").get_text().endswith("10:15"), path
        assert doc.select_one(".detail__source-link a")["href"].startswith("https://www.crsa.net/"), path
