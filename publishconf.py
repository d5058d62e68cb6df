"""Settings for publishing: everything from pelicanconf.py, plus an absolute SITEURL and feeds."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

# Where the site is served; CI passes the GitHub Pages URL, the association's own server another.
SITEURL = os.environ.get("SITEURL", "https://news.crsa.example").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True

FEED_DOMAIN = SITEURL
# Atom and RSS 2.0 feeds per language (plugins/languages prefixes them: zh-hant/feeds/…, en/feeds/…),
# and per column.  FEED_ATOM holds only that language's articles; FEED_ALL_ATOM would mix in
# translations.  Every page's head links to its language's feeds and its column's (theme/templates/
# partials/feed_links.html).  Feeds need absolute links, so the development build has none.
FEED_ATOM = "feeds/all.atom.xml"
FEED_RSS = "feeds/all.rss.xml"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/{slug}.rss.xml"
# The newest 50 articles per feed: a feed is for readers keeping up, not the archive.
FEED_MAX_ITEMS = 50
ROBOTS_TXT = True
