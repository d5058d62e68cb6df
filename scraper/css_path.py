"""The shortest CSS selector that matches exactly one given element of a page (for ``scraper doctor``).

Candidates are built from the element upwards: each step is the element's tag, ``#id``, a class,
``tag.class`` or ``tag:nth-of-type(k)``, joined with ``>`` (parent) or a space (any ancestor). A beam
search keeps the candidates that match the fewest elements, shortest first, until one matches the
element alone. Every candidate is checked with cssselect (the library the profile uses), so what is
proposed is what the profile will match. Class-less pages get positional paths
(``body > div:nth-of-type(3) > div > div:nth-of-type(2)``), as other crawlers of the site use.
"""

from __future__ import annotations

import re

from lxml.cssselect import CSSSelector, SelectorError

_IDENT = re.compile(r"^-?[A-Za-z_][\w-]*$")
BEAM = 24
MAX_DEPTH = 14


def _steps(el) -> list[str]:
    tag = el.tag.lower()
    out = []
    el_id = (el.get("id") or "").strip()
    if _IDENT.match(el_id):
        out.append(f"#{el_id}")
    classes = [c for c in (el.get("class") or "").split() if _IDENT.match(c)]
    for c in classes:
        out += [f".{c}", f"{tag}.{c}"]
    if len(classes) >= 2:
        out.append("." + ".".join(classes[:2]))
    out.append(tag)
    parent = el.getparent()
    if parent is not None:
        same = [s for s in parent if isinstance(s.tag, str) and s.tag.lower() == tag]
        if len(same) > 1:
            out.append(f"{tag}:nth-of-type({same.index(el) + 1})")
            if classes:
                out.append(f"{tag}.{classes[0]}:nth-of-type({same.index(el) + 1})")
    return out


def _matches(selector: str, root, cache: dict) -> list:
    if selector not in cache:
        try:
            cache[selector] = CSSSelector(selector, translator="html")(root)
        except SelectorError:
            cache[selector] = []
    return cache[selector]


def unique_selector(el, root) -> str | None:
    """The shortest selector matching ``el`` alone within ``root`` (None if there is none)."""
    return selector_for([el], root)


def selector_for(elements: list, root) -> str | None:
    """The shortest selector matching exactly ``elements`` within ``root`` (None if there is none).

    For several elements (the items of a list) the elements' own steps are not positional."""
    cache: dict = {}
    el = elements[0]
    target = {id(x) for x in elements}
    own = _steps(el) if len(elements) == 1 else [s for s in _steps(el) if ":nth-of-type" not in s]
    beam = [(s, el) for s in own]
    best: str | None = None
    for _ in range(MAX_DEPTH):
        scored = []
        for sel, top in beam:
            found = {id(x) for x in _matches(sel, root, cache)}
            if not target <= found:
                continue
            if found == target:
                if best is None or len(sel) < len(best):
                    best = sel
                continue
            scored.append((len(found), len(sel), sel, top))
        if best is not None:
            return best
        scored.sort(key=lambda t: (t[0], t[1]))
        beam = []
        for _, _, sel, top in scored[:BEAM]:
            parent = top.getparent()
            if parent is None or not isinstance(parent.tag, str):
                continue
            for step in _steps(parent):
                beam.append((f"{step} > {sel}", parent))
            # "any ancestor" steps: the nearest few ancestors that have an id or a class
            grand, named = parent.getparent(), 0
            while grand is not None and isinstance(grand.tag, str) and named < 3:
                steps = [s for s in _steps(grand) if s[0] in "#."]
                if steps:
                    named += 1
                    beam += [(f"{step} {sel}", grand) for step in steps]
                grand = grand.getparent()
        if not beam:
            return None
    return best
