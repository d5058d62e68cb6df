"""The languages plugin's OpenCC converter, whether Pelican imported plugins as ``plugins.x`` or ``x``."""

try:
    from plugins.languages.chinese import converter_for
except ImportError:  # pragma: no cover - Pelican put plugins/ itself on sys.path
    from languages.chinese import converter_for

__all__ = ["converter_for"]
