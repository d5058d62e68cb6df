"""Association-like templates the profile does not match, crawled with the UNCHANGED profile.

Each template (tests/fixtures/templates/, built by build_templates.py from the seed and three other
association news) must give posts equal to its expected posts: title, date, column, summary,
最新推荐, sub-headings and body, with no Review: flag.
"""

from __future__ import annotations

import pytest
from scraper_helpers import ROOT
from templates_helpers import HOT_IDS, NAMES, TEMPLATES, expected_posts, serve_template

from scraper.cli import main

ROBOTS = "User-agent: *\nDisallow: /member/\nCrawl-delay: 0.001\n"


def crawl(base, tmp_path, *extra):
    return main(["crawl", "--base-url", base, "--content-dir", str(tmp_path / "content"),
                 "--state-dir", str(tmp_path / "state"), "--delay", "0", "--no-progress", *extra])


def written(tmp_path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((tmp_path / "content").rglob("*.md"))}


@pytest.mark.parametrize("name", NAMES)
def test_template_crawled_with_unchanged_profile_gives_expected_posts(httpserver, tmp_path, name, capsys):
    profile_text = (ROOT / "scraper" / "sites" / "crsa.toml").read_bytes()
    base = serve_template(httpserver, name, ROBOTS, firewall={"divs": True, "br-firewall": "challenge"}.get(name, False))
    code = crawl(base, tmp_path, "--column", "12", "--column", "11")
    err = capsys.readouterr().err
    assert code == 0, err
    assert "PROFILE" in err and "python -m scraper doctor" in err     # success, but the profile is stale
    got, want = written(tmp_path), expected_posts(name)
    assert set(got) == set(want)
    for post, text in want.items():
        assert got[post] == text, post
        assert "\nReview:" not in got[post]
    folders = {p.parent.relative_to(tmp_path / "content").as_posix() for p in (tmp_path / "content").rglob("*.md")}
    assert folders == {"news/traffic/2021", "news/traffic/2022", "news/association/2022"}
    paths = [r.path for r, _ in httpserver.log]
    assert not any(p.endswith(HOT_IDS) for p in paths), "hot-news links are not the column's articles"
    # the list pages were walked to the end, and no further than one page past it
    assert paths.count("/news/list/12") <= 3 and paths.count("/news/list/11") <= 2
    if name == "br-firewall":     # the challenged robots.txt was asked again with the cookie, and obeyed
        assert paths[:2] == ["/robots.txt", "/robots.txt"] and [r.status_code for _, r in httpserver.log[:2]] == [403, 200]
    assert (ROOT / "scraper" / "sites" / "crsa.toml").read_bytes() == profile_text
    from plugins.content_check.__main__ import main as make_check
    assert make_check([str(tmp_path / "content")]) == 0, capsys.readouterr()       # what `make check` runs


def test_recrawl_of_a_template_is_idempotent(httpserver, tmp_path):
    base = serve_template(httpserver, "nuxt", ROBOTS)
    assert crawl(base, tmp_path, "--column", "12") == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (tmp_path / "content").rglob("*.md")}
    assert crawl(base, tmp_path, "--column", "12") == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (tmp_path / "content").rglob("*.md")} == before


def test_fixture_routes_exist():
    import json
    for name in NAMES:
        routes = json.loads((TEMPLATES / name / "routes.json").read_text(encoding="utf-8"))
        assert all((TEMPLATES / name / r["file"]).exists() for r in routes.values())


def test_capture_without_class_names_gives_the_sample_post(profile):
    """The live markup is not the capture: with every class and id removed, the layout extractor still
    writes the sample post (date and time from the page's meta, the rest by the visible layout)."""
    import re as _re

    from scraper_helpers import FIXTURES, SAMPLE_POST

    from scraper.pipeline import process_page
    html = (FIXTURES / "news-article-4821.html").read_text(encoding="utf-8")
    bare = _re.sub(r'\s(class|id)="[^"]*"', "", html)
    result = process_page(bare, "https://www.crsa.net/news/article/4821", profile, column_name="交管动态")
    assert result.path == "layout" and result.article.review is None
    assert result.text == SAMPLE_POST.read_text(encoding="utf-8")


