"""`scraper doctor`: the selectors it proposes for a page of another template, pasted into a copy of
the profile, make the profile path (no layout extractor, no fallback) extract every field."""

from __future__ import annotations

import re

import pytest
from scraper_helpers import ROOT
from templates_helpers import TEMPLATES

from scraper.cli import main
from scraper.encoding import decode_html
from scraper.pipeline import process_page
from scraper.profile import load_profile

PROFILE = ROOT / "scraper" / "sites" / "crsa.toml"


def doctor(capsys, *args) -> str:
    assert main(["doctor", *args]) == 0
    return capsys.readouterr().out


def pasted_profile(tmp_path, output: str):
    """A copy of the profile with its tables replaced by the ones doctor printed, as an editor would paste them."""
    text = PROFILE.read_text(encoding="utf-8")
    for table in re.findall(r"^\[(\w+)\]\n(?:\w+ = .*\n)+", output, re.M):
        block = re.search(rf"^\[{table}\]\n(?:\w+ = .*\n)+", output, re.M).group(0)
        text = re.sub(rf"^\[{table}\]\n(?:(?!\[).*\n)*", block + "\n", text, count=1, flags=re.M)
    path = tmp_path / "pasted.toml"
    path.write_text(text, encoding="utf-8")
    return load_profile(path)


def fields(post: str) -> dict:
    head, body = post.split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    return {"meta": {k: v for k, v in meta.items() if k != "Date"}, "day": meta["Date"][:10],
            "body": body}


@pytest.mark.parametrize(("name", "sid"), [("divs", "10412"), ("nuxt", "12001"), ("table-gbk", "4821"),
                                           ("semantic", "5120"), ("spans-gb18030", "10234"), ("state-json", "20437"),
                                           ("br-firewall", "10645")])
def test_doctor_selectors_make_the_profile_path_extract_every_field(tmp_path, capsys, name, sid):
    page = TEMPLATES / name / "site" / f"article-{sid}.html"
    out = doctor(capsys, str(page), "--list", str(TEMPLATES / name / "site" / "list-12-1.html"))
    assert "extractor: layout" in out and "== Proposed selectors ==" in out
    assert "profile: selector(s) not found: body '#zoom', title 'h1.detail-tit'" in out
    profile = pasted_profile(tmp_path, out)
    html = decode_html(page.read_bytes(), None, str(page)).text
    url = f"https://www.crsa.net/news/article/{sid}"
    result = process_page(html, url, profile)
    assert result.path == "profile", result.misses
    expected = (TEMPLATES / name / "expected" / f"crsa-{sid}.md").read_text(encoding="utf-8")
    got, want = fields(result.text), fields(expected)
    assert got["meta"] == want["meta"]            # Title, Category, Summary, Recommended, Source ...
    assert got["day"] == want["day"]
    assert got["body"] == want["body"]            # sub-headings included
    if name == "divs":                            # the class-less page: the same post, byte for byte
        assert result.text == expected


def test_doctor_list_selectors_find_the_items(tmp_path, capsys, profile):
    import dataclasses
    out = doctor(capsys, str(TEMPLATES / "nuxt" / "site" / "article-12001.html"), "--list",
                 str(TEMPLATES / "nuxt" / "site" / "list-12-1.html"))
    pasted = pasted_profile(tmp_path, out)
    assert pasted.list_sel["item"] != profile.list_sel["item"]
    from scraper.extract import parse_html
    from scraper.profile import select_one
    root = parse_html((TEMPLATES / "nuxt" / "site" / "list-12-1.html").read_text(encoding="utf-8"))
    items = pasted.list_css["item"](root)
    links = [select_one(pasted.list_css["link"], li).get("href") for li in items]
    dates = [select_one(pasted.list_css["date"], li).text_content().strip() for li in items]
    assert links == ["/news/article/12001", "/news/article/11987"]
    assert dates == ["2021-12-20", "2022-01-10"]
    assert dataclasses.replace(pasted, path=PROFILE) is not None


def test_doctor_on_the_capture_says_the_profile_fits(capsys):
    out = doctor(capsys, str(ROOT / "tests" / "fixtures" / "cctssa" / "news-article-4821.html"))
    assert "extractor: profile" in out
    assert "the profile's [article] selectors already fit this page" in out or "[article]" in out


def test_doctor_missing_file_names_it(capfd):
    assert main(["doctor", "no/such/page.html"]) == 2
    assert "no/such/page.html" in capfd.readouterr().err


def test_doctor_prints_no_escape_sequences_from_a_page(tmp_path, capsys):
    page = (TEMPLATES / "divs" / "site" / "article-10412.html").read_text(encoding="utf-8")
    hostile = page.replace("<div>保民安", "<div>\x1b]0;owned\x07\x1b[2J保民安", 1)
    saved = tmp_path / "news-article-10412.html"
    saved.write_text(hostile, encoding="utf-8")
    out = doctor(capsys, str(saved))
    assert "\x1b" not in out and "\x07" not in out
    assert "保民安" in out
