"""Pelican settings for the development build (`make site`, `make serve`).

`publishconf.py` imports everything from here and overrides what differs when
publishing (absolute SITEURL, feeds).  Settings that belong to this project
(not to Pelican) are grouped at the end and documented in docs/architecture.md.
"""

import logging
import os

PROJECT_DIR = os.path.dirname(os.path.abspath(__file__))

# --- Site identity -----------------------------------------------------------
AUTHOR = "中国道路交通安全协会"
SITENAME = "中国道路交通安全协会"
SITE_SLOGAN = "共同让道路交通更安全"
SITE_HOST_LINE = "中国道路交通安全协会主办"
SITEURL = ""
# Relative links let the built site be opened straight from disk (file://).
RELATIVE_URLS = True

PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Asia/Shanghai"
# Pelican lower-cases language codes; SITE_LANGUAGES maps them to BCP 47 tags.
DEFAULT_LANG = "zh-hans"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

THEME = "theme"
PLUGIN_PATHS = ["plugins"]
# parallel_read: posts converted from Markdown by forked workers before Pelican's loop (READ_PROCS).
PLUGINS = ["parallel_read", "pelican_speedups", "languages", "content_guard", "news_context", "related", "share", "frozen_urls"]
# Posts are Markdown only; no reStructuredText reader (and no docutils warning for zh-Hans).
READERS = {"rst": None, "htm": None, "html": None}

# --- Content -------------------------------------------------------------------
ARTICLE_PATHS = ["news"]
PAGE_PATHS = ["pages"]
# images/: files shared by several posts ({static}/images/…; the folder is kept in git by a .gitkeep,
# which "**/.*" keeps out of the site); news/: each post's own images and attachments ({attach}).
STATIC_PATHS = ["images", "news"]
# Copy a post's image or attachment only when its source is newer than the copy in the output (an
# archive's images are most of its bytes; plugins/incremental, plugins/sitebuild/prelink.py).
STATIC_CHECK_IF_MODIFIED = True
# `<post>.scraped.md` is the scraper's proposal beside an editor-changed post; ".*": hidden files
# (.DS_Store, editors' swap files, .gitkeep), which Pelican matches by file name.
IGNORE_FILES = [".*", "**/.*", "*.scraped.md", "*.scraped.md.tmp*"]
USE_FOLDER_AS_CATEGORY = False
# A missing category must fail the build, never fall back silently.
DEFAULT_CATEGORY = ""
SLUGIFY_SOURCE = "title"
MARKDOWN = {
    "extension_configs": {
        # Table column alignment as `align`, not `style=` (which the Content-Security-Policy blocks).
        "markdown.extensions.extra": {"tables": {"use_align_attribute": True}},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
FORMATTED_FIELDS = ["summary"]
# `![](photo.png)` is a decorative image: it gets alt="" (what WCAG asks of decoration), which is
# valid.  Pelican warns about every empty alt, and `--fatal warnings` would stop the build on it;
# editors write alt text for every image that says something (docs/editors.md).
LOG_FILTER = [(logging.WARNING, "Empty alt attribute for image %s in %s")]
SUMMARY_MAX_LENGTH = 60

# --- URLs (every URL ends in a file name so file:// browsing works) ----------
ARTICLE_URL = "news/{date:%Y}/{date:%m}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
ARTICLE_LANG_URL = "{lang}/news/{date:%Y}/{date:%m}/{slug}.html"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL
DRAFT_URL = "drafts/{slug}.html"
DRAFT_SAVE_AS = DRAFT_URL
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = PAGE_URL
PAGE_LANG_URL = "{lang}/{slug}.html"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL
CATEGORY_URL = "news/{slug}/index.html"
CATEGORY_SAVE_AS = CATEGORY_URL
CATEGORIES_SAVE_AS = "news/index.html"
TAG_URL = "tags/{slug}.html"
TAG_SAVE_AS = TAG_URL
TAGS_SAVE_AS = "tags/index.html"
ARCHIVES_SAVE_AS = "news/archives.html"
YEAR_ARCHIVE_URL = "news/{date:%Y}/index.html"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
NOTFOUND_SAVE_AS = "404.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "archives", "notfound"]
# The home page shows each column's newest articles, not a paginated list: it is not paginated
# (index-2.html … would be pages no link leads to).
PAGINATED_TEMPLATES = {"category": None, "tag": None}
DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = [
    (1, "{name}{extension}", "{name}{extension}"),
    (2, "{name}-{number}{extension}", "{name}-{number}{extension}"),
]

# --- Feeds (off in development; publishconf.py turns them on) -----------------
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Templates -----------------------------------------------------------------
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],
    # Templates do not change during a build, and every build (make serve's too) makes new
    # environments: skip Jinja's check of each template file's mtime on every include (~50,000).
    "auto_reload": False,
}
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

# --- Project settings ------------------------------------------------------------
# The association's news columns, in menu order: (name as in `Category:`, URL slug).
# The names are what the live site shows; the slugs make the column URLs.
NEWS_COLUMNS = [
    ("交管动态", "traffic"),
    ("协会动态", "association"),
    ("行业动态", "industry"),
]
# `make check` and the build refuse a `Date:` before this year, or more than a day in the future.
EARLIEST_POST_YEAR = 1990
# Front-matter fields every article must have (checked by plugins/content_guard).
REQUIRED_ARTICLE_FIELDS = ["title", "date", "category"]
# How many articles each home-page column block and side list shows.
HOME_ARTICLES_PER_COLUMN = 8
SIDEBAR_ARTICLES = 8
# Elements (and their attributes) editors may use in a post beyond the site's sanitising policy
# (plugins/content_guard/safety.py, listed in docs/publishing.md), e.g. {"kbd": [], "abbr": ["title"]}.
# Script, style, frames, forms and on…/style attributes stay refused whatever this says.
CONTENT_HTML_EXTRA = {}
# Content-Security-Policy (docs/publishing.md): every page carries it as
# <meta http-equiv="Content-Security-Policy"> (base.html), which works on GitHub Pages and from
# file://.  No inline script or style; scripts, styles and fonts only from the site itself (images
# also over https:, where a scraped image whose download failed still lives).
# The association's server sends it as a header, plus CONTENT_SECURITY_POLICY_HEADER_ONLY: the
# directives browsers ignore in a <meta> (frame-ancestors, report-uri, sandbox).  Tested to agree
# with the nginx line of docs/publishing.md.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
                           "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
                           "base-uri 'none'")