DIVS_ARTICLE = TEMPLATES / "divs" / "site" / "article-10412.html"
VARIATIONS = {
    "share and source lines, logo heading": [
        ('<div><a href="javascript:void(0);">打印</a></div></div>',
         '<div><a href="javascript:void(0);">打印</a></div><div>分享到：<a>微信</a><a>微博</a></div></div>'),
        ("最新推荐</span></div>", "最新推荐</span></div><div>来源：公安部网站　浏览次数：1024</div>"),
        ("<div>中国道路交通安全协会主办</div>", "<h1>中国道路交通安全协会主办</h1>")],
    "one date line, no 打印": [
        ("<div><div>2021</div><div>12-20</div></div>", "<div>发布时间：2021-12-20</div>"),
        ('<div><a href="javascript:void(0);">打印</a></div>', "")],
    "badge beside the title, title in h2": [
        ("<div>保民安", "<div><h2>保民安"), ("<span>最新推荐</span></div>", "</h2><div>最新推荐</div></div>")],
    "MM-DD over the year, a banner h1": [
        ("<div><div>2021</div><div>12-20</div></div>", "<div><div>12-20</div><div>2021</div></div>"),
        ('<div><a href="/">首页</a> &gt;', '<h1>新闻中心</h1><div><a href="/">首页</a> &gt;')],
    "summary inside the body's container, stated by the meta description": [
        ("<div>如果把平安建设比作", "<div><div><p>如果把平安建设比作"),
        ("主要战果</div><div><div>", "主要战果</p>"),
        ("<head>", '<head><meta name="description" content="如果把平安建设比作一道“方程式”,那么山东公安用“加减乘除”的“四则运算”'
                   '主动解题,在齐鲁大地上解出了平安答案。“减”“除”犯罪——2020年,山东扫黑除恶专项斗争主要战果">')],
    "summary inside the body's container, no meta description": [
        ("<div>如果把平安建设比作", "<div><div><p>如果把平安建设比作"),
        ("主要战果</div><div><div>", "主要战果</p>")],
    "title before the date block": [
        ("<div><div>保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案<span>最新推荐</span></div>", "<div>"),
        ("<div><div><div><div>2021</div>", "<div><div>保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案<span>最新推荐</span></div>"
                                           "<div><div><div>2021</div>")],
    "breadcrumb as separate blocks, 热门新闻 with a 更多 link": [
        ('<div><a href="/">首页</a> &gt; <a href="/news/">新闻中心</a> &gt; <span>新闻详情</span></div>',
         '<div><div><a href="/">首页</a></div><div>&gt;</div><div><a href="/news/">新闻中心</a></div><div>&gt;</div>'
         "<div>新闻详情</div></div>"),
        ("<div><div>热门新闻</div>", '<div><div>热门新闻<a href="/news/hot">更多</a></div>')],
}


@pytest.mark.parametrize("name", VARIATIONS)
def test_layout_variations_give_the_same_post(profile, name):
    """Changes a held-out template may make: each must give the same post, without Review:."""
    from scraper.pipeline import process_page
    html = DIVS_ARTICLE.read_text(encoding="utf-8")
    for old, new in VARIATIONS[name]:
        assert old in html, old
        html = html.replace(old, new, 1)
    result = process_page(html, "https://www.crsa.net/news/article/10412", profile)
    assert result.path == "layout" and result.article.review is None
    assert result.text == (TEMPLATES / "divs" / "expected" / "crsa-10412.md").read_text(encoding="utf-8")


def test_date_line_after_the_title_with_time(profile):
    from scraper.pipeline import process_page
    html = DIVS_ARTICLE.read_text(encoding="utf-8").replace("<div><div>2021</div><div>12-20</div></div>", "")
    html = html.replace("最新推荐</span></div>", "最新推荐</span></div><div>发布时间：2021-12-20 09:30　来源：中国道路交通安全协会</div>")
    result = process_page(html, "https://www.crsa.net/news/article/10412", profile)
    want = (TEMPLATES / "divs" / "expected" / "crsa-10412.md").read_text(encoding="utf-8")
    assert result.path == "layout" and result.article.review is None
    assert result.text == want.replace("Date: 2021-12-20\n", "Date: 2021-12-20 09:30\n")


def test_page_shell_with_only_state_data(profile):
    """A page whose markup is an empty shell (rendered by script in the browser): the window.__NUXT__
    data alone gives the post."""
    import re as _re

    from scraper.pipeline import process_page
    html = (TEMPLATES / "nuxt" / "site" / "article-12001.html").read_text(encoding="utf-8")
    shell = _re.sub(r'<div id="__nuxt">.*?</div></div></div></div>\n', '<div id="__nuxt"></div>', html, flags=_re.S)
    assert "el-breadcrumb" not in shell and "window.__NUXT__" in shell
    result = process_page(shell, "https://www.crsa.net/news/article/12001", profile, column_name="交管动态")
    assert result.path == "layout" and result.article.review is None
    assert result.text == (TEMPLATES / "nuxt" / "expected" / "crsa-12001.md").read_text(encoding="utf-8")


def test_semantic_article_with_its_own_header(profile):
    """<article><header>: the article's header (title, date) is not page furniture."""
    from scraper.pipeline import process_page
    html = (TEMPLATES / "semantic" / "site" / "article-5120.html").read_text(encoding="utf-8")
    html = html.replace("<article><div>", "<article><header><div>").replace("</mark></h1>", "</mark></h1></header>")
    html = html.replace("</section></article>", "</section><footer>责任编辑：张三</footer></article>")
    assert "<header><div>" in html and "</h1></header>" in html
    result = process_page(html, "https://www.crsa.net/news/article/5120", profile)
    assert result.path == "layout" and result.article.review is None
    want = (TEMPLATES / "semantic" / "expected" / "crsa-5120.md").read_text(encoding="utf-8")
    assert result.text == want
