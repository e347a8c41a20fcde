"""Geometry of the dashboard's charts, drawn by the templates as inline SVG (no script, no
external resource). Every mark carries its exact value (a <title> and data-value), and each
chart comes with its numbers as a table for screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from casework.payloads import Payload
from workflows.supervision.selectors import DivisionStat, MonthTrend

WIDTH = 640
PLOT_LEFT = 44
PLOT_RIGHT = 630
PLOT_TOP = 16
PLOT_BOTTOM = 176
HEIGHT = 216


def _nice_top(value: float) -> int:
    """The smallest 1, 2 or 5 × 10^n at or above `value` (at least 1): round axis labels."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float
    height: float
    value: float | None  # a count, a rate or a mean (None: nothing to measure)
    label: str


def month_chart(trends: list[MonthTrend]) -> Payload:
    """Grouped columns: received and closed per month."""
    top = _nice_top(max([t.received for t in trends] + [t.closed for t in trends] + [0]))
    span = PLOT_BOTTOM - PLOT_TOP
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(trends), 1)
    bar = min(18.0, slot * 0.36)
    columns = []
    for n, trend in enumerate(trends):
        x0 = PLOT_LEFT + n * slot + (slot - 2 * bar - 2) / 2
        month = f"{trend.month.year}年{trend.month.month}月"
        marks = []
        for k, (kind, value) in enumerate((("received", trend.received), ("closed", trend.closed))):
            height = span * value / top
            marks.append(
                (
                    kind,
                    Mark(
                        round(x0 + k * (bar + 2), 1),
                        round(PLOT_BOTTOM - height, 1),
                        round(bar, 1),
                        round(height, 1),
                        value,
                        month,
                    ),
                )
            )
        columns.append(
            {
                "month": month,
                "short": f"{trend.month.month}月"
                if n and trend.month.month != 1
                else f"{trend.month.year % 100:02d}年{trend.month.month}月",
                "label_x": round(PLOT_LEFT + n * slot + slot / 2, 1),
                "marks": marks,
                "received": trend.received,
                "closed": trend.closed,
            }
        )
    ticks = [{"value": v, "y": round(PLOT_BOTTOM - span * v / top, 1)} for v in (0, top // 2, top)]
    return {
        "columns": columns,
        "ticks": ticks,
        "width": WIDTH,
        "height": HEIGHT,
        "left": PLOT_LEFT,
        "right": PLOT_RIGHT,
        "bottom": PLOT_BOTTOM,
    }


def division_chart(stats: list[DivisionStat], measure: str) -> Payload:
    """Horizontal bars per division with closed cases: `on_time_rate` (percent, 0–100) or
    `avg_working_days`."""
    rows = [(s.name, getattr(s, measure)) for s in stats if s.closed]
    values = [v for _name, v in rows if v is not None]
    top = 100 if measure == "on_time_rate" else _nice_top(max(values, default=0))
    bars = []
    for n, (name, value) in enumerate(rows):
        width = 0.0 if value is None else 330 * value / top
        bars.append(Mark(170, 4 + 24 * n, round(width, 1), 18, value, name))
    return {"bars": bars, "height": 8 + 24 * len(bars), "top": top}
