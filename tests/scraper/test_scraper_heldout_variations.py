"""Variations of the three "held-out" templates (spans-gb18030, state-json, br-firewall, written to
play a template nobody here had seen) and of divs: each change a real template may make must give the same post
with the unchanged profile, without Review:, through the layout path."""

from __future__ import annotations

import json
import re

import pytest
from templates_helpers import TEMPLATES

from scraper.encoding import decode_html
from scraper.pipeline import process_page

S = re.compile
VARIATIONS = {
    "state-json: the markup an empty shell, the article only in __INITIAL_STATE__": (
        "state-json", "20412", [(S(r'<div class="main".*?</div>\n<div class="fd">', re.S), '<div class="fd">')]),
    "state-json: the shell, the state as window['__INITIAL_STATE__'] = …": (
        "state-json", "20412", [(S(r'<div class="main".*?</div>\n<div class="fd">', re.S), '<div class="fd">'),
                                ("<script>window.__INITIAL_STATE__=", "<script>var s=1;\nwindow['__INITIAL_STATE__'] = ")]),
    "state-json: the shell, the state as JSON.parse('…') of a single-quoted string": (
        "state-json", "20412", [(S(r'<div class="main".*?</div>\n<div class="fd">', re.S), '<div class="fd">'),
                                (S(r"<script>window.__INITIAL_STATE__=(\{.*?\});"), lambda m: (
                                    "<script>window.__INITIAL_STATE__=JSON.parse('"
                                    + json.dumps(m.group(1))[1:-1].replace("'", "\\'") + "');"))]),
    "state-json: a breadcrumb of plain text with full-width spaces": (
        "state-json", "20412", [(S(r'<div class="crumb">.*?</div>'), '<div class="crumb">首页　>　新闻中心　>　新闻详情</div>')]),
    "state-json: the title in a div, under the column and 打印, above the date line": (
        "state-json", "20412", [("<h1>", '<div class="h1">'), ("</h1>", "</div>")]),
    "state-json: a 发布时间： label on the date line": (
        "state-json", "20412", [('<div class="info">', '<div class="info">发布时间：')]),
    "spans-gb18030: the summary in a blockquote": (
        "spans-gb18030", "10234", [('<div class="tiyao"><label>内容提要：</label>', "<blockquote>"),
                                   ('</div>\n<div class="nr">', '</blockquote>\n<div class="nr">')]),
    "spans-gb18030: no breadcrumb": ("spans-gb18030", "10234", [(S(r'<div class="crumbs">.*?</div>'), "")]),
    "spans-gb18030: 2021年 over 12月20日": (
        "spans-gb18030", "10234", [("<span>2021</span></em><i><span>12-20</span>",
                                    "<span>2021年</span></em><i><span>12月20日</span>")]),
    "spans-gb18030: paragraphs in divs": ("spans-gb18030", "10234", [(S(r"<p>　　([^<]*)</p><p>&nbsp;</p>"), r"<div>　　\1</div>")]),
    "br-firewall: 【内容提要】 in the summary's own text": (
        "br-firewall", "10645", [('<div id="zy"><h4>摘要</h4><div>', '<div id="zy"><div>【内容提要】')]),
    "state-json: no state data, the summary a <p class> in the body's container, restating the lead": (
        "state-json", "20398", [(S(r"<script>window.__INITIAL_STATE__.*?</script>", re.S), ""),
                                ("<blockquote>", '<div class="rich"><p class="zy">'),
                                ('</blockquote><div class="rich">', "</p>")]),
    "state-json: a 来源/作者/浏览 line between the summary and the body": (
        "state-json", "20412", [("</blockquote>", "</blockquote><div>来源：公安部网站　作者：张三　浏览：1024</div>")]),
    "divs: a 来源 line between the summary and the body": (
        "divs", "10412", [("主要战果</div>", "主要战果</div><div>来源：公安部网站　编辑：张三</div>")]),
    "divs: the breadcrumb names the column and ends in 正文": (
        "divs", "10412", [('&gt; <span>新闻详情</span>', '&gt; <a href="/news/list/12">交管动态</a> &gt; <span>正文</span>')]),
    "spans-gb18030: a breadcrumb of separate links and separators naming the column": (
        "spans-gb18030", "10234", [(S(r'<div class="crumbs">.*?</div>'),
                                    '<div class="crumbs"><a href="/">首页</a><span>&gt;</span><a href="/news/">新闻中心</a>'
                                    '<span>&gt;</span><a href="/news/list/12">交管动态</a><span>&gt;</span><span>正文</span></div>')]),
    "divs: the 最新推荐 badge in its own block before the title": (
        "divs", "10412", [("<div>保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案<span>最新推荐</span></div>",
                           "<div><div>最新推荐</div><div>保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案</div></div>")]),
    "divs: the 最新推荐 badge as an image": (
        "divs", "10412", [("<span>最新推荐</span></div>", '<img src="/tj.png" alt="最新推荐"></div>')]),
    "state-json: a [最新推荐] tag at the start of the h1 instead of the badge after it": (
        "state-json", "20412", [('<i class="rec">最新推荐</i>', ""), ("<h1>", '<h1><span class="tag">[最新推荐]</span> ')]),
    "br-firewall: no 热门新闻 box": ("br-firewall", "10645", [(S(r'<div id="hot">.*?</div></div>', re.S), "</div>")]),
}


