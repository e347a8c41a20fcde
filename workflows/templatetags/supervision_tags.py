"""Bar charts drawn as inline SVG (no external resource), each bar a link to its cases."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def bar_chart(chart_id: str, title: str, items: list[tuple[str, int, str]]) -> SafeString:
    top = max((value for _label, value, _href in items), default=0) or 1
    bars: list[tuple[Any, ...]] = [
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
def cell(table: Any, row: str, column: str) -> int:
    value: int = table.cells[row][column]
    return value