CONTENT_SECURITY_POLICY_HEADER_ONLY = "frame-ancestors 'none'"
# Related articles under each article (plugins/related; 0: none).
RELATED_ARTICLES = 5
# English column pages also list the column's newest articles that have no English translation
# yet, under their Chinese title, linking to the Chinese page (docs/languages.md).
LIST_UNTRANSLATED_ARTICLES = True
UNTRANSLATED_LIST_LENGTH = 20
# Length of a page's meta description (cut on a sentence boundary, or ending with "…").
DESCRIPTION_MAX_CHARS = 120
# Every page's canonical URL is its own.  True: the 简体 page of a scraped article names its
# source page (Source_url) as canonical instead — never a translation (docs/publishing.md).
CANONICAL_TO_SOURCE = False
# robots.txt naming the sitemap (publishconf.py turns it on: it needs the absolute SITEURL).
ROBOTS_TXT = False
# gettext catalogs of the theme's interface strings (plugins/languages/catalogs.py).
THEME_TRANSLATIONS_DIR = os.path.join(PROJECT_DIR, "theme", "translations")

# The site's languages, the default first (plugins/languages, docs/languages.md).
# `code`: what posts say in `Lang:` (any case); `tag`: BCP 47, for <html lang> and
# hreflang; `prefix`: where the language's pages live; `source`: where its content
# comes from ("original" posts, "opencc" conversion of them, or the editors'
# "translations"); `catalog`: the theme's gettext catalog; `babel_locale`: dates.
SITE_LANGUAGES = [
    {"code": "zh-hans", "tag": "zh-Hans", "label": "简", "name": "简体中文", "prefix": "",
     "source": "original", "catalog": "zh_Hans", "babel_locale": "zh_Hans_CN"},
    {"code": "zh-hant", "tag": "zh-Hant", "label": "繁", "name": "繁體中文", "prefix": "zh-hant/",
     "source": "opencc", "catalog": "zh_Hans", "babel_locale": "zh_Hant_TW"},
    {"code": "en", "tag": "en", "label": "EN", "name": "English", "prefix": "en/",
     "source": "translations", "catalog": None, "babel_locale": "en_GB",
     "settings": {
         "SITENAME": "China Road Traffic Safety Association",
         "SITE_SLOGAN": "Making road traffic safer, together",
         "SITE_HOST_LINE": "Run by the China Road Traffic Safety Association",
         "AUTHOR": "China Road Traffic Safety Association",
     },
     "column_names": {"交管动态": "Traffic Management News", "协会动态": "Association News", "行业动态": "Industry News"}},
]
# 繁體 is generated: OpenCC configuration (s2t, s2tw, s2twp or s2hk) and the editors'
# phrase overrides (简体<TAB>繁體 per line), applied with OpenCC, longest match first.
ZH_HANT_OPENCC_CONFIG = "s2t"
ZH_HANT_PHRASES_FILE = os.path.join(PROJECT_DIR, "content", "zh-hant-phrases.tsv")
# Site strings converted to 繁體 with OpenCC (English has its own in SITE_LANGUAGES).
LOCALIZED_SETTINGS = ["SITENAME", "SITE_SLOGAN", "SITE_HOST_LINE", "AUTHOR"]

# --- Search (plugins/search) -----------------------------------------------------
# Offline search over the news columns (docs/search.md): a Whoosh index outside output/
# (SEARCH_INDEX_DIR, default <parent of OUTPUT_PATH>/.search-index) and its static
# export under output/search/ for theme/static/js/search.js.  Every column of NEWS_COLUMNS
# is searched unless SEARCH_COLUMNS names some (e.g. SEARCH_COLUMNS = ["交管动态"]).
SEARCH_COLUMNS = None
SEARCH_EXPORT_DIR = "search"
SEARCH_BOOSTS = {"t": 3.0, "b": 1.0}
# Before content_guard: the search step forks as soon as the articles are read and makes its
# records while they are checked; it writes nothing until they pass (plugins/search/__init__.py).
PLUGINS.insert(PLUGINS.index("content_guard"), "search")
DIRECT_TEMPLATES += ["search"]
SEARCH_SAVE_AS = "search.html"

# --- Incremental builds (plugins/incremental) ---------------------------------------
# Only pages whose inputs changed are rendered, only changed bytes written, pages no longer produced
# removed: the output equals a build from scratch (docs/performance.md, "Incremental builds").  The
# record and Pelican's content cache live in <parent of OUTPUT_PATH>/.incremental/<output name>/,
# the cache under a digest of the settings, theme, plugins and libraries.  Registered last, so that
# every other plugin's changes to the settings are in that digest.
PLUGINS += ["incremental"]
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
# Not gzipped: Pelican compresses its reader cache at level 9 while the build waits (1.8 s at 10,000
# articles, 97 MB → 14 MB, in the stretch before any page is rendered); the folder is beside output/.
GZIP_CACHE = False
