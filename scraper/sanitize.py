"""nh3 (ammonia) sanitising of the article fragment before conversion.

Allowed: text structure, links, images and tables. Removed: <script>/<style>/
<iframe>/<object>... with their content, every on* and style attribute,
and URLs with any scheme other than http, https and mailto (javascript:,
data:, vbscript: ...). Relative URLs pass (local ``{static}``/``{attach}`` links).
"""

from __future__ import annotations

import nh3

TAGS = frozenset(
    "p br hr div span h1 h2 h3 h4 h5 h6 strong b em i u s del sub sup blockquote pre code "
    "ul ol li dl dt dd a img figure figcaption table caption thead tbody tfoot tr th td".split()
)
CLEAN_CONTENT_TAGS = frozenset(
    "script style iframe frame frameset object embed applet noscript template svg math "
    "form button select textarea input canvas audio video".split()
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_fragment(html: str) -> str:
    """Return safe HTML for an article fragment."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
