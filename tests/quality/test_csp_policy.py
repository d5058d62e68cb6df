"""The Content-Security-Policy: one setting (pelicanconf.CONTENT_SECURITY_POLICY), written into every
page as a <meta http-equiv> before anything it governs, and the same policy in the server header
docs/publishing.md gives (plus the directives a <meta> cannot carry)."""

import re

import html5lib
from build_helpers import ROOT
from quality_support import all_pages

import pelicanconf

pytest_plugins = ["quality_fixtures"]

META_IGNORED = ("frame-ancestors", "report-uri", "report-to", "sandbox")


def directives(policy: str) -> dict[str, str]:
    return {d.split()[0].lower(): " ".join(d.split()[1:]) for d in policy.split(";") if d.strip()}


def test_the_policy_is_strict_and_fit_for_a_meta():
    policy = directives(pelicanconf.CONTENT_SECURITY_POLICY)
    assert policy["default-src"] == "'none'"
    for name in ("script-src", "style-src"):
        assert policy[name] == "'self'", f"{name}: scripts and styles only from the site itself"
    assert not any(name in policy for name in META_IGNORED), "browsers ignore these in a <meta>"
    header_only = directives(pelicanconf.CONTENT_SECURITY_POLICY_HEADER_ONLY)
    assert set(header_only) <= set(META_IGNORED) and "frame-ancestors" in header_only


def test_every_page_carries_the_policy_before_any_script_or_style(built_site):
    problems = []
    for page in all_pages(built_site):
        rel = page.relative_to(built_site)
        head = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False).find("head")
        children = list(head)
        metas = [i for i, el in enumerate(children)
                 if el.tag == "meta" and (el.get("http-equiv") or "").lower() == "content-security-policy"]
        if len(metas) != 1:
            problems.append(f"{rel}: {len(metas)} CSP <meta> elements")
            continue
        if children[metas[0]].get("content") != pelicanconf.CONTENT_SECURITY_POLICY:
            problems.append(f"{rel}: the CSP <meta> differs from CONTENT_SECURITY_POLICY")
        first_governed = next((i for i, el in enumerate(children) if el.tag in ("script", "link", "style")), None)
        if first_governed is not None and first_governed < metas[0]:
            problems.append(f"{rel}: <{children[first_governed].tag}> comes before the CSP <meta>")
    assert not problems, "\n".join(problems[:20])


def test_the_documented_server_header_is_the_same_policy():
    docs = (ROOT / "docs/publishing.md").read_text(encoding="utf-8")
    headers = re.findall(r'add_header Content-Security-Policy "([^"]+)"', docs)
    assert headers, "docs/publishing.md has no nginx Content-Security-Policy line"
    expected = f"{pelicanconf.CONTENT_SECURITY_POLICY}; {pelicanconf.CONTENT_SECURITY_POLICY_HEADER_ONLY}"
    for header in headers:
        assert header == expected, "docs/publishing.md's header and pelicanconf.py's policy differ"
