"""A small CSS-selector-to-XPath translator for lxml.

Profiles use CSS selectors. lxml's own ``cssselect`` module needs the
``cssselect`` package, which the project does not depend on; the subset below
covers what site profiles need and keeps parsing on the fast lxml tree:

    tag  *  #id  .class  [attr]  [attr=v]  [attr~=v]  [attr^=v]  [attr$=v]  [attr*=v]
    descendant (space) and child (>) combinators, and groups (a, b)
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

_TOKEN = re.compile(
    r"""
    (?P<ws>\s*>\s*|\s+)                           # combinators
  | (?P<tag>\*|[a-zA-Z][\w-]*)
  | \#(?P<id>[\w-]+)
  | \.(?P<cls>[\w-]+)
  | \[\s*(?P<attr>[\w-]+)\s*(?:(?P<op>[~^$*]?=)\s*(?P<val>"[^"]*"|'[^']*'|[^\]\s]+)\s*)?\]
    """,
    re.VERBOSE,
)


class SelectorSyntaxError(ValueError):
    pass


def _literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    return "concat(" + ", \"'\", ".join(f"'{p}'" for p in value.split("'")) + ")"


def _one(selector: str) -> str:
    selector = selector.strip()
    if not selector:
        raise SelectorSyntaxError("empty selector")
    steps: list[str] = []
    axis = "descendant-or-self::"
    tag, preds = None, []
    pos = 0

    def flush() -> None:
        nonlocal tag, preds
        if tag is None and not preds:
            raise SelectorSyntaxError(f"dangling combinator in {selector!r}")
        steps.append(axis + (tag or "*") + "".join(f"[{p}]" for p in preds))
        tag, preds = None, []

    while pos < len(selector):
        m = _TOKEN.match(selector, pos)
        if not m or m.end() == pos:
            raise SelectorSyntaxError(f"unsupported CSS syntax at {selector[pos:]!r} in {selector!r}")
        pos = m.end()
        if m.group("ws") is not None:
            flush()
            axis = "/" if ">" in m.group("ws") else "/descendant::"
        elif m.group("tag"):
            if tag is not None or preds:
                raise SelectorSyntaxError(f"type selector must come first in {selector!r}")
            tag = m.group("tag").lower()
        elif m.group("id"):
            preds.append(f"@id={_literal(m.group('id'))}")
        elif m.group("cls"):
            preds.append(f"contains(concat(' ', normalize-space(@class), ' '), {_literal(' ' + m.group('cls') + ' ')})")
        else:
            name, op, val = m.group("attr"), m.group("op"), m.group("val")
            if op is None:
                preds.append(f"@{name}")
                continue
            if val[0] in "'\"":
                val = val[1:-1]
            lit = _literal(val)
            preds.append(
                {
                    "=": f"@{name}={lit}",
                    "~=": f"contains(concat(' ', normalize-space(@{name}), ' '), {_literal(' ' + val + ' ')})",
                    "^=": f"starts-with(@{name}, {lit})",
                    "$=": f"substring(@{name}, string-length(@{name}) - {len(val) - 1})={lit}",
                    "*=": f"contains(@{name}, {lit})",
                }[op]
            )
    flush()
    return "".join(steps)


@lru_cache(maxsize=256)
def compile_css(selector: str) -> etree.XPath:
    """Compile a CSS selector (subset, see module doc) to an lxml XPath evaluator."""
    parts = [p for p in selector.split(",")]
    return etree.XPath(" | ".join(_one(p) for p in parts))


def select(root, selector: str) -> list:
    return compile_css(selector)(root)


def select_one(root, selector: str):
    found = compile_css(selector)(root)
    return found[0] if found else None
