"""Bar charts drawn as inline SVG (no external resource), each bar a link to its cases."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from casework.annual_report import Table3

register = template.Library()


@register.simple_tag
def bar_chart(chart_id: str, title: str, items: list[tuple[str, int, str]]) -> SafeString:
    top = max((value for _label, value, _href in items), default=0) or 1
    bars: list[tuple[str, int, str, int, int]] = [
        (label, value, href, round(330 * value / top), 4 + 24 * n)
        for n, (label, value, href) in enumerate(items)
    ]
    return SafeString(
        render_to_string(
            "supervision/_bars.html",
            {
                "chart_id": chart_id,
                "chart_title": title,
                "bars": bars,
                "height": 8 + 24 * len(bars),
            },
        )
    )


@register.simple_tag
def cell(table: Table3, row: str, column: str) -> int:
    value: int = table.cells[row][column]
    return value
