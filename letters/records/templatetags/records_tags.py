"""{% case_records case %}: the responsive-records card on the case page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("records/_case_records.html", takes_context=True)
def case_records(context: Any, case: Any) -> dict[str, Any]:
    from letters.records.selectors import current_set, records_of
    from letters.records.views import _busy

    records = list(records_of(case))
    release_set = current_set(case)
    return {
        "case": case,
        "records": records,
        "release_set": release_set,
        "busy": _busy(records, release_set),
        "request": context.get("request"),
    }
