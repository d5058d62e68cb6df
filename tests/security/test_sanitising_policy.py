"""The one sanitising policy (plugins/content_guard/safety.py): URLs, plain text, the body's HTML,
the editors' extra elements (CONTENT_HTML_EXTRA) — the same in the scraper, `make check` and the build."""

from __future__ import annotations

import pytest
from build_helpers import ROOT, run_pelican
from hostile_site import GOOD_HEAD, post_text
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.content_check.checker import check_content, load_settings
from plugins.content_guard import safety
from scraper import sanitize


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\x01javascript:alert(1)",
    "java\nscript:alert(1)", "java\tscript:alert(1)", "java&#x0A;script:alert(1)", "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)", "data:text/html,x", "DATA:image/svg+xml,x", "vbscript:msgbox(1)", "file:///etc/passwd",
])
def test_refused_urls(url):
    assert not safety.url_allowed(url)
    assert safety.url_problem(url) is not None


@pytest.mark.parametrize("url", [
    "https://www.crsa.net/a", "http://example.org/?a=1&b=2", "mailto:office@crsa.net", "//www.crsa.net/x",
    "#fn:1", "../2021/12/crsa-4821.html", "{static}crsa-4821/a.png", "{attach}crsa-4821/a.pdf", "a.html?x=y:z",
])
def test_allowed_urls(url):
    assert safety.url_allowed(url)


@pytest.mark.parametrize(("scraped", "plain"), [
    ("标题&lt;img src=x onerror=alert(1)&gt;&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;", "标题"),
    ("标题&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;", "标题"),
    ("A &amp; B", "A & B"),
    ("车速 5<6 & 7>3", "车速 5<6 & 7>3"),
    ("<b>粗</b>体\x07\x00", "粗体"),
    ("  多个\n\t空白\u3000 ", "多个 空白"),
    ("&amp;amp;amp;amp;amp;amp;amp;amp;lt;b", "＆amp;amp;amp;lt;b"),
])
def test_scraped_text_becomes_plain_text(scraped, plain):
    assert safety.plain_text(scraped) == plain
    assert safety.plain_text_problem("title", plain) is None


def test_the_scraper_uses_the_policy():
    assert (sanitize.TAGS, sanitize.ATTRIBUTES, sanitize.URL_SCHEMES) == (safety.TAGS, safety.ATTRIBUTES, safety.URL_SCHEMES)
    cleaned = sanitize.sanitize_fragment('<p onclick="x">a<a href="JaVaScRiPt:x">b</a><script>c</script></p>')
    assert cleaned == "<p>a<a>b</a></p>"
    assert safety.html_problems(cleaned) == []


def test_markdown_output_for_plain_markdown_passes():
    """What Python-Markdown writes for headings, footnotes, abbreviations and aligned tables is allowed."""
    from plugins.content_check.safety_check import render

    settings = load_settings(ROOT / "pelicanconf.py")
    text = "## 小标题\n\n正文[^1]，HTML。\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n[^1]: 注释\n\n*[HTML]: 超文本\n"
    rendered = render(text, settings)
    assert 'align="left"' in rendered and "style=" not in rendered
    assert safety.html_problems(rendered, settings) == []


def _write(tmp_path, body: str) -> None:
    folder = tmp_path / "content" / "news" / "traffic" / "2022"
    folder.mkdir(parents=True)
    (folder / "extra.md").write_text(post_text(GOOD_HEAD, body), encoding="utf-8")


EXTRA_BODY = "正文。\n\n按 <kbd>Ctrl</kbd> 键，<abbr title=\"x\">缩写</abbr>。\n"


def test_extra_elements_are_refused_by_default_and_allowed_by_the_setting(tmp_path):
    _write(tmp_path, EXTRA_BODY)
    settings = load_settings(ROOT / "pelicanconf.py")
    problems, _ = check_content(tmp_path / "content", settings, relative_to=tmp_path)
    assert [(p.line, p.finding.en) for p in problems] == [
        (12, "the body contains the HTML element <kbd>, which is not allowed")]
    allowed = dict(settings, CONTENT_HTML_EXTRA={"kbd": [], "script": [], "abbr": ["onclick", "style"]})
    assert check_content(tmp_path / "content", allowed, relative_to=tmp_path)[0] == []
    # What is never allowed stays refused, whatever the setting says.
    assert safety.extra_html(allowed) == {"kbd": frozenset(), "abbr": frozenset()}
    result = run_pelican(tmp_path / "content", tmp_path / "refused")
    assert result.returncode != 0 and "extra.md:12" in result.stdout + result.stderr
    result = run_pelican(tmp_path / "content", tmp_path / "built", "-e", 'CONTENT_HTML_EXTRA={"kbd": []}')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<kbd>Ctrl</kbd>" in (tmp_path / "built" / "news" / "2022" / "05" / "editor-post.html").read_text("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&;#x0123aAbl/t:\"' \n\x00\x07中文")) | st.characters(), max_size=60))
def test_plain_text_always_gives_what_make_check_accepts(value):
    plain = safety.plain_text(value)
    assert safety.plain_text_problem("title", plain) is None
    assert plain == safety.plain_text(plain)


def test_make_check_sends_no_control_character_to_the_terminal(tmp_path):
    """A file name and a link with escape sequences: `make check` names them, escaped (\\x1b)."""
    from hostile_site import TERMINAL

    from plugins.content_check.checker import report

    folder = tmp_path / "content" / "news" / "traffic" / "2022"
    folder.mkdir(parents=True)
    body = f"正文{TERMINAL}。\n\n<img src=\"missing\x1b[31m.png\" alt=\"图\">\n"
    (folder / f"post{TERMINAL.replace(chr(0), '')}.md").write_text(post_text(GOOD_HEAD, body), encoding="utf-8")
    problems, _count = check_content(tmp_path / "content", load_settings(ROOT / "pelicanconf.py"), relative_to=tmp_path)
    text = report(problems, _count)
    assert {p.finding.en for p in problems} >= {"the body contains control characters"}, text
    assert len(problems) >= 2 and "\\x1b" in text
    assert not safety.has_controls(text.replace("\n", "")), repr(text)
