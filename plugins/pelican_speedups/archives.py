"""Pelican's archive lists without its quadratic membership tests.

For each tag, column and author page Pelican's ``ArticlesGenerator`` keeps the site's articles in
date order that belong to it (``[a for a in self.dates if a in articles]``), and for each year of
the archive the articles of that year (``[a for a in articles if a in dates]``): a list ``in``
for every article of the site, for every tag, column and year.  At 10,000 articles in three
languages that was about 6 s of every build and rebuild (``docs/performance.md``).

The lists are the same, only the ``in`` is answered from a set of the members' identities:
Pelican's content items do not define ``__eq__``, so a list's ``in`` already compares them by
identity.  A list holding anything that defines its own ``__eq__`` is left to Python's ``in``.

* ``generate_tags``/``generate_categories``/``generate_authors`` see each page's articles as a
  ``Members`` list (a ``list`` whose ``in`` uses the set) while they run; the generator's own
  lists are put back afterwards.
* ``_build_period_archives`` is called with no articles to filter, and each archive's
  ``articles`` is then filled in the same order from the set of its ``dates``.

No Pelican code is copied: the methods are wrapped.  The output is byte for byte that of Pelican's
own methods (tests/test_pelican_speedups.py, tests/test_site_build.py).
"""

from __future__ import annotations

from pelican.generators import ArticlesGenerator


def _identity_equality(items) -> bool:
    """True when ``in`` on these items can only ever be identity (no element defines ``__eq__``)."""
    return all(type(item).__eq__ is object.__eq__ for item in items)


class Members(list):
    """A list whose ``in`` looks up a set of its elements' identities (when that is what ``in``
    would compare anyway); otherwise an ordinary list."""

    __slots__ = ("_ids",)

    def __init__(self, items=()):
        super().__init__(items)
        self._ids = frozenset(map(id, self)) if _identity_equality(self) else None

    def __contains__(self, item) -> bool:
        if self._ids is None or len(self._ids) != len(self) or type(item).__eq__ is not object.__eq__:
            return list.__contains__(self, item)  # changed since, or equality of its own: Python's ``in``
        return id(item) in self._ids

    def __reduce__(self):  # pickled as the list it stands for
        return list, (list(self),)


def _with_members(attribute: str, pairs: bool):
    """Wrap an ArticlesGenerator method that iterates ``self.<attribute>`` (a dict of lists, or a list
    of ``(key, list)`` pairs) so that it sees ``Members`` lists."""
    original = getattr(ArticlesGenerator, f"generate_{attribute}")
    if getattr(original, "speedup", False):
        return

    def method(self, *args, **kwargs):
        kept = getattr(self, attribute)
        try:
            fast = [(key, Members(value)) for key, value in (kept if pairs else kept.items())]
        except (AttributeError, TypeError, ValueError):  # not the shape Pelican gives it: Pelican's method
            return original(self, *args, **kwargs)
        setattr(self, attribute, fast if pairs else dict(fast))
        try:
            return original(self, *args, **kwargs)
        finally:
            setattr(self, attribute, kept)

    method.speedup = True
    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    setattr(ArticlesGenerator, f"generate_{attribute}", method)


def _wrap_period_archives() -> None:
    original = ArticlesGenerator._build_period_archives
    if getattr(original, "speedup", False):
        return

    def _build_period_archives(self, sorted_articles, articles, settings):
        articles = list(articles)
        if not _identity_equality(articles):
            return original(self, sorted_articles, articles, settings)
        archives = original(self, sorted_articles, [], settings)
        for groups in archives.values():
            for archive in groups:
                members = frozenset(map(id, archive["dates"]))
                archive["articles"] = [a for a in articles if id(a) in members]
        return archives

    _build_period_archives.speedup = True
    _build_period_archives.__doc__ = original.__doc__
    ArticlesGenerator._build_period_archives = _build_period_archives


def install() -> None:
    _with_members("tags", pairs=False)
    _with_members("categories", pairs=True)
    _with_members("authors", pairs=True)
    _wrap_period_archives()
