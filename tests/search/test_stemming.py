"""The browser stems English queries exactly as the index was stemmed in Python.

Python uses the ``snowballstemmer`` package; search.js loads the JavaScript build of the same
Snowball version (theme/static/js/vendor/snowball/).  ``data/english_words.txt`` is a fixed list of
about 6,000 words (a sample of the words in CPython's standard library, plus inflections that
the English pages use).
"""

from __future__ import annotations

from pathlib import Path

from plugins.search.analysis import english_stem

HERE = Path(__file__).resolve().parent
SEARCH_JS = HERE.parents[1] / "theme" / "static" / "js" / "search.js"


def test_snowball_english_in_python():
    assert [english_stem(w) for w in ["crimes", "crime", "policing", "policed", "cities", "generously"]] == [
        "crime", "crime", "polic", "polic", "citi", "generous"]


def test_browser_stems_every_word_as_python_does(browser, tmp_path):
    words = (HERE / "data" / "english_words.txt").read_text(encoding="utf-8").split()
    page_file = tmp_path / "stem.html"
    page_file.write_text(f'<!DOCTYPE html><meta charset="utf-8"><script src="{SEARCH_JS.as_uri()}" '
                         'data-lang="en"></script>', encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        in_browser = page.evaluate("words => CRSASearch.stem(words)", words)
    finally:
        page.close()
    differ = [(w, b, english_stem(w)) for w, b in zip(words, in_browser, strict=True) if b != english_stem(w)]
    assert len(in_browser) == len(words) > 5000
    assert not differ, differ[:20]
