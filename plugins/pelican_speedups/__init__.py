"""Pelican's own work, done without its slow paths: the same results, tested byte for byte.

* ``archives.py`` — the tag, column, author and year lists' "is this article in that list" answered
  from a set of identities instead of a list scan (quadratic in the archive);
* ``dates.py`` — ``SafeDatetime.strftime`` of numeric formats (``%Y-%m-%d``) kept per date;
* ``paths.py`` — an item's source path relative to the content folder kept per path (every URL
  Pelican computes asks for it);
* ``templates.py`` — each theme template compiled once per build, not once per Jinja environment;
* ``quick_exit.py`` — after a build, the process ends without freeing the site model's objects one
  by one (the exit handlers still run).

Each wraps Pelican's method, copies none of its code, and leaves anything it cannot be sure of to
Pelican.  Registered right after parallel_read, before the plugins that read or render.
"""

from . import archives, dates, paths, quick_exit, templates


def register():
    archives.install()
    dates.install()
    paths.install()
    quick_exit.install()
    templates.install()
