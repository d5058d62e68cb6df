"""The generic fallback's parts: body choice, headline without the site's name, visible dates, and the
list's date reaching it through a real crawl."""

from __future__ import annotations

import pytest
from scraper_helpers import FAST_ROBOTS, list_page, make_crawler

from scraper.extract import parse_html
from scraper.fallback import extract_generic
from scraper.fallback_body import Candidate, choose, drop_leading_byline, drop_title_heading, trim_link_blocks
from scraper.fallback_dates import date_near_title, find_date, visible_text
from scraper.fallback_title import find_title, strip_site_suffix
from scraper.pipeline import process_page

TZ = "Asia/Shanghai"
PARAS = "".join(f"<p>第{i}段：道路交通安全宣传活动在全省展开，各地交警部门深入社区、学校和企业开展宣讲。</p>"
                for i in range(8))


def page(head: str = "", body: str = "") -> str:
    return f'<html><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


# -- titles ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "expected"), [
    ("短缺药品保供稳价 全力保障临床用药需求-新华网", "短缺药品保供稳价 全力保障临床用药需求"),
    ("国务院关于印发交通强国建设纲要的通知_中国政府网", "国务院关于印发交通强国建设纲要的通知"),
    ("公安部部署开展道路交通安全专项整治 | 人民网", "公安部部署开展道路交通安全专项整治"),
    ("海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网", "海外留学生看两会：出国前后关注点大不同"),
    ("COVID-19 疫情期间道路运输保障措施", "COVID-19 疫情期间道路运输保障措施"),   # a hyphen inside the headline
    ("春运首日", "春运首日"),
    ("专访交通专家约翰·史密斯", "专访交通专家约翰·史密斯"),
])
def test_site_suffix_is_cut_by_separator_rules(raw, expected):
    assert strip_site_suffix(raw) == expected


def test_headline_is_the_heading_that_title_starts_with_not_the_logo():
    root = parse_html(page(
        "<title>交警提醒：雨雪天气出行注意安全_要闻_某某新闻网</title>",
        '<h1 class="logo">某某新闻网</h1><div class="art"><h2>交警提醒：雨雪天气出行注意安全</h2>' + PARAS + "</div>",
    ))
    assert find_title(root) == "交警提醒：雨雪天气出行注意安全"


def test_headline_from_og_title_without_suffix_when_no_heading_matches():
    root = parse_html(page('<meta property="og:title" content="高速公路恢复通行 - 某省交通厅"><title>首页</title>',
                           PARAS))
    assert find_title(root) == "高速公路恢复通行"


def test_site_name_before_the_headline():
    root = parse_html(page("<title>某某博客 » 播客热潮迅速蔓延 挑逗传统传媒业</title>",
                           "<h2>播客热潮迅速蔓延 挑逗传统传媒业</h2>" + PARAS))
    assert find_title(root) == "播客热潮迅速蔓延 挑逗传统传媒业"


def test_heading_repeating_the_whole_title_loses_the_suffix():
    root = parse_html(page("<title>武汉的声音：有英勇的你-新华网</title>",
                           '<div class="title">武汉的声音：有英勇的你-新华网</div>' + PARAS))
    assert find_title(root) == "武汉的声音：有英勇的你"


def test_title_naming_only_the_site_gives_way_to_the_heading_above_the_body():
    root = parse_html(page("<title>欢迎访问某某中心</title>",
                           '<table><tr><td><b><font size="3">某某：春运路上的故事</font></b></td></tr>'
                           "<tr><td>作者：某某 发布日期：9/17/2004 5:54:13 AM</td></tr></table>" + PARAS))
    assert find_title(root, body_start="第0段：道路交通安全宣传活动") == "某某：春运路上的故事"


# -- dates -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("byline", "expected"), [
    ("发布时间：2022年1月27日 10:30", "2022-01-27 10:30"),
    ("2022-01-27 10:30 来源：新华网", "2022-01-27 10:30"),
    ("来源：人民网 时间：2022-01-27", "2022-01-27"),
    ("发布日期：2022/1/7", "2022-01-07"),
    ("9/17/2004 5:54:13 PM", "2004-09-17 17:54"),
])
def test_visible_date_after_the_headline(byline, expected):
    root = parse_html(page("<title>某某通知</title>",
                           '<div class="side">热门 2019-03-04</div><h1>某某通知</h1>'
                           f"<div>{byline}</div>{PARAS}<ul><li>相关新闻 2018-01-01</li></ul>"))
    assert date_near_title(visible_text(root), "某某通知", TZ) == expected


def test_a_labelled_date_inside_the_body_is_not_the_byline():
    text = "关于召开年会的通知 2022-01-05 来源：本会 各会员单位：兹定于会议时间：2022年3月1日在北京召开年会。"
    assert date_near_title(text, "关于召开年会的通知", TZ, body_start="各会员单位") == "2022-01-05"