def page_of(name: str, sid: str) -> str:
    path = TEMPLATES / name / "site" / f"article-{sid}.html"
    return decode_html(path.read_bytes(), None, str(path)).text


def edited(html: str, edits) -> str:
    for old, new in edits:
        if isinstance(old, re.Pattern):
            assert old.search(html), old.pattern
            html = old.sub(new, html, count=1)
        else:
            assert old in html, old
            html = html.replace(old, new, 1)
    return html


@pytest.mark.parametrize("label", VARIATIONS)
def test_held_out_variation_gives_the_same_post(profile, label):
    name, sid, edits = VARIATIONS[label]
    html = edited(page_of(name, sid), edits)
    result = process_page(html, f"https://www.crsa.net/news/article/{sid}", profile,
                          column_name="交管动态" if "the shell" in label or "empty shell" in label else None)
    assert result.path == "layout" and result.article.review is None, result.article.review
    assert result.text == (TEMPLATES / name / "expected" / f"crsa-{sid}.md").read_text(encoding="utf-8")


def test_badge_only_in_the_state_data_is_flagged(profile):
    """The page shows no 最新推荐 badge, its state data says recommended: the post says so and asks a look."""
    html = page_of("state-json", "20412").replace('<i class="rec">最新推荐</i>', "", 1)
    result = process_page(html, "https://www.crsa.net/news/article/20412", profile)
    assert result.article.recommended and "最新推荐 badge differs from window.__INITIAL_STATE__" in result.article.review


def test_br_paragraphs_split_without_losing_line_breaks_or_images(profile):
    from scraper.extract import parse_html
    from scraper.layout import split_br_paragraphs
    root = parse_html('<div id="x">　　第一段<br>同段第二行<br><br><b>小标题</b><br><br>　　第二段<img src="a.png">'
                      "<br>　　第三段</div>")
    body = root.get_element_by_id("x")
    assert split_br_paragraphs(body) == 1
    paras = [(p.text_content(), len(p.findall("br")), len(p.findall("img"))) for p in body]
    assert paras == [("　　第一段同段第二行", 1, 0), ("小标题", 0, 0), ("　　第二段", 0, 1), ("　　第三段", 0, 0)]


def test_ids_walk_behind_a_challenging_firewall_obeys_its_robots(httpserver, tmp_path, capfd):
    """crawl --ids over the br-firewall template: every request without acw_tc is refused with a
    script challenge (robots.txt too). The challenged robots.txt is asked again with the cookie and
    obeyed (10702 disallowed); ids that do not exist are recorded as gone; the column comes from the page."""
    from templates_helpers import serve_template

    from scraper.cli import main
    robots = "User-agent: *\nDisallow: /news/article/10702\n"
    base = serve_template(httpserver, "br-firewall", robots, firewall="challenge")
    code = main(["crawl", "--base-url", base, "--content-dir", str(tmp_path / "content"), "--state-dir",
                 str(tmp_path / "state"), "--delay", "0", "--no-progress", "--ids", "10630-10710"])
    err = capfd.readouterr().err
    assert code == 0, err
    posts = {p.relative_to(tmp_path / "content").as_posix(): p.read_text(encoding="utf-8")
             for p in (tmp_path / "content").rglob("*.md")}
    assert set(posts) == {"news/traffic/2021/crsa-10645.md", "news/traffic/2022/crsa-10633.md"}
    for path, text in posts.items():
        sid = path.rsplit("-", 1)[1]
        assert text == (TEMPLATES / "br-firewall" / "expected" / f"crsa-{sid}").read_text(encoding="utf-8")
    paths = [r.path for r, _ in httpserver.log]
    assert paths[:2] == ["/robots.txt", "/robots.txt"] and "/news/article/10702" not in paths
    assert [r.status_code for _, r in httpserver.log].count(403) == 1


