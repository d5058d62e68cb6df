"""Each theme template compiled once per build, not once per Jinja environment.

Pelican gives every generator its own Jinja environment, and the languages plugin gives each
language its own: six environments compiled the same nineteen templates six times (≈ 0.3 s of
every build).  Jinja's own hook for reusing compiled templates is a bytecode cache
(``Environment.bytecode_cache``); this one keeps the compiled code objects in memory for the build,
keyed by everything the compilation depends on: the template's name, file and source, and the
environment's syntax, whitespace, finalize and autoescape settings, extensions, filters and tests
(an environment that knows another filter compiles a template differently, or refuses it).  An
environment that already has a bytecode cache keeps it.
"""

from __future__ import annotations

import hashlib

from jinja2.bccache import BytecodeCache
from pelican import signals

_COMPILE_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                     "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                     "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
                     "is_async")


def _name(value) -> str:
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
    return repr(value)


def environment_key(env) -> str:
    parts = [repr(getattr(env, name, None)) for name in _COMPILE_SETTINGS]
    parts += [_name(env.finalize), _name(env.autoescape), _name(env.code_generator_class), _name(env.context_class),
              ",".join(sorted(_name(type(ext)) for ext in env.extensions.values())),
              ",".join(sorted(env.filters)), ",".join(sorted(env.tests))]
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class SharedCompiledTemplates(BytecodeCache):
    """Compiled templates in memory, shared by the environments of one build."""

    def __init__(self):
        self._codes: dict[tuple, object] = {}

    def _key(self, bucket) -> tuple:
        return (environment_key(bucket.environment), bucket.key, bucket.checksum)

    def load_bytecode(self, bucket) -> None:
        bucket.code = self._codes.get(self._key(bucket))

    def dump_bytecode(self, bucket) -> None:
        self._codes[self._key(bucket)] = bucket.code

    def clear(self) -> None:
        self._codes.clear()


_SHARED: dict = {}


def _new_build(pelican) -> None:
    """A new build (``make serve`` runs many in one process): a new cache, so that nothing compiled
    for an earlier build's theme is kept."""
    _SHARED["cache"] = SharedCompiledTemplates()


def _share(generator) -> None:
    env = getattr(generator, "env", None)
    if env is not None and env.bytecode_cache is None:
        env.bytecode_cache = _SHARED.setdefault("cache", SharedCompiledTemplates())


def install() -> None:
    signals.initialized.connect(_new_build)
    signals.generator_init.connect(_share)
