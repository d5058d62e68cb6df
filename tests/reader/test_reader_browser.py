"""The reader's pages in Debian's chromium (Playwright) over HTTP with a strict CSP: typography by
language, the print view, the phone menu, touch targets and font sizes, copy link, the link back from
the "not translated yet" notice — and the quality gates (CSP, axe, 360 px) on pages the project's
one-article content does not have: an article with previous/next, related articles and side lists,
a year archive by month, an English column listing untranslated articles."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

pytest_plugins = ["reader_fixtures"]
pytestmark = pytest.mark.browser

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
"""
PREFIXES = {"zh-Hans": "", "zh-Hant": "zh-hant/", "en": "en/"}
SEED = "news/2021/12/crsa-4821.html"


@pytest.fixture
def open_page(browser, reader_url):
    contexts = []

    def load(path, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(CSP_LISTENER)
        response = page.goto(reader_url + path, wait_until="load")
        assert response and response.ok, path
        return page

    yield load
    for context in contexts:
        context.close()


def rich_pages(site):
    """Per language: an article with previous and next, a year archive, the column page."""
    found = []
    for tag, prefix in PREFIXES.items():
        for article in sorted((site / prefix).glob("news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html")):
            text = article.read_text(encoding="utf-8")
            if 'rel="prev"' in text and 'rel="next"' in text and 'class="related"' in text:
                found.append((tag, article.relative_to(site).as_posix()))
                break
        year = sorted((site / prefix).glob("news/[0-9][0-9][0-9][0-9]/index.html"))[-1]
        found += [(tag, year.relative_to(site).as_posix()), (tag, f"{prefix}news/traffic/index.html")]
    return found


def test_quality_gates_on_rich_pages(reader_dev, open_page):
    pages = rich_pages(reader_dev)
    # an article with previous, next and related articles in each of the three languages
    assert len([path for _tag, path in pages if re.search(r"news/\d{4}/\d{2}/", path)]) == 3
    axe = Axe()
    problems = []
    for _tag, path in pages:
        page = open_page(path)
        page.wait_for_timeout(50)
        problems += [f"{path}: CSP {v}" for v in page.evaluate("window.__cspViolations")]
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"{path}: axe {violation['id']} {[n['target'] for n in violation['nodes'][:3]]}")
        phone = open_page(path, viewport={"width": 360, "height": 740})
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            problems.append(f"{path}: {width}px wide at 360px")
    assert not problems, "\n".join(problems)


def test_english_pages_use_english_typography(open_page):
    english = open_page("en/" + SEED)
    assert english.eval_on_selector(".detail__body p", "p => getComputedStyle(p).textIndent") == "0px"
    for selector in (".brand__name", ".brand__slogan"):
        assert english.eval_on_selector(selector, "e => getComputedStyle(e).letterSpacing") in ("normal", "0px")
    for prefix in ("", "zh-hant/"):
        chinese = open_page(prefix + SEED)
        indent = chinese.eval_on_selector(".detail__body p", "p => parseFloat(getComputedStyle(p).textIndent)")
        assert indent > 20
        assert chinese.eval_on_selector(".brand__slogan", "e => getComputedStyle(e).letterSpacing") == "4px"


QUOTE_WIDTH_EM = """() => {
  const p = document.querySelector('.copyright p'), text = p.firstChild, at = text.textContent.indexOf('\u201c');
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + 1);
  return range.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize);
}"""


