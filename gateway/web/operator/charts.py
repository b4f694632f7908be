"""A horizontal bar chart as inline SVG, drawn on the server: a <title>, a <desc>, and a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH, ROW, LABEL_WIDTH, VALUE_WIDTH = 560, 28, 150, 70


def horizontal_bars(chart_id: str, title: str, description: str, bars: Sequence[tuple[str, int, str]]) -> Markup:
    """One bar per (label, value, value as the reader's locale writes it)."""
    top = max((value for _label, value, _shown in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = ROW * max(len(bars), 1) + 8
    parts = [
        f'<svg class="chart bars" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for index, (label, value, shown) in enumerate(bars):
        y = 4 + index * ROW
        length = max(room * value / top, 1 if value else 0)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 10}" class="bar">'
            f"<title>{escape(label)}: {escape(shown)}</title></rect>"
        )
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 18}">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text inside is escaped above
