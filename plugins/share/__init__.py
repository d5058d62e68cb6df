"""Share tools without third-party script: a QR code of the page's address, drawn at build time.

Adds the Jinja global ``share_qr_svg(url)``: inline SVG markup (no script, no style attribute,
so it passes a strict Content-Security-Policy) of a QR code for ``url``, made with segno — what a
WeChat reader scans to open the article on a phone.  Only absolute http(s) addresses are drawn
(the publish build, whose ``SITEURL`` is absolute); a relative address (``make site``, opened
from disk) has nothing a phone could open, so the template shows no code then.  The SVG carries
no text of the page: only the modules' path data, so nothing from content reaches the markup.
"""

from functools import lru_cache

import segno
from markupsafe import Markup
from pelican import signals

# Error correction M (15 %) survives a smudged screen; 3 px modules and a 2-module quiet zone
# keep a 40-character URL's code (version 3-4) about 100 px wide.
QR_ERROR = "m"
QR_SCALE = 3
QR_BORDER = 2
# A fixed mask pattern: choosing the "best" of the eight (segno's default) scores every one and
# takes four fifths of the time (≈ 3 ms per page, a minute for 20,000 pages); every decoder reads
# every mask, so the choice only affects the code's look.
QR_MASK = 4


@lru_cache(maxsize=256)
def qr_svg(url: str) -> Markup:
    if not str(url).lower().startswith(("http://", "https://")):
        return Markup("")
    code = segno.make_qr(str(url), error=QR_ERROR, mask=QR_MASK)
    svg = code.svg_inline(scale=QR_SCALE, border=QR_BORDER, dark="#000", light="#fff", svgclass="share__qr-code")
    # Decorative for assistive technology: the caption beside it says what it is.
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


# The QR code depends on its argument only (plugins/incremental).
qr_svg.incremental_reads = "nothing"


def _install(generator):
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["share_qr_svg"] = qr_svg


def register():
    signals.generator_init.connect(_install)
