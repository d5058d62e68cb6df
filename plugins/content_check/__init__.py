"""`make check`: validate content/ without building (see checker.py; the rules are in content_guard/rules.py).

Not a Pelican plugin: it is run as ``python -m plugins.content_check``.
"""