def test_signed_date_of_a_notice_wins_over_the_day_it_was_put_online():
    text = "成文日期： 2022年01月27日 标 题： 关于某某的通告 发文字号： 1号 发布日期： 2022年01月28日 正文……"
    assert date_near_title(text, "关于某某的通告", TZ) == "2022-01-27"


def test_date_block_just_before_the_headline():
    text = "首页 > 新闻 2021-12-20 交通安全宣传进校园 正文第一段……"
    assert date_near_title(text, "交通安全宣传进校园", TZ) == "2021-12-20"


def test_without_the_headline_in_the_text_the_byline_above_the_body_counts():
    text = "网站首页 发表于 2005-9-15 11:46:00 陈天华《警世钟》全文 2019年1月1日起实行的规定……"
    assert date_near_title(text, "某博客", TZ, body_start="陈天华《警世钟》全文") == "2005-09-15 11:46"


def test_dates_in_scripts_and_implausible_years_are_ignored():
    root = parse_html(page("<title>标题甲</title>",
                           "<h1>标题甲</h1><script>var d='2020-01-01';</script><p>编号 1899-01-01，共 3 条</p>"))
    assert date_near_title(visible_text(root), "标题甲", TZ) is None


def test_metadata_then_list_date():
    root = parse_html(page("<title>标题乙</title>", "<h1>标题乙</h1>" + PARAS))
    html = page('<meta property="article:published_time" content="2020-05-06T08:00:00+08:00"><title>标题乙</title>',
                "<h1>标题乙</h1>" + PARAS)
    assert find_date(parse_html(html), html, "http://example.org/a", "标题乙", TZ)[0][:10] == "2020-05-06"
    assert find_date(root, page(), "http://example.org/a", "标题乙", TZ, list_date="2021-02-03") == ("2021-02-03", "list")


# -- body ------------------------------------------------------------------------------------------
def _cand(name: str, text: str, links: float = 0.0) -> Candidate:
    from collections import Counter

    body = parse_html(page(body=f"<p>{text}</p>")).find(".//body")
    chars = Counter(ch for ch in text if ch.isalnum())
    return Candidate(name, body, chars, sum(chars.values()), links)


def test_nested_candidates_the_smaller_is_the_article():
    article = "正文内容" * 100
    small, large = _cand("a", article), _cand("b", article + "相关新闻友情链接版权所有" * 20, 0.3)
    assert choose([large, small]).name == "a"


def test_a_sliver_inside_a_long_text_is_not_the_article():
    text = "长篇正文的内容" * 200
    assert choose([_cand("a", "长篇正文"), _cand("b", text)]).name == "b"


def test_disagreeing_candidates_the_lower_link_density_wins():
    assert choose([_cand("menu", "首页新闻中心联系我们" * 30, 0.9), _cand("text", "交通安全知识普及" * 20)]).name == "text"
    assert choose([]) is None


def test_headline_and_byline_block_at_the_body_start_are_removed():
    body = parse_html(page(body="<div><table><tr><td><b>某地开展春运安全检查</b></td></tr>"
                                "<tr><td>2005-04-05 06:40 来源：某报</td></tr></table><p>正文第一段内容。</p></div>"))
    body = body.find(".//body/div")
    drop_title_heading(body, "某地开展春运安全检查")
    assert body.find(".//table") is None and "正文第一段" in body.text_content()


@pytest.mark.parametrize(("first", "probe", "dropped"), [
    ("<table><tr><td>2005-04-27 14:32更新 来源：千龙新闻网</td><td><a href='#c'>发表评论</a></td></tr></table>",
     "千龙", True),
    ("<p>作者：张三 编辑：李四</p>", "张三", True),
    ("<p>2022年1月27日，全省交警部门开展春运安全检查。</p>", "全省交警", False),   # a sentence opening with a date
    ("<p>道路交通安全宣传周启动</p>", "宣传周", False),
])
def test_a_byline_opening_the_body_is_removed_but_not_prose(first, probe, dropped):
    body = parse_html(page(body=f"<div>{first}<p>正文第一段内容，讲述春运安全。</p></div>")).find(".//body/div")
    drop_leading_byline(body)
    text = body.text_content()
    assert "正文第一段" in text
    assert (probe not in text) is dropped


def test_navigation_and_related_links_at_the_edges_of_the_body_are_trimmed():
    nav = "<table><tr>" + "".join(f"<td><a href='/c{i}'>栏目{i}</a></td>" for i in range(8)) + "</tr></table>"
    related = "<ul>" + "".join(f"<li><a href='/n{i}'>其他新闻标题{i}</a></li>" for i in range(5)) + "</ul>"
    body = parse_html(page(body=f"<div>{nav}<p>正文第一段，<a href='/x'>链接</a>说明春运安全。</p>"
                                f"<p>正文第二段内容。</p>{related}</div>")).find(".//body/div")
    trim_link_blocks(body)
    text = body.text_content()
    assert "栏目" not in text and "其他新闻" not in text
    assert "正文第一段" in text and "链接" in text and "正文第二段" in text


