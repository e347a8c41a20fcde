"""The queue's two busiest cells (internal deadlines, next-step buttons) as HTML built once per
row in Python: template loops and tags per row were most of the page's time (issue 15)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from casework.choices import Transition
from workflows.selectors import QueueRow, QueueStep

CLAIM = Transition.CLAIM


def _step(step: QueueStep, *, primary: bool, number: str, hidden: str, case_url: str = "") -> str:
    """A step's button: a quick POST form (claim, release) or a link to its action page. The
    case number is in the accessible name (visually hidden), the label is what the eye sees.
    A claim goes on to the case page (the officer claims to work on it now: its next step,
    the proposal, is the page's primary button); a release returns to the queue."""
    cls = "btn" if primary else "btn secondary"
    name = f'{escape(step.label)}<span class="visually-hidden"> {number}</span>'
    if step.quick:
        if step.name == CLAIM and case_url:
            hidden = re.sub(
                r'name="next" value="[^"]*"', f'name="next" value="{escape(case_url)}"', hidden
            )
        return (
            f'<form method="post" action="{escape(step.url)}">{hidden}'
            f'<button class="{cls}" type="submit">{name}</button></form>'
        )
    return f'<a class="{cls}" href="{escape(step.url)}">{name}</a>'


def queue_cells(
    rows: list[QueueRow], *, hidden: str
) -> list[tuple[QueueRow, SafeString, SafeString]]:
    """Each row with its internal-deadlines cell and its actions cell. `hidden` is the forms'
    hidden inputs (CSRF token and next=), already escaped."""
    open_label = escape(gettext("Open"))
    cells = []
    for row in rows:
        number = escape(row.number)
        if row.deadlines:
            deadlines = "<br>".join(
                f'<span class="deadline">{escape(d.label)} {d.due} '
                f'<span class="badge level-{d.level_css}">{escape(d.badge)}</span></span>'
                for d in row.deadlines
            )
        else:
            deadlines = row.division_due or "—"
        if row.step is None:
            actions = (
                f'<a href="{escape(row.url)}">{open_label}'
                f'<span class="visually-hidden"> {number}</span></a>'
            )
        else:
            actions = _step(row.step, primary=True, number=number, hidden=hidden, case_url=row.url)
            if row.secondary is not None:
                actions += " " + _step(row.secondary, primary=False, number=number, hidden=hidden)
        cells.append((row, mark_safe(deadlines), mark_safe(actions)))
    return cells
