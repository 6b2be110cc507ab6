"""A frozen clock around one publication time: what the public sees one second before a
scheduled record is due and one second after (time-machine moves Python's clock, which is
the one ``public()`` compares with)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

TOKYO = ZoneInfo("Asia/Tokyo")
# 令和8年12月3日 9:00, Japan's time.
DUE = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=TOKYO)


def at(moment: datetime.datetime):
    """The clock stopped at ``moment`` inside the block."""
    return time_machine.travel(moment, tick=False)


def just_before(due: datetime.datetime = DUE):
    return at(due - datetime.timedelta(seconds=1))


def just_after(due: datetime.datetime = DUE):
    return at(due + datetime.timedelta(seconds=1))
