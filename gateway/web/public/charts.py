"""Bar charts as inline SVG, drawn on the server: no script, a <title> and <desc>, and a table beside them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 8, 36, 24


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    shown: str  # the value as the reader's locale writes it


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar]) -> Markup:
    top = max((bar.value for bar in bars), default=0) or 1
    slot = (WIDTH - MARGIN_LEFT) / max(len(bars), 1)
    width = max(slot * 0.7, 2)
    plot = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>',
        f'<line x1="0" y1="{HEIGHT - MARGIN_BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - MARGIN_BOTTOM}" class="axis"/>',
    ]
    every = max(1, len(bars) // 12)  # keep the axis labels readable when there are many bars
    for index, bar in enumerate(bars):
        height = plot * bar.value / top
        x = MARGIN_LEFT + index * slot + (slot - width) / 2
        y = HEIGHT - MARGIN_BOTTOM - height
        centre = x + width / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" class="bar">'
            f"<title>{escape(bar.label)}: {escape(bar.shown)}</title></rect>"
        )
        if len(bars) <= 12:
            parts.append(f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle">{escape(bar.shown)}</text>')
        if index % every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle">'
                f"{escape(bar.label)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text inside is escaped above
