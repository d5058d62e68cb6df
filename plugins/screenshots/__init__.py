"""``make screenshots``: docs/screenshots/ regenerated from a real build (see ``__main__.py``)."""
