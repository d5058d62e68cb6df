"""nh3 (ammonia) sanitising of the article fragment before conversion.

The policy is the site's one sanitising policy (``plugins/content_guard/safety.py``), which the
build and ``make check`` enforce on every post as well: allowed are text structure, links, images
and tables; removed are <script>/<style>/<iframe>/<object>... with their content, every on* and
style attribute, and URLs with any scheme other than http, https and mailto (javascript:, data:,
vbscript: ...). Relative URLs pass (local ``{static}``/``{attach}`` links).
"""

from __future__ import annotations

import nh3

from plugins.content_guard.safety import ATTRIBUTES, CLEAN_CONTENT_TAGS, TAGS, URL_SCHEMES

__all__ = ["ATTRIBUTES", "CLEAN_CONTENT_TAGS", "TAGS", "URL_SCHEMES", "sanitize_fragment"]


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
