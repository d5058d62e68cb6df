"""Embedded page data read without running any script, and the layout extractor's Review: rules."""

from __future__ import annotations

import pytest
from templates_helpers import TEMPLATES

from scraper.embedded import find_embedded
from scraper.extract import parse_html
from scraper.jsliteral import JSLiteralError, parse_assignment
from scraper.layout import recover_subheadings
from scraper.pipeline import process_page

NUXT_PAGE = (TEMPLATES / "nuxt" / "site" / "article-12001.html").read_text(encoding="utf-8")
URL = "https://www.crsa.net/news/article/12001"


def page_with(script: str, body: str = "") -> object:
    return parse_html(f"<html><head>{script}</head><body>{body}</body></html>")


# -- the JS literal reader -----------------------------------------------------------------------------
def test_plain_object_literal():
    text = "{a:1,'b':\"x\\u003Cp\\u003E\",c:[1,2,],d:!0,e:void 0,f:new Date(1),g:a.b(c),h:-2.5e1,i:0x1F,}"
    assert parse_assignment(text) == {"a": 1, "b": "x<p>", "c": [1, 2], "d": True, "e": None, "f": None, "g": None,
                                      "h": -25.0, "i": 31}


def test_nuxt_function_form_binds_parameters_to_arguments():
    text = '(function(a,b,c,d){return {data:[{article:{title:a,id:b,top:c,none:d,k:{a}}}]}}("标题",12001,!1,null));'
    assert parse_assignment(text) == {"data": [{"article": {"title": "标题", "id": 12001, "top": False, "none": None,
                                                            "k": {"a": "标题"}}}]}


def test_json_form_and_comments():
    assert parse_assignment('/* state */ {"x": [true, null, "a\\"b"], // end\n "y": {}}') == \
        {"x": [True, None, 'a"b'], "y": {}}


@pytest.mark.parametrize("bad", ["{a:", "{a:1 b:2}", '"unterminated', "{" * 500 + "}" * 500, "[1,2", "{'a':'\\x4'}"])
def test_unreadable_literals_raise_clear_errors(bad):
    with pytest.raises(JSLiteralError):
        parse_assignment(bad)


@pytest.mark.parametrize("code", ["function(){ return 1 }", "fetch('/steal')", "(function(){return x}())"])
def test_code_is_not_data(code):
    try:
        assert parse_assignment(code) is None
    except JSLiteralError:
        pass


def test_unreadable_state_script_is_ignored():
    root = page_with("<script>window.__NUXT__=(function(a){return {data:[{article:{title:a,content:</script>")
    assert find_embedded(root) is None


def test_nothing_is_executed():
    # A value that is an expression (a call) is read as absent, never evaluated.
    root = page_with("<script>window.__INITIAL_STATE__={article:{title:alert(1),content:fetch('/x'),"
                     "publishTime:'2022-01-02 03:04'}}</script>")
    assert find_embedded(root) is None


# -- embedded articles ------------------------------------------------------------------------------------
def test_nuxt_state_article():
    emb = find_embedded(parse_html(NUXT_PAGE))
    assert emb.origin == "window.__NUXT__"
    assert emb.title.startswith("保民安") and emb.date == "2021-12-20 09:30" and emb.column == "交管动态"
    assert emb.recommended is True and emb.source == "中国道路交通安全协会"
    assert "<h3>重拳出击“减”犯罪“除”邪恶</h3>" in emb.body_html


def test_initial_state_json_parse_form_and_epoch_dates():
    script = ("<script>window.__INITIAL_STATE__=JSON.parse(\"{\\\"news\\\":{\\\"newsTitle\\\":\\\"标题\\\","
              "\\\"newsContent\\\":\\\"<p>正文正文正文正文正文正文正文正文正文正文正文</p>\\\","
              "\\\"pubTime\\\":1640000000000}}\")</script>")
    emb = find_embedded(page_with(script))
    assert emb.title == "标题" and emb.date == "2021-12-20 19:33" and emb.body_html.startswith("<p>")


def test_next_data_and_json_ld():
    nxt = ('<script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"detail":{"title":"甲",'
           '"content":"<p>内容内容内容内容内容内容内容内容内容内容内容</p>","publishDate":"2022-03-01"}}}}</script>')
    assert find_embedded(page_with(nxt)).title == "甲"
    ld = ('<script type="application/ld+json">{"@graph":[{"@type":"WebPage","name":"页"},{"@type":"NewsArticle",'
          '"headline":"乙","datePublished":"2022-03-01T08:00:00Z","articleSection":"协会动态","description":"摘"}]}'
          "</script>")
    emb = find_embedded(page_with(ld))
    assert (emb.title, emb.date, emb.column, emb.summary) == ("乙", "2022-03-01 16:00", "协会动态", "摘")


# -- the layout extractor: Review: only when a field is missing or disagrees with the state data ---------
def test_layout_post_without_review_when_everything_agrees(profile):
    result = process_page(NUXT_PAGE, URL, profile)
    assert result.path == "layout" and result.article.review is None


def test_layout_post_flagged_when_state_data_disagrees(profile):
    html = NUXT_PAGE.replace("isRecommend:b", "isRecommend:c").replace(
        'title:"保民安', 'title:"另一个标题保民安')
    result = process_page(html, URL, profile)
    assert result.path == "layout"
    assert "title differs from window.__NUXT__" in result.article.review
    assert "最新推荐 badge differs" in result.article.review
    assert "\nReview: layout-extractor (" in result.text


def test_layout_post_flagged_when_a_field_is_missing(profile):
    html = (TEMPLATES / "divs" / "site" / "article-10412.html").read_text(encoding="utf-8")
    summary = html.split("</span></div><div>", 1)[1].split("</div>", 1)[0]
    html = html.replace(f"<div>{summary}</div>", "")
    result = process_page(html, "https://www.crsa.net/news/article/10412", profile)
    assert result.path == "layout" and "summary not found" in result.article.review


def test_column_falls_back_to_the_list(profile):
    html = (TEMPLATES / "divs" / "site" / "article-10437.html").read_text(encoding="utf-8").replace(
        ">协会动态</a>", ">通知公告</a>")
    result = process_page(html, "https://www.crsa.net/news/article/10437", profile, column_name="协会动态")
    assert result.article.category == "协会动态"


def test_subheadings_recovered():
    body = parse_html(
        "<div><p><strong>加粗小标题</strong></p><p style='text-align:center'>居中小标题</p><h4>四级标题</h4>"
        "<p><strong>加粗</strong>后面还有正文，这是一段普通的文字。</p><p style='text-align:center'><img src='a.jpg'></p>"
        "<p style='text-align:center'>图片说明文字</p><p><b>这是一句很长的加粗的话，它以句号结尾，所以不是小标题。</b></p></div>"
    ).find(".//div")
    recover_subheadings(body)
    assert [h.text for h in body.iter("h2")] == ["加粗小标题", "居中小标题", "四级标题"]


def test_state_object_with_the_page_title_wins_over_related_articles(profile):
    related = ('hotList:[{id:10233,title:"示例热门新闻一",content:"<p>' + "很长的相关文章内容。" * 3000
               + '</p>",publishTime:"2021-01-01 00:00:00"}]')
    html = NUXT_PAGE.replace('hotList:[{id:10233,title:"示例热门新闻一"}]', related)
    assert related in html
    result = process_page(html, URL, profile)
    assert result.path == "layout" and result.article.review is None
    assert result.article.date == "2021-12-20 09:30"
