"""Scraper for the CRSA news archive: crawls the site's news columns into Pelican posts.

Modules, one job each: profile (site profile), fetch (HTTP), robots, encoding,
extract (profile-driven), fallback (trafilatura), sanitize (nh3), convert
(markdownify), post (front matter), store (state + safe writes), crawl, cli.
"""

__version__ = "0.1.0"
