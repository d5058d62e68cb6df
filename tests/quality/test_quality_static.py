"""Gates over the files of the built site: links and assets resolve, HTML5 is well-formed, CSP-ready."""

import html5lib
from quality_support import all_pages

from plugins.sitebuild.links import broken_links

pytest_plugins = ["quality_fixtures"]

def test_every_internal_link_and_asset_resolves_in_every_language(built_site):
    assert broken_links(built_site) == []


def test_every_page_is_well_formed_html5(built_site):
    problems = []
    for page in all_pages(built_site):
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(built_site)
        if not text.startswith("<!DOCTYPE html>"):
            problems.append(f"{rel}: does not start with <!DOCTYPE html>")
        parser = html5lib.HTMLParser(namespaceHTMLElements=False)
        doc = parser.parse(text)
        for (line, col), code, data in parser.errors:
            problems.append(f"{rel}:{line}:{col}: {code} {data or ''}")
        ids = [el.get("id") for el in doc.iter() if el.get("id")]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"{rel}: id {dup!r} is used more than once")
        if doc.find("./head/title") is None or not (doc.find("./head/title").text or "").strip():
            problems.append(f"{rel}: no <title>")
    assert not problems, "\n".join(problems)


def test_no_page_needs_inline_script_or_style_for_a_strict_csp(built_site):
    problems = []
    for page in all_pages(built_site):
        doc = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
        rel = page.relative_to(built_site)
        for el in doc.iter():
            if el.tag == "script" and (el.text or "").strip() and el.get("type") != "application/ld+json":
                problems.append(f"{rel}: inline <script>")
            if el.tag == "style":
                problems.append(f"{rel}: inline <style>")
            if el.get("style") is not None:
                problems.append(f"{rel}: style attribute on <{el.tag}>")
            problems += [f"{rel}: {a} attribute on <{el.tag}>" for a in el.keys() if a.lower().startswith("on")]
            if el.get("href", "").strip().lower().startswith("javascript:"):
                problems.append(f"{rel}: javascript: URL")
    assert not problems, "\n".join(problems)
