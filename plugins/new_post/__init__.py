"""`make new`: a new post with complete front matter (and, with EN=1, its English translation stub).

Not a Pelican plugin: run as ``python -m plugins.new_post`` (see create.py).
"""