@pytest.mark.parametrize(("name", "sid"), [("spans-gb18030", "10234"), ("state-json", "20412"), ("br-firewall", "10645")])
def test_doctor_profile_crawls_the_held_out_template_without_any_fallback(httpserver, tmp_path, capsys, name, sid):
    """The selectors doctor proposes ([list] and [article]), pasted into a copy of the profile, crawl the
    whole template through the profile path: the expected posts, no "PROFILE" warning, no layout path."""
    from templates_helpers import expected_posts, serve_template
    from test_scraper_doctor import pasted_profile

    from scraper.cli import main
    site = TEMPLATES / name / "site"
    assert main(["doctor", str(site / f"article-{sid}.html"), "--list", str(site / "list-12-1.html")]) == 0
    out = capsys.readouterr().out
    pasted = pasted_profile(tmp_path, out).path
    base = serve_template(httpserver, name, "User-agent: *\nAllow: /\n",
                          firewall="challenge" if name == "br-firewall" else False)
    code = main(["--profile", str(pasted), "crawl", "--base-url", base, "--content-dir", str(tmp_path / "content"),
                 "--state-dir", str(tmp_path / "state"), "--delay", "0", "--no-progress", "--column", "12",
                 "--column", "11"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "PROFILE" not in err and re.search(r"layout\s*│\s*0\s*│", err) and re.search(r"fallback\s*│\s*0\s*│", err), err
    got = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "content").rglob("*.md")}
    assert got == expected_posts(name)


def test_list_links_by_script_with_tracking_queries(profile):
    """List items that navigate by script (window.open, location.href, data-href; read, never run),
    tracking queries dropped (the id is in the path), an undated top-bar link unlike the dated items
    left out, and a date written 2021年12月20日 or inside the link."""
    from scraper import discovery
    from scraper.extract import parse_html
    html = """<html><body><div class="top"><a href="/news/article/10233">热点：示例</a></div>
    <table><tr onclick="window.open('/news/article/10234?from=list&amp;t=1', '_blank')"><td>标题一</td><td>2021年12月20日</td></tr>
    <tr onclick="javascript:location.href = &quot;/news/article/10217#top&quot;"><td>标题二</td><td>2022-01-10</td></tr>
    <tr data-href="/news/article/10199"><td>标题三</td><td>2022/01/06</td></tr>
    <tr><td><a href="javascript:void(0)" onclick="window.location.href='/news/article/10150'">标题四<span>[2021-11-02]</span></a></td></tr>
    </table><div class="ft"><a href="/news/article/9871">网站声明</a></div></body></html>"""
    links = discovery.article_links(parse_html(html), "https://www.crsa.net/news/list/12", profile, "https://www.crsa.net")
    assert [(x.article_id, x.date, x.url) for x in links] == [
        ("10234", "2021-12-20", "https://www.crsa.net/news/article/10234"),
        ("10217", "2022-01-10", "https://www.crsa.net/news/article/10217"),
        ("10199", "2022-01-06", "https://www.crsa.net/news/article/10199"),
        ("10150", "2021-11-02", "https://www.crsa.net/news/article/10150")]


def test_since_reads_the_dates_of_script_link_items(httpserver, tmp_path, capsys):
    """--since on spans-gb18030, whose list items are <li onclick> with dates as 2021年12月20日."""
    from templates_helpers import expected_posts, serve_template

    from scraper.cli import main
    base = serve_template(httpserver, "spans-gb18030", "User-agent: *\nAllow: /\n")
    code = main(["crawl", "--base-url", base, "--content-dir", str(tmp_path / "content"), "--state-dir",
                 str(tmp_path / "state"), "--delay", "0", "--no-progress", "--since", "2022-01-08", "--column", "12",
                 "--column", "11"])
    assert code == 0, capsys.readouterr().err
    got = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "content").rglob("*.md")}
    want = expected_posts("spans-gb18030")
    assert got == {k: want[k] for k in ("crsa-10217.md", "crsa-10301.md")}
    assert not any(r.path.endswith(("10234", "10199")) for r, _ in httpserver.log)
