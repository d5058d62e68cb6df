"""Gates in a real browser (Debian's chromium through Playwright) over the site served on 127.0.0.1:
no CSP violation, no serious or critical axe-core violation, a clean print view, no sideways scrolling
at 360 px — on the home, column, article and search pages of every language the build produced."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytest_plugins = ["quality_fixtures"]

pytestmark = pytest.mark.browser

# Collects Content-Security-Policy violations before any page script runs.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (line ${e.lineNumber})`);
});
"""
# Elements the print view must hide, when the page has them.
HIDDEN_IN_PRINT = [".topbar", ".masthead", ".mainnav", ".breadcrumb", ".side-lists", ".column-nav", ".site-footer",
                   ".detail__tools", ".search-box", ".site-search", ".lang-toggle", ".pagination", ".badge",
                   ".date-block", ".share", ".article-nav", ".related"]


@pytest.fixture
def page_at(browser, site_url):
    """page_at(path, **context options) → a loaded Playwright page (closed after the test)."""
    contexts = []

    def load(path, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(CSP_LISTENER)
        response = page.goto(site_url + path, wait_until="load")
        assert response and response.ok, f"{path}: HTTP {response and response.status}"
        return page

    yield load
    for context in contexts:
        context.close()


def test_pages_work_under_a_strict_content_security_policy(gates, page_at):
    problems = []
    for gate in gates:
        page = page_at(gate.path)
        errors = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.wait_for_timeout(50)
        problems += [f"{gate}: CSP {v}" for v in page.evaluate("window.__cspViolations")]
        problems += [f"{gate}: script error {e}" for e in errors]
    assert not problems, "\n".join(problems)


def test_axe_finds_no_serious_or_critical_violation(gates, page_at):
    axe = Axe()
    problems = []
    for gate in gates:
        page = page_at(gate.path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = "; ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                                  for node in violation["nodes"][:5])
                problems.append(f"{gate}: {violation['impact']} {violation['id']} — {violation['help']} — {nodes}")
    assert not problems, "\n".join(problems)


def test_print_view_hides_navigation_and_shows_the_article_url(gates, page_at):
    problems = []
    for gate in (g for g in gates if g.kind == "article"):
        page = page_at(gate.path)
        page.emulate_media(media="print")
        for selector in HIDDEN_IN_PRINT:
            for element in page.query_selector_all(selector):
                if element.is_visible():
                    problems.append(f"{gate}: {selector} is printed")
        if not page.locator("h1").first.is_visible():
            problems.append(f"{gate}: the headline is not printed")
        url = page.locator(".print-url")
        if url.count() != 1 or not url.is_visible():
            problems.append(f"{gate}: no visible .print-url in print")
        elif page.url not in url.inner_text():
            problems.append(f"{gate}: .print-url shows {url.inner_text()!r}, not {page.url}")
        page.emulate_media(media="screen")
        if url.count() == 1 and url.is_visible():
            problems.append(f"{gate}: .print-url is shown on screen")
    assert not problems, "\n".join(problems)


def test_no_horizontal_scrolling_at_360_px(gates, page_at, tmp_path_factory):
    shots = tmp_path_factory.mktemp("screenshots-360")
    problems = []
    for gate in gates:
        page = page_at(gate.path, viewport={"width": 360, "height": 740}, device_scale_factor=1)
        page.screenshot(path=str(shots / (gate.path.replace("/", "_") + ".png")), full_page=True)
        width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if width > 360:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 361).slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))""")
            problems.append(f"{gate}: page is {width}px wide at 360px ({', '.join(wide)}); screenshot in {shots}")
    assert not problems, "\n".join(problems)
