"""Bar charts drawn on the server: the lengths of the bars, for SVG or HTML/CSS templates.

No chart library and nothing from a CDN: a bar is a ``<rect>`` whose width is a percentage of
the largest value, which the template draws (``templates/includes/bar_chart.html`` as one
accessible SVG; the public donation record draws its own rows). The figures stay in a table
beside the chart, its accessible alternative.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Bar", "BarChart", "bar_percentages"]


def bar_percentages(values: Iterable[int]) -> list[int]:
    """Each value in whole percent of the largest (0 for all when none is positive)."""
    values = list(values)
    largest = max(values, default=0)
    return [round(value * 100 / largest) if largest > 0 else 0 for value in values]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    # What is written beside the bar (the value as people read it: 「2,400万円」).
    value_text: str
    percent: int


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per labelled value, for ``includes/bar_chart.html``.

    ``title`` and ``description`` become the SVG's ``<title>`` and ``<desc>`` (read by screen
    readers with ``role="img"``); ``html_id`` makes their ids unique on the page."""

    html_id: str
    title: str
    description: str
    bars: list[Bar]

    # The SVG's geometry, in CSS pixels: a label line above each bar; the bar takes at most
    # ``BAR_SHARE`` of the width so that its value always fits beside it, unbroken.
    ROW_HEIGHT = 46
    LABEL_BASELINE = 16
    BAR_TOP = 22
    BAR_HEIGHT = 16
    BAR_SHARE = 0.68

    @classmethod
    def of(
        cls,
        *,
        html_id: str,
        title: str,
        description: str,
        items: Iterable[tuple[str, int, str]],
    ) -> BarChart:
        """A chart of ``(label, value, value_text)`` items, in the order given."""
        items = list(items)
        percents = bar_percentages(value for _label, value, _text in items)
        bars = [
            Bar(label=label, value=value, value_text=text, percent=percent)
            for (label, value, text), percent in zip(items, percents, strict=True)
        ]
        return cls(html_id=html_id, title=title, description=description, bars=bars)

    @property
    def height(self) -> int:
        return self.ROW_HEIGHT * len(self.bars)

    @property
    def rows(self) -> list[dict]:
        """Each bar with its coordinates (percentages of the width, pixels of the height)."""
        rows = []
        for index, bar in enumerate(self.bars):
            top = index * self.ROW_HEIGHT
            width = round(bar.percent * self.BAR_SHARE, 1)
            rows.append(
                {
                    "bar": bar,
                    "label_y": top + self.LABEL_BASELINE,
                    "bar_y": top + self.BAR_TOP,
                    "bar_height": self.BAR_HEIGHT,
                    "bar_width": width,
                    "value_x": width,
                    "value_y": top + self.BAR_TOP + self.BAR_HEIGHT - 3,
                }
            )
        return rows
