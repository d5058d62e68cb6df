"""The article's own texts (plugins/news_context/reading.py): summary box only when it adds something,
cut texts that end on a sentence or with "…", only http(s) source links, the time of day."""

import datetime
import types

import pytest

from plugins.news_context.context import annotate_articles
from plugins.news_context.reading import complete_summary, cut_text, http_url, summary_repeats_body

BODY = "如果把平安建设比作一道“方程式”,那么山东公安主动解题。“减”“除”犯罪——2020年,山东扫黑除恶专项斗争主要战果位居全国前列。"


def test_a_summary_cut_from_the_body_repeats_it():
    assert summary_repeats_body(BODY[:40], BODY)
    assert summary_repeats_body(BODY[:40] + "…", BODY)
    assert summary_repeats_body("如果把平安建设比作一道 “方程式”，那么", BODY)  # spacing and punctuation differ
    assert not summary_repeats_body("山东公安三年来打掉涉黑组织242个。", BODY)
    assert summary_repeats_body("", BODY)


@pytest.mark.parametrize("text, limit, expected", [
    ("短句。", 10, "短句。"),
    ("第一句话说完了。第二句话还没有说完就到了上限", 14, "第一句话说完了。"),
    ("一二三四五六七八九十一二三四五六七八九十", 10, "一二三四五六七八九…"),
    ("Police stepped up checks. Then they went on patrolling the roads", 40, "Police stepped up checks."),
    ("Beijing police stepped up night-time patrols across the city", 30, "Beijing police stepped up…"),
])
def test_cut_text_ends_on_a_sentence_or_with_an_ellipsis(text, limit, expected):
    assert cut_text(text, limit) == expected
    assert len(cut_text(text, limit)) <= limit


def test_complete_summary_marks_a_summary_that_stops_mid_sentence():
    assert complete_summary("山东公安打掉涉黑组织242个。") == "山东公安打掉涉黑组织242个。"
    assert complete_summary("山东公安打掉涉黑组织242个,") == "山东公安打掉涉黑组织242个…"
    assert complete_summary("Police said “we will go on.”") == "Police said “we will go on.”"
    assert complete_summary("the main results of...") == "the main results of…"


@pytest.mark.parametrize("value, expected", [
    ("https://www.crsa.net/news/article/4821", "https://www.crsa.net/news/article/4821"),
    ("http://example.org/a?b=1", "http://example.org/a?b=1"),
    ("javascript:alert(1)", None), ("data:text/html,<script>", None), ("//evil.example/x", None),
    ("ftp://example.org/x", None), ("https://exa mple.org/", None), ("/news/x.html", None), (None, None), ("", None),
])
def test_only_http_source_links(value, expected):
    assert http_url(value) == expected


def _article(summary=None, body=BODY, date=datetime.datetime(2021, 12, 20, 9, 30), **extra):
    metadata = {"summary": summary} if summary is not None else {}
    return types.SimpleNamespace(metadata=metadata, _content=f"<p>{body}</p>", title="标题", date=date, **extra)


def test_annotate_articles():
    repeated, own, bare = (_article(f"<p>{BODY[:30]}</p>"), _article("<p>全省三年来打掉涉黑组织242个,破获命案积案</p>"),
                           _article(date=datetime.datetime(2021, 12, 20), source_url="javascript:alert(1)"))
    annotate_articles([repeated, own, bare], description_chars=30)
    assert not repeated.has_summary and repeated.summary_text == ""
    assert own.has_summary and own.summary_text == "全省三年来打掉涉黑组织242个,破获命案积案…"
    assert own.description.startswith("全省") and repeated.description.startswith("如果把平安建设")
    assert all(len(a.description) <= 30 for a in (repeated, own, bare))
    assert repeated.has_time and not bare.has_time
    assert bare.source_link is None


def test_text_start_reads_only_what_it_needs_and_never_half_a_tag():
    from plugins.news_context.reading import plain_text, text_start

    html = "<p>" + "交通安全。" * 400 + "</p>" + '<p><a href="https://example.org/">链接</a></p>' * 50
    assert text_start(html, 100).startswith("交通安全。交通安全。") and len(text_start(html, 100)) >= 101
    assert text_start(html, 100000) == plain_text(html)
    assert "<" not in text_start('<p>短</p><img src="x" alt="' + "长" * 5000 + '">', 3)
