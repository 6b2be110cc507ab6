"""The enrolment's QR code, drawn here as inline SVG: no image request, no third party, and
nothing the strict CSP would refuse (no data: URL, no style attribute)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe

# 5 px modules and the four-module quiet zone the standard asks for: the otpauth URL of a usual
# account makes a version-9 code, 305 px square with its quiet zone, which a phone reads from a
# screen at arm's length; on a narrower screen the stylesheet shrinks it (it has a viewBox).
MODULE_PX = 5
QUIET_ZONE = 4


def qr_svg(data: str, *, title: str) -> SafeString:
    """``data`` as a QR code in an ``<svg>`` element, dark on white (also in the admin's dark
    theme: phones read dark-on-light codes best), with ``title`` as its accessible name."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=MODULE_PX,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        svgclass="two-factor-qr",
        lineclass=None,
        title=title,
        omitsize=False,
    )
    width, height = code.symbol_size(scale=MODULE_PX, border=QUIET_ZONE)
    svg = svg.replace("<svg ", f'<svg role="img" viewBox="0 0 {width} {height}" ', 1)
    # segno escapes the title and writes only its own markup: nothing here comes unescaped.
    return mark_safe(svg)  # noqa: S308


def secret_grouped(base32: str) -> str:
    """The secret for typing in by hand, in groups of four: "ABCD EFGH …"."""
    return " ".join(base32[i : i + 4] for i in range(0, len(base32), 4))