def test_typography_by_language_holds_on_phones_and_for_quotes(open_page):
    # The phone's narrower Chinese spacing must win over the desktop's, and never reach English;
    # English is set in a Latin face: a CJK one draws “ a full em wide ("marked  “Source").
    phone = {"viewport": {"width": 360, "height": 740}}
    english = open_page("en/" + SEED, **phone)
    for selector in (".brand__name", ".brand__slogan"):
        assert english.eval_on_selector(selector, "e => getComputedStyle(e).letterSpacing") in ("normal", "0px")
    assert english.evaluate(QUOTE_WIDTH_EM) < 0.6
    for prefix in ("", "zh-hant/"):
        chinese = open_page(prefix + SEED, **phone)
        assert chinese.eval_on_selector(".brand__slogan", "e => getComputedStyle(e).letterSpacing") == "1px"
        assert chinese.eval_on_selector(".brand__name", "e => getComputedStyle(e).letterSpacing") in ("normal", "0px")
        assert chinese.evaluate(QUOTE_WIDTH_EM) > 0.9


def test_print_view_starts_with_the_association_and_the_source(open_page):
    for tag, prefix in PREFIXES.items():
        page = open_page(prefix + SEED)
        page.emulate_media(media="print")
        first = page.evaluate("""() => {
            const main = document.querySelector('main');
            const all = [...main.querySelectorAll('*')].filter(e => e.offsetParent !== null && e.innerText && e.innerText.trim());
            return all[0].innerText; }""")
        name = {"zh-Hans": "中国道路交通安全协会", "zh-Hant": "中國道路交通安全協會",
                "en": "China Road Traffic Safety Association"}[tag]
        first_lines = first.splitlines()[:2]
        assert first_lines[0] == name and "https://www.crsa.net/news/article/4821" in first_lines[1], \
            f"{tag}: {first[:120]!r}"
        for selector in (".badge", ".site-search", ".mainnav", ".date-block", ".share", ".lang-toggle", ".side-lists"):
            for element in page.query_selector_all(selector):
                assert not element.is_visible(), f"{tag}: {selector} is printed"
        dates = page.evaluate("""() => [...document.querySelectorAll('time')]
            .filter(t => t.offsetParent !== null).map(t => t.innerText)""")
        assert len(dates) == 1, f"{tag}: dates printed {dates}"


def test_phone_menu_opens_the_columns_without_leaving_the_page(open_page, browser, reader_url):
    page = open_page(SEED, viewport={"width": 360, "height": 740})
    columns = page.locator("#mainnav-columns")
    toggle = page.locator("[data-menu-toggle]")
    assert toggle.is_visible() and not columns.is_visible()
    box = toggle.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    url = page.url
    toggle.click()
    assert page.url == url and columns.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert columns.locator("a").count() >= 1
    page.keyboard.press("Escape")
    assert not columns.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    # without JavaScript the columns are a plain list of links
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        plain = context.new_page()
        plain.goto(reader_url + SEED)
        assert plain.locator("#mainnav-columns a").first.is_visible()
        assert not plain.locator("[data-menu-toggle]").is_visible()
    finally:
        context.close()


TARGETS_AND_TEXT = """() => {
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 &&
      getComputedStyle(e).visibility !== 'hidden'; };
  // WCAG 2.5.8: a target is 24 × 24 px, or a 24 px circle on it touches no other target; links
  // inside running text are exempt.
  const inline = e => e.closest('.detail__body p, .static-page p, .notice, .copyright, .empty, .untranslated__intro');
  const targets = [...document.querySelectorAll('a[href], button, input, select, textarea')]
      .filter(visible).filter(e => !inline(e) && !e.classList.contains('skip-link'));
  const rects = targets.map(e => e.getBoundingClientRect());
  const small = [];
  targets.forEach((e, i) => {
    const r = rects[i];
    if (r.width >= 24 && r.height >= 24) return;
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const clash = rects.some((o, j) => j !== i && !targets[j].contains(e) && !e.contains(targets[j]) &&
        Math.max(o.left - cx, 0, cx - o.right) ** 2 + Math.max(o.top - cy, 0, cy - o.bottom) ** 2 < 12 * 12);
    if (clash) small.push(`${e.tagName} ${(e.innerText || e.value || '').trim().slice(0, 20)} ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
  const tiny = [...document.querySelectorAll('body *')].filter(visible)
      .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
      .filter(e => !e.closest('.visually-hidden') && parseFloat(getComputedStyle(e).fontSize) < 12)
      .map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 20));
  return {small, tiny};
}"""


