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
# One Atom feed per language (plugins/languages prefixes it: zh-hant/feeds/…, en/feeds/…).
# FEED_ATOM holds only that language's articles; FEED_ALL_ATOM would mix in translations.
FEED_ATOM = "feeds/all.atom.xml"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
