"""Scraper for the CRSA news archive: crawls the site's news columns into Pelican posts.

Modules, one job each: profile (site profile), fetch (HTTP), robots, encoding,
extract (profile-driven), layout (the association's visible layout), embedded (page
state data) with jsliteral (reading JS data literals), fallback (trafilatura),
pipeline (profile -> layout -> fallback), sanitize (nh3), convert (markdownify),
post (front matter), store (state + safe writes), discovery (links by pattern,
pagination, sitemaps), crawl, diagnosis (exit 3 messages), source (one page from a
URL or file), doctor with css_path (selector proposals), cli.
"""

__version__ = "0.1.0"
