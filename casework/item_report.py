"""How annual-report table 三 counts a request of several items (casework.items).

The 2021 format does not say (LAW.md §1.8 "Multi-item requests", §3.1, open question 10:
UNCONFIRMED), so it is a setting, MULTI_ITEM_REPORT_RULE:

- "main" (default): the application counts once, in every row, under the row of its derived
  disposition (casework.items.overall_disposition: some items given and some not → （二）
  部分公开, whose label says "区分处理的，只计这一情形，不计其他情形").
- "per_item": every item counts as one application: in 一 (new), 二 (carried in) and 四
  (carried out) a case of n items counts n; in 三 each decided item counts in the row of its
  own disposition. Items that no decision reached (a withdrawal, an abandonment, a decision
  that no longer matches the items) count n in the case's own row.

Under either rule each column keeps 一 + 二 = 三(七) + 四, because a case weighs the same in
every row it is counted in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, F, Q, QuerySet

from casework.choices import CaseStatus
from casework.dispositions import dispositions_in_row, report_row
from casework.items import RequestItem, overall_disposition

if TYPE_CHECKING:
    from casework.models import Case

RULES = ("main", "per_item")


def report_rule() -> str:
    rule = getattr(settings, "MULTI_ITEM_REPORT_RULE", "main")
    if rule not in RULES:
        raise ImproperlyConfigured(
            f"MULTI_ITEM_REPORT_RULE must be one of {', '.join(RULES)}, not {rule!r}."
        )
    return str(rule)


def count_items_per_item(
    cells: dict[str, dict[str, int]],
    scopes: dict[str, QuerySet[Case]],
    result_row: Callable[[str, str], str],
) -> None:
    """Re-weigh the cells of table 三 (counted once per case) under the "per_item" rule."""
    if report_rule() != "per_item":
        return
    for key in ("new", "carried_in", "carried_out"):
        for category, items, cases in (
            RequestItem.objects.filter(case__in=scopes[key])
            .values_list("case__applicant__category")
            .annotate(items=Count("pk"), cases=Count("case", distinct=True))
            .order_by()
        ):
            cells[key][category] += items - cases
    by_case: dict[int, list[tuple[str, str, str, str]]] = defaultdict(list)
    for case_id, category, status, disposition, item_disposition in (
        RequestItem.objects.filter(case__in=scopes["results"])
        .order_by("case_id", "position")
        .values_list(
            "case_id",
            "case__applicant__category",
            "case__status",
            "case__disposition",
            "disposition",
        )
    ):
        by_case[case_id].append((category, status, disposition, item_disposition))
    for rows in by_case.values():
        category, status, disposition, _first = rows[0]
        case_row = result_row(status, disposition)
        cells[case_row][category] -= 1
        decided = [row[3] for row in rows]
        if _decided_by_items(status, disposition, decided):
            for item_disposition in decided:
                cells[report_row(item_disposition)][category] += 1
        else:
            cells[case_row][category] += len(rows)


def _decided_by_items(status: str, disposition: str, decided: list[str]) -> bool:
    return (
        len(decided) >= 2
        and status != CaseStatus.WITHDRAWN
        and all(decided)
        and overall_disposition(decided) == disposition
    )


def per_item_cell_cases(
    results: QuerySet[Case], row: str, by_case: QuerySet[Case]
) -> QuerySet[Case]:
    """The drill-down of a result row under "per_item": the cases counted there as a whole
    (`by_case`, the "main" rule's list, less those whose items were decided one by one) and
    those with an item decided into the row."""
    if report_rule() != "per_item":
        return by_case
    itemised = (
        results.annotate(
            n_items=Count("request_items"),
            n_decided=Count("request_items", filter=~Q(request_items__disposition="")),
        )
        .filter(n_items__gte=2, n_items=F("n_decided"))
        .exclude(status=CaseStatus.WITHDRAWN)
        .values("pk")
    )
    with_item = results.filter(
        pk__in=itemised, request_items__disposition__in=dispositions_in_row(row)
    )
    return (by_case.exclude(pk__in=itemised) | with_item).distinct()
