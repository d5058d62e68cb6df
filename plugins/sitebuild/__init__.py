"""`make site` / `make publish`: check content/, build into a fresh folder beside the output, check the
result, and only then swap it in — a failed build never leaves a half-written site.

Not a Pelican plugin: run as ``python -m plugins.sitebuild`` (see build.py and docs/publishing.md).
"""