def test_keyword_list_description_is_no_summary(profile):
    html = page('<title>标题丙 - 某网</title><meta name="description" content="某网,2013,云南,云南网">',
                "<h1>标题丙</h1>" + PARAS)
    assert "Summary:" not in process_page(html, "http://o.example/c", profile, on_profile_host=False,
                                          list_date="2013-05-06").text
    html = html.replace("某网,2013,云南,云南网", "全省交警部门开展春运道路交通安全检查")
    assert "Summary: 全省交警部门开展春运道路交通安全检查\n" in process_page(
        html, "http://o.example/c", profile, on_profile_host=False, list_date="2013-05-06").text


# -- the whole fallback ----------------------------------------------------------------------------
def test_other_site_page_through_the_pipeline(profile):
    html = page("<title>高速交警开展节前安全检查_要闻_某省交通网</title>",
                '<div class="menu"><a href="/">首页</a> <a href="/n">新闻</a></div>'
                '<div class="article"><h1>高速交警开展节前安全检查</h1><div class="info">发布时间：2023-01-18 09:15'
                f" 来源：某省交通网</div>{PARAS}</div>"
                '<ul class="related"><li><a href="/x">其他新闻 2023-01-01</a></li></ul>')
    result = process_page(html, "http://other.example/news/1.html", profile, column_name="行业动态",
                          on_profile_host=False)
    text = result.text
    assert "Title: 高速交警开展节前安全检查\n" in text
    assert "Date: 2023-01-18 09:15\n" in text
    assert "Category: 行业动态\n" in text
    assert "\nReview: generic-extractor (article is on another site" in text
    body = text.partition("\n\n")[2]
    assert "第7段" in body and "高速交警开展节前安全检查" not in body and "其他新闻" not in body


def test_association_page_without_its_metadata_keeps_title_date_and_badge(profile):
    """A template change that loses the meta tags and the selectors: the association's layout gives
    the post (no Review:); the generic fallback alone would still read the year-over-MM-DD date block
    (in the side column the profile's chrome list removes for the body) and the badge."""
    import re

    from scraper_helpers import FIXTURES

    html = (FIXTURES / "news-article-4821.html").read_text(encoding="utf-8")
    html = re.sub(r'<meta name="(ArticleTitle|PubDate|ColumnName|ContentSource|description)"[^>]*>', "", html)
    html = html.replace('id="zoom"', 'id="content-changed"').replace("detail-tit", "headline-changed")
    url = "https://www.crsa.net/news/article/4821"
    result = process_page(html, url, profile, column_name="交管动态")
    assert result.path == "layout" and result.article.review is None
    text = result.text
    assert "Title: 保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案\n" in text
    assert "Date: 2021-12-20\n" in text and "Recommended: true\n" in text
    assert "Source: 中国道路交通安全协会\n" in text
    assert "扫黑除恶专项斗争" in text.partition("\n\n")[2]
    generic = extract_generic(parse_html(html), html, url, profile, reason="selectors changed", column_name="交管动态")
    assert generic.title == "保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案"
    assert generic.date.startswith("2021-12-20") and generic.recommended
    assert generic.review and "generic-extractor" in generic.review


def test_page_without_any_date_is_refused_not_dated_the_crawl_day(profile):
    from scraper.extract import NotArticle

    html = page("<title>无日期的文章</title>", "<h1>无日期的文章</h1>" + PARAS)
    with pytest.raises(NotArticle, match="no publication date found"):
        process_page(html, "http://other.example/undated.html", profile, on_profile_host=False)
    # The list's date is enough.
    result = process_page(html, "http://other.example/undated.html", profile, on_profile_host=False,
                          list_date="2022-03-04")
    assert "Date: 2022-03-04\n" in result.text


def test_page_without_article_text_is_refused(profile):
    from scraper.extract import NotArticle

    with pytest.raises(NotArticle, match="no article text"):
        process_page(page("<title>空页</title>", "<div></div>"), "http://other.example/empty.html", profile,
                     on_profile_host=False)


def test_crawl_gives_the_list_date_to_an_undated_page_of_another_site(httpserver, tmp_path, profile):
    httpserver.expect_request("/robots.txt").respond_with_data(FAST_ROBOTS, content_type="text/plain")
    other = f"http://127.0.0.1:{httpserver.port}/external/undated.html"
    httpserver.expect_request("/news/list/12").respond_with_data(
        list_page([(other, "2022-03-04", "外链无日期")]), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/external/undated.html").respond_with_data(
        page("<title>外链无日期 - 某网站</title>", "<h1>外链无日期</h1>" + PARAS),
        content_type="text/html; charset=utf-8")
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 1, stats.problems
    (md,) = (tmp_path / "content").rglob("*.md")
    text = md.read_text(encoding="utf-8")
    assert "Date: 2022-03-04\n" in text and "Title: 外链无日期\n" in text
    assert "the date is the list's" in text