def test_touch_targets_and_font_sizes_on_phones(reader_dev, open_page):
    problems = []
    pages = rich_pages(reader_dev) + [(tag, prefix + "index.html") for tag, prefix in PREFIXES.items()]
    for _tag, path in pages:
        page = open_page(path, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        found = page.evaluate(TARGETS_AND_TEXT)
        problems += [f"{path}: tap target {s}" for s in found["small"]]
        problems += [f"{path}: font under 12px: {t}" for t in found["tiny"]]
        for link in page.query_selector_all(".lang-toggle a"):
            box = link.bounding_box()
            if box["width"] < 24 or box["height"] < 24:
                problems.append(f"{path}: language link {box['width']}x{box['height']}")
    assert not problems, "\n".join(problems[:30])


def test_copy_link_copies_the_absolute_address(browser, reader_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(reader_url + "en/" + SEED)
        assert page.input_value("[data-share-url]") == reader_url + "en/" + SEED
        page.click("[data-action=copy-link]")
        page.wait_for_function("document.querySelector('[data-copy-status]').textContent !== ''")
        assert page.text_content("[data-copy-status]") == "Link copied."
        assert page.evaluate("navigator.clipboard.readText()") == reader_url + "en/" + SEED
    finally:
        context.close()


def test_untranslated_notice_links_back_to_the_article(reader_dev, open_page):
    article = next(p for p in sorted(reader_dev.glob("news/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*.html"))
                   if not (reader_dev / "en" / p.relative_to(reader_dev)).exists())
    origin = article.relative_to(reader_dev).as_posix()
    page = open_page(origin)
    page.click(".lang-toggle a[hreflang=en]")
    page.wait_for_load_state("load")
    back = page.locator("#untranslated [data-back-to-article]")
    assert page.locator("#untranslated").is_visible() and back.is_visible()
    back.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(origin)
    # a hostile ?from= gives no link at all
    for hostile in ("javascript:alert(1)", "https://evil.example/x.html", "../../etc/passwd.html", "//evil.example/a.html"):
        page = open_page(f"en/news/traffic/index.html?from={hostile}#untranslated")
        assert not page.locator("[data-back-to-article]").is_visible(), hostile
        assert re.search(r"index\.html$", page.get_attribute("[data-back-to-article]", "href"))


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_previous_next_and_related_links_open_their_articles(browser, reader_dev, reader_url, scheme):
    base = reader_url if scheme == "http" else reader_dev.as_uri() + "/"
    _tag, path = rich_pages(reader_dev)[0]
    context = browser.new_context()
    try:
        page = context.new_page()
        for selector in (".article-nav a[rel=prev]", ".article-nav a[rel=next]", ".related a"):
            page.goto(base + path, wait_until="load")
            link = page.locator(selector).first
            title = link.inner_text()
            link.click()
            page.wait_for_load_state("load")
            assert page.url != base + path and page.url.startswith(base), selector
            assert page.locator("h1").inner_text() == title, f"{scheme} {selector}: {page.url}"
    finally:
        context.close()


def test_phones_see_articles_on_the_first_screen_of_list_pages(reader_dev, open_page):
    # One column on a phone: the column links come after the list, not as a first screen of links.
    for tag, path in rich_pages(reader_dev):
        if re.search(r"news/\d{4}/\d{2}/", path):
            continue
        page = open_page(path, viewport={"width": 360, "height": 740})
        first, links = page.evaluate("""() => [
            document.querySelector('.list-main .news-list__item').getBoundingClientRect().top,
            document.querySelector('.column-nav').getBoundingClientRect().top]""")
        assert first < min(740, links), f"{tag} {path}: first article at {first}px, column links at {links}px"
