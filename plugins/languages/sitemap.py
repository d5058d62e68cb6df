"""sitemap.xml of every language, with hreflang alternates (and x-default); robots.txt naming it.

Only pages some page links to are planned (links.py), so the sitemap lists no orphan.
"""

from __future__ import annotations

import os
from xml.sax.saxutils import quoteattr

from .links import LanguageLinks

SKIPPED = {"notfound"}


def _absolute(settings, path: str) -> str:
    return f"{settings['SITEURL']}/{path}" if settings.get("SITEURL") else path


def write_sitemap(output_path: str, settings: dict, registry: LanguageLinks) -> str:
    skipped = {settings.get(f"{name.upper()}_SAVE_AS") for name in SKIPPED}
    default_code = settings["SITE_LANGUAGES"][0]["code"]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for code in sorted(registry.paths):
        for path in sorted(registry.paths[code]):
            if any(path.endswith(s) for s in skipped if s):
                continue
            lines.append(f"  <url><loc>{_xml(_absolute(settings, path))}</loc>")
            links = [link for link in registry.for_page(path) if link.available]
            for link in links:
                lines.append(
                    f'    <xhtml:link rel="alternate" hreflang={quoteattr(link.tag)} href={quoteattr(_absolute(settings, link.url))}/>'
                )
            default = next((link for link in links if link.code == default_code), None)
            if default is not None:
                lines.append(
                    f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(_absolute(settings, default.url))}/>'
                )
            lines.append("  </url>")
    lines.append("</urlset>")
    target = os.path.join(output_path, "sitemap.xml")
    with open(target, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return target


def _xml(text: str) -> str:
    return quoteattr(text)[1:-1]


def write_robots(output_path: str, settings: dict) -> str:
    """robots.txt: everything may be crawled; where the sitemap is (an absolute URL, so only with
    an absolute SITEURL).  Crawlers read it only at the root of a host: a site published under a
    sub-path (a GitHub Pages project site) must have it copied to the host's root to count."""
    siteurl = settings.get("SITEURL") or ""
    if not siteurl.startswith(("http://", "https://")):
        raise ValueError(f"ROBOTS_TXT needs an absolute SITEURL (http(s)://…), not {siteurl!r}: "
                         "set SITEURL (publishconf.py reads it from the environment) or ROBOTS_TXT = False")
    target = os.path.join(output_path, "robots.txt")
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n")
    return target
