"""`make check`'s side of the sanitising policy (the rules are in content_guard/safety.py).

The front matter is checked as written; the body and the summary are rendered with Pelican's own
Markdown settings, exactly as the build renders them, and the result goes through the same rule
functions as the build's guard, so `make check` and `make site` refuse the same posts.  Each problem
is placed on the line that holds it.  Rendering is skipped for a body that cannot produce an
element, attribute or link the policy refuses: one without raw HTML (`<`), attribute lists (`{`
other than Pelican's `{static}`-style links) and links to anything but http, https, mailto or a
relative URL, nor control characters — most scraped posts.
"""

from __future__ import annotations

import copy
import re

from markdown import Markdown

from plugins.content_guard import build_rules, safety
from plugins.content_guard.rules import Problem

_PELICAN_PLACEHOLDER = re.compile(r"\{(?:static|attach|filename|index|category|tag|author|lang)\}")
# Link targets as Python-Markdown reads them, across line breaks: inline `](target` and reference
# definitions `]: target`.
_TARGETS = re.compile(r"\]\s*(?:\(\s*<?|:\s*<?)([^\s)>]*)")

_renderers: dict[str, Markdown] = {}


def _markdown(settings) -> Markdown:
    """A Markdown converter configured as Pelican's MarkdownReader configures its own."""
    config = copy.deepcopy(settings.get("MARKDOWN") or {})
    key = repr(config)
    if key not in _renderers:
        config.setdefault("extension_configs", {})
        config.setdefault("extensions", [])
        for extension in config["extension_configs"]:
            if extension not in config["extensions"]:
                config["extensions"].append(extension)
        _renderers[key] = Markdown(**config)
    return _renderers[key]


def needs_rendering(text: str) -> bool:
    """Whether Markdown ``text`` could render to something the policy refuses."""
    if "<" in text or ("{" in text and "{" in _PELICAN_PLACEHOLDER.sub("", text)) or safety.has_controls(text):
        return True
    return "]" in text and any(not safety.url_allowed(target) for target in _TARGETS.findall(text))


def render(text: str, settings) -> str:
    md = _markdown(settings)
    md.reset()
    return md.convert(text)


def post_problems(post, settings) -> list[Problem]:
    """The policy's problems of one post (``checker.Post``), each with its line."""
    found = []
    for key, finding in safety.metadata_problems(post.meta):
        found.append(Problem(post.where, post.line(key), finding))
    summary = post.meta.get("summary") or ""
    if summary and needs_rendering(summary):
        for _needles, finding in safety.html_problems(render(summary, settings), settings):
            found.append(Problem(post.where, post.line("summary"), finding))
    body_lines = post.text_lines[post.body_start - 1:]
    if any(build_rules.nesting_problem(line) for line in body_lines):
        return found  # Markdown cannot render it: build_checks reports the line
    body = "\n".join(body_lines)
    if needs_rendering(body):
        # The whole file, as Pelican renders it (the meta extension takes the front matter off).
        for needles, finding in safety.html_problems(render("\n".join(post.text_lines), settings), settings):
            found.append(Problem(post.where, safety.locate(post.text_lines, post.body_start, needles), finding))
    return found
