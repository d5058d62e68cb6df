"""What every page of a build depends on, and what each template can read.

* ``global_digest`` — the settings (but the output folder and the cache's place), every file of the
  theme (templates, catalogs) and of ``plugins/``, every file a setting names (the 繁體 phrase list),
  and the versions of Python and of the libraries that render.  Any change → every page is rendered
  again, and Pelican's content cache starts afresh.
* ``TemplateReads`` — the names a template (with everything it extends, includes or imports) can
  read from its context, found by Jinja's own analysis (``jinja2.meta``), and whether the template
  uses anything whose inputs cannot be named: a dynamic include, or a filter, test or global function
  that does not say what it reads.  Such a template's pages are always rendered.

A plugin's Jinja global says what it reads with an attribute ``incremental_reads``:
``"nothing"`` (its result depends on its arguments and the settings only) or ``"output_file"`` (on
the page's path and the site: the digest then includes its result for the page).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import sys
from pathlib import Path

import jinja2
import jinja2.meta
from jinja2 import nodes

PROJECT = Path(__file__).resolve().parents[2]
# Settings that say where this build writes or caches, not what it writes.
NOT_RENDERING = frozenset({"OUTPUT_PATH", "CACHE_PATH", "LOAD_CONTENT_CACHE", "CACHE_CONTENT",
                           "SEARCH_SWAP_WITH_OUTPUT", "INCREMENTAL_OUTPUT", "INCREMENTAL_STATE_DIR",
                           "WRITE_SELECTED", "DELETE_OUTPUT_DIRECTORY", "OUTPUT_RETENTION"})
RENDERING_PACKAGES = ("pelican", "jinja2", "markdown", "markupsafe", "opencc", "babel", "nh3", "segno",
                      "pygments", "beautifulsoup4", "lxml", "rjieba", "snowballstemmer", "whoosh-reloaded")
# Pelican's own ``strftime`` filter (a DateFormatter: the date and the locale of the settings).
PURE_FILTER_TYPES = frozenset({"DateFormatter"})
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
PURE_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace",
                          "_", "gettext", "ngettext", "pgettext", "npgettext"})


def _stable_repr(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_stable_repr(k)}: {_stable_repr(v)}" for k, v in sorted(value.items(), key=repr)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable_repr(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable_repr(v) for v in value)) + "}"
    if callable(value):
        return f"<{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}>"
    return _ADDRESS.sub("", repr(value))


def _hash_tree(h, root: Path) -> None:
    if root.is_file():
        h.update(str(root).encode() + b"\0" + root.read_bytes())
        return
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in {"__pycache__", ".git"})
        for name in sorted(files):
            if name.endswith((".pyc", ".mo")):
                continue
            path = Path(folder, name)
            h.update(os.path.relpath(path, root).encode() + b"\0" + path.read_bytes())


def global_digest(settings) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(sys.version.encode())
    for package in RENDERING_PACKAGES:
        try:
            h.update(f"{package}={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{package}=-".encode())
    for key in sorted(settings):
        if key in NOT_RENDERING:
            continue
        value = settings[key]
        h.update(f"{key}={_stable_repr(value)}\n".encode("utf-8", "surrogatepass"))
        # A setting naming a file outside the content (the 繁體 phrase list): its bytes count too.
        # Folders are not walked (the project's, the output's): the theme and the plugins are, below.
        if isinstance(value, str) and os.path.isabs(value) and os.path.isfile(value) \
                and not _inside(value, settings.get("PATH", "")):
            _hash_tree(h, Path(value))
    _hash_tree(h, Path(settings.get("THEME", "")))
    for folder in settings.get("PLUGIN_PATHS", []) or []:
        _hash_tree(h, Path(folder) if os.path.isabs(folder) else PROJECT / folder)
    for name in settings.get("THEME_TEMPLATES_OVERRIDES", []) or []:
        _hash_tree(h, Path(name))
    return h.hexdigest()


def _inside(path: str, folder: str) -> bool:
    if not folder:
        return False
    try:
        return os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)
    except ValueError:
        return False


# (template source) → (undeclared names, referenced templates, filters, tests): the same templates are
# parsed once for all the build's environments (one per language and generator).
_PARSED: dict[str, tuple] = {}


def _analyse(env: jinja2.Environment, source: str) -> tuple:
    hit = _PARSED.get(source)
    if hit is None:
        tree = env.parse(source)
        hit = _PARSED[source] = (
            frozenset(jinja2.meta.find_undeclared_variables(tree)),
            tuple(jinja2.meta.find_referenced_templates(tree)),
            frozenset(node.name for node in tree.find_all(nodes.Filter)),
            frozenset(node.name for node in tree.find_all(nodes.Test)),
        )
    return hit


class TemplateReads:
    """Per Jinja environment: for each template name, ``(names, sure)``."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._cache: dict[str, tuple[frozenset, bool]] = {}

    def of(self, name: str) -> tuple[frozenset, bool]:
        hit = self._cache.get(name)
        if hit is None:
            names: set = set()
            sure = self._walk(name, names, set())
            hit = self._cache[name] = (frozenset(names), sure)
        return hit

    def _walk(self, name: str, names: set, seen: set) -> bool:
        if name in seen:
            return True
        seen.add(name)
        try:
            source = self.env.loader.get_source(self.env, name)[0]
            undeclared, references, filters, tests = _analyse(self.env, source)
        except jinja2.TemplateError:
            return False
        names |= undeclared
        sure = True
        for used, known, builtin in ((filters, self.env.filters, jinja2.filters.FILTERS),
                                     (tests, self.env.tests, jinja2.tests.TESTS)):
            for filter_name in used:
                function = known.get(filter_name)
                if function is None or not (builtin.get(filter_name) is function or _reads(function) == "nothing"
                                            or type(function).__name__ in PURE_FILTER_TYPES):
                    sure = False
        for ref in references:
            if ref is None:
                sure = False
            else:
                sure = self._walk(ref, names, seen) and sure
        return sure


def _reads(function) -> str | None:
    return getattr(function, "incremental_reads", None)


def global_inputs(env: jinja2.Environment, names, localcontext) -> tuple[list, bool]:
    """The values of the Jinja globals among ``names`` that depend on the page (``output_file``),
    and whether every global named is accounted for."""
    values = []
    for name in sorted(names):
        if name in localcontext or name not in env.globals:
            continue
        function = env.globals[name]
        reads = _reads(function)
        if name in PURE_GLOBALS or reads == "nothing" or not callable(function):
            if not callable(function):
                values.append((name, function))
            continue
        if reads == "output_file":
            values.append((name, function(localcontext.get("output_file"))))
            continue
        return values, False
    return values, True
