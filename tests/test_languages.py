"""Three languages from one read of the content: 简体 (root), 繁體 (zh-hant/, OpenCC), English (en/)."""

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from build_helpers import ROOT, run_pelican
from site_html import internal_targets, soup

ARTICLE = "news/2021/12/crsa-4821.html"
UNTRANSLATED = "news/2022/03/untranslated-post.html"
TAGS = {"zh-Hans", "zh-Hant", "en"}


def add_untranslated_article(content: Path) -> None:
    post = content / "news" / "association" / "2022" / "untranslated-post.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(
        "Title: 协会召开后台管理工作会议\nDate: 2022-03-01 10:00\nCategory: 协会动态\nSlug: untranslated-post\n"
        "Lang: zh-Hans\nTags: 干部, 扫黑除恶\nSummary: 会议强调干部作风建设。\n\n"
        "会议在竹溪大道召开，强调头发虽小也要整齐，干部要扫黑除恶。\n\n"
        "![协会大楼的头发](https://example.org/头发.png \"后台\")\n",
        encoding="utf-8",
    )


def build_with_untranslated(tmp_path_factory, name, **kwargs):
    base = tmp_path_factory.mktemp(name)
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    add_untranslated_article(content)
    output = base / "output"
    result = run_pelican(content, output, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_with_untranslated(tmp_path_factory, "languages")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The same content built with publishconf.py (absolute URLs, feeds on)."""
    return build_with_untranslated(tmp_path_factory, "published", settings="publishconf.py",
                                   env={"SITEURL": "https://news.example.org"})


def lang_of(path: str) -> str:
    return "zh-Hant" if path.startswith("zh-hant/") else "en" if path.startswith("en/") else "zh-Hans"


def html_pages(output: Path):
    return sorted(p for p in output.rglob("*.html") if "search" not in p.parts[-2:-1])


def test_every_page_has_the_right_lang(site):
    pages = html_pages(site)
    seen = set()
    for page in pages:
        rel = page.relative_to(site).as_posix()
        assert soup(page).html["lang"] == lang_of(rel), rel
        seen.add(lang_of(rel))
    assert seen == TAGS


def test_article_exists_in_each_language(site):
    hans = soup(site / ARTICLE)
    hant = soup(site / "zh-hant" / ARTICLE)
    en = soup(site / "en" / ARTICLE)
    assert hans.find("h1").get_text() == "保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案"
    assert hant.find("h1").get_text() == "保民安 解民憂 護民利 山東公安用“四則運算”解出平安答案"
    assert en.find("h1").get_text().startswith("Protecting People's Safety")
    assert [h.get_text() for h in en.select(".detail__body h2")] and len(en.select(".detail__body h2")) == 3
    assert len(en.select(".detail__body p")) == 17


def test_opencc_known_answers_in_titles_bodies_tags_and_attributes(site):
    page = soup(site / "zh-hant" / UNTRANSLATED)
    assert page.find("h1").get_text() == "協會召開後臺管理工作會議"
    body = page.select_one(".detail__body").get_text()
    for expected in ("頭髮", "幹部", "掃黑除惡"):
        assert expected in body
    # the editors' phrase override beats OpenCC's 竹谿大道
    assert "竹溪大道" in body and "竹谿" not in body
    image = page.select_one(".detail__body img")
    assert image["alt"] == "協會大樓的頭髮" and image["title"] == "後臺"
    assert image["src"] == "https://example.org/头发.png"  # URLs are never converted
    assert {a.get_text() for a in page.select(".detail__tags a")} == {"幹部", "掃黑除惡"}
    assert page.select_one(".detail__column a").get_text() == "協會動態"
    # interface strings come from the OpenCC-converted catalog
    assert page.select_one("button[data-action=print]").get_text() == "打印"
    assert [li.get_text(strip=True) for li in page.select(".breadcrumb li")][:2] == ["首頁", "新聞中心"]
    assert page.select_one(".side-lists h2").get_text() in {"最新推薦", "熱門新聞"}


def test_no_converted_url_anywhere(site):
    """hrefs and srcs of 繁體 pages are those of the 简体 pages, prefixed; never converted."""
    for page in (site / "zh-hant").rglob("*.html"):
        for value, _target in internal_targets(page, site):
            assert value == value.encode("ascii", "ignore").decode(), f"{page}: non-ASCII URL {value}"
        for tag in soup(page).find_all(src=True):
            assert "頭髮" not in tag["src"]


def test_toggle_links_on_every_page_resolve(site):
    for page in html_pages(site):
        rel = page.relative_to(site).as_posix()
        links = soup(page).select(".lang-toggle a")
        assert [a.find(string=True).strip() for a in links] == ["简", "繁", "EN"], rel
        assert len(links) == 3
        for a in links:
            target = (page.parent / urlsplit(a["href"]).path).resolve()
            assert target.is_file(), f"{rel}: toggle {a['href']}"


def test_toggle_on_an_article_leads_to_the_same_article(site):
    links = {a["hreflang"]: a for a in soup(site / ARTICLE).select(".lang-toggle a")}
    assert links["zh-Hant"]["href"].endswith("zh-hant/news/2021/12/crsa-4821.html")
    assert links["en"]["href"].endswith("en/news/2021/12/crsa-4821.html")
    back = {a["hreflang"]: a for a in soup(site / "en" / ARTICLE).select(".lang-toggle a")}
    assert (site / "en" / "news/2021/12" / back["zh-Hans"]["href"]).resolve() == (site / ARTICLE).resolve()


def test_untranslated_article_en_link_leads_to_the_column_with_a_notice(site):
    links = {a["hreflang"]: a for a in soup(site / UNTRANSLATED).select(".lang-toggle a")}
    en = links["en"]
    assert urlsplit(en["href"]).fragment == "untranslated"
    target = (site / UNTRANSLATED).parent / urlsplit(en["href"]).path
    assert target.resolve() == (site / "en/news/association/index.html").resolve()
    assert "Not translated" in en.get_text() or "尚未翻译" in en.get_text()
    column = soup(target)
    assert column.select_one("#untranslated") is not None
    assert column.html["lang"] == "en"


def test_hreflang_alternates_are_reciprocal_with_x_default(site):
    def alternates(path):
        page = site / path
        result = {}
        for link in soup(page).find_all("link", rel="alternate"):
            if link.get("hreflang"):
                result[link["hreflang"]] = (page.parent / link["href"]).resolve().relative_to(site.resolve()).as_posix()
        return result

    for path in (ARTICLE, "index.html", "news/traffic/index.html", UNTRANSLATED):
        alts = alternates(path)
        assert alts["x-default"] == alts["zh-Hans"]
        for tag, other in alts.items():
            if tag == "x-default":
                continue
            assert (site / other).is_file()
            assert alternates(other).get(lang_of(path)) == path, f"{other} does not point back to {path}"
    assert "en" not in alternates(UNTRANSLATED)
    assert set(alternates(ARTICLE)) == TAGS | {"x-default"}


def test_localized_dates_and_english_interface(site):
    assert "2021年12月20日" in soup(site / ARTICLE).select_one(".detail__meta").get_text()
    assert "2021年12月20日" in soup(site / "zh-hant" / ARTICLE).select_one(".detail__meta").get_text()
    en = soup(site / "en" / ARTICLE)
    meta = en.select_one(".detail__meta").get_text()
    assert "20 December 2021" in meta and "Published" in meta
    assert en.select_one("button[data-action=print]").get_text() == "Print"
    assert [li.get_text(strip=True) for li in en.select(".breadcrumb li")] == [
        "Home", "News Center", "Traffic Management News", "News details"]
    assert en.select_one(".brand__name").get_text() == "China Road Traffic Safety Association"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.select_one(".mainnav").get_text())


def test_theme_assets_are_written_once(site):
    assert (site / "theme/css/site.css").is_file()
    assert not (site / "zh-hant/theme").exists() and not (site / "en/theme").exists()


def test_stale_translation_notice_after_the_original_changes(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    out1 = tmp_path / "fresh"
    assert run_pelican(content, out1).returncode == 0
    assert soup(out1 / "en" / ARTICLE).select_one(".detail__main .notice") is None
    original = content / "news/traffic/2021/crsa-4821.md"
    original.write_text(original.read_text("utf-8") + "\n新增的一段话。\n", encoding="utf-8")
    out2 = tmp_path / "changed"
    assert run_pelican(content, out2).returncode == 0
    notice = soup(out2 / "en" / ARTICLE).select_one(".detail__main .notice")
    assert notice is not None and "out of date" in notice.get_text()


def test_make_translations_lists_missing_and_stale(tmp_path):
    import subprocess
    import sys

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    add_untranslated_article(content)
    cmd = [sys.executable, "-m", "plugins.languages.translations", "--content", str(content), "--strict"]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "untranslated-post.md: no English translation" in result.stdout
    assert "stale" not in result.stdout.split("\n")[0]
    original = content / "news/traffic/2021/crsa-4821.md"
    original.write_text(original.read_text("utf-8").replace("在齐鲁大地上", "在齐鲁大地"), encoding="utf-8")
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert "crsa-4821.en.md: translation of" in result.stdout and "may be outdated" in result.stdout
    translation = content / "news/traffic/2021/crsa-4821.en.md"
    stamp = subprocess.run(cmd[:-1] + ["--stamp", str(translation)], cwd=ROOT, capture_output=True, text=True)
    assert stamp.returncode == 0, stamp.stderr
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert "crsa-4821.en.md" not in result.stdout


def test_feeds_per_language_parse_and_link_to_existing_pages(published):
    ids = set()
    for prefix in ("", "zh-hant/", "en/"):
        feed = feedparser.parse((published / prefix / "feeds/all.atom.xml").read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.entries
        ids.add(feed.feed.id)
        for entry in feed.entries:
            url = urlsplit(entry.link)
            assert url.netloc == "news.example.org"
            assert (published / url.path.lstrip("/")).is_file(), entry.link
            assert url.path.lstrip("/").startswith(prefix)
    assert len(ids) == 3
    hant = feedparser.parse((published / "zh-hant/feeds/all.atom.xml").read_bytes())
    assert any("後臺" in e.title for e in hant.entries)


def test_sitemap_has_hreflang_alternates(published):
    tree = ET.parse(published / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.find("s:loc", ns).text: u for u in tree.getroot().findall("s:url", ns)}
    article = urls["https://news.example.org/news/2021/12/crsa-4821.html"]
    alts = {link.get("hreflang"): link.get("href") for link in article.findall("x:link", ns)}
    assert alts == {
        "zh-Hans": "https://news.example.org/news/2021/12/crsa-4821.html",
        "zh-Hant": "https://news.example.org/zh-hant/news/2021/12/crsa-4821.html",
        "en": "https://news.example.org/en/news/2021/12/crsa-4821.html",
        "x-default": "https://news.example.org/news/2021/12/crsa-4821.html",
    }
    for loc in urls:
        assert (published / urlsplit(loc).path.lstrip("/")).is_file(), loc
