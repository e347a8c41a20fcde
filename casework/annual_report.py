"""The on-request part of the annual report (国办公开办函〔2021〕30号): tables 三 and 四,
computed from the cases, with the exact labels of casework/data/annual_report_2021.json.

Counting (interpretation, LAW.md §3.1): 一 new = cases whose date of receipt falls in the
year; 二 carried in = received earlier and not closed before 1 January; 三 results = cases
closed in the year, one row per disposition (a withdrawal counts as （六）3.其他); 四
carried out = received by 31 December and not closed by then. Every number is a count of
cases that `report_cell_cases` lists (drill-down). A request of several items counts by the
setting MULTI_ITEM_REPORT_RULE (casework.item_report).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.db.models import Count, Q, QuerySet

from casework.choices import CaseStatus, Disposition, RemedyKind, RemedyOutcome
from casework.choices import Transition as T
from casework.dispositions import dispositions_in_row, report_row
from casework.item_report import count_items_per_item, per_item_cell_cases
from casework.models import Case, Event, Organ
from casework.payloads import Payload

DATA = Path(__file__).resolve().parent / "data" / "annual_report_2021.json"
COLUMN_KEYS = [
    "natural_person",
    "commercial",
    "research",
    "public_welfare",
    "legal_services",
    "other",
]
WITHDRAWN_ROW = Disposition.OTHER.value  # （六）3.其他


@cache
def report_format() -> Payload:
    data: Payload = json.loads(DATA.read_text(encoding="utf-8"))
    return data


@dataclass
class Table3:
    year: int
    cells: dict[str, dict[str, int]]  # row key -> column key (incl. "total") -> count
    checks: dict[str, bool] = field(default_factory=dict)  # column -> 一+二 == 三(七)+四

    def row(self, key: str) -> dict[str, int]:
        return self.cells[key]


def _empty_row() -> dict[str, int]:
    return dict.fromkeys([*COLUMN_KEYS, "total"], 0)


def _base(organ: Organ) -> QuerySet[Case]:
    return Case.objects.filter(organ=organ, received_on__isnull=False)


def _scopes(organ: Organ, year: int) -> dict[str, QuerySet[Case]]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    base = _base(organ)
    return {
        "new": base.filter(received_on__gte=start, received_on__lte=end),
        "carried_in": base.filter(received_on__lt=start).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=start)
        ),
        "results": base.filter(closed_on__gte=start, closed_on__lte=end),
        "carried_out": base.filter(received_on__lte=end).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=end)
        ),
    }


def _result_row(status: str, disposition: str) -> str:
    if status == CaseStatus.WITHDRAWN or not disposition:
        return WITHDRAWN_ROW
    return report_row(disposition)  # Art 36(1) and 36(5) count in （一） and （四）1


def table_3(organ: Organ, year: int) -> Table3:
    """Table 三 for one organ and year: four grouped queries, whatever the number of cases."""
    fmt = report_format()["table_3"]
    cells = {row["key"]: _empty_row() for row in fmt["rows"]}
    scopes = _scopes(organ, year)
    for key in ("new", "carried_in", "carried_out"):
        for category, n in (
            scopes[key].values_list("applicant__category").annotate(n=Count("pk")).order_by()
        ):
            cells[key][category] += n
    for category, status, disposition, n in (
        scopes["results"]
        .values_list("applicant__category", "status", "disposition")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cells[_result_row(status, disposition)][category] += n
    count_items_per_item(cells, scopes, _result_row)  # MULTI_ITEM_REPORT_RULE (casework.items)
    leaves = fmt["leaf_rows_summing_to_results_total"]
    for column in COLUMN_KEYS:
        cells["results_total"][column] = sum(cells[leaf][column] for leaf in leaves)
    for row in cells.values():
        row["total"] = sum(row[c] for c in COLUMN_KEYS)
    # Group rows (三、（三）…（六）) are labels only in the official layout: no subtotals printed.
    checks = {
        column: cells["new"][column] + cells["carried_in"][column]
        == cells["results_total"][column] + cells["carried_out"][column]
        for column in [*COLUMN_KEYS, "total"]
    }
    return Table3(year=year, cells=cells, checks=checks)


def report_cell_cases(organ: Organ, year: int, row: str, column: str) -> QuerySet[Case]:
    """The cases behind one number of table 三 (drill-down)."""
    scopes = _scopes(organ, year)
    leaves = report_format()["table_3"]["leaf_rows_summing_to_results_total"]
    if row in ("new", "carried_in", "carried_out"):
        qs = scopes[row]
    elif row == "results_total":
        qs = scopes["results"]
    elif row in leaves:
        qs = scopes["results"]
        if row == WITHDRAWN_ROW:
            qs = qs.filter(Q(status=CaseStatus.WITHDRAWN) | Q(disposition="") | Q(disposition=row))
        else:
            qs = per_item_cell_cases(
                qs,
                row,
                qs.filter(disposition__in=dispositions_in_row(row)).exclude(
                    status=CaseStatus.WITHDRAWN
                ),
            )
    else:
        return Case.objects.none()
    if column != "total":
        qs = qs.filter(applicant__category=column)
    return qs


REMEDY_GROUPS = [
    RemedyKind.RECONSIDERATION,
    RemedyKind.LITIGATION_DIRECT,
    RemedyKind.LITIGATION_AFTER_RECONSIDERATION,
]
OUTCOMES = [
    RemedyOutcome.UPHELD,
    RemedyOutcome.CORRECTED,
    RemedyOutcome.OTHER,
    RemedyOutcome.PENDING,
]


def table_4(organ: Organ, year: int) -> dict[str, dict[str, int]]:
    """Table 四: reconsideration and litigation about disclosure decisions, from the remedy
    records on cases. A case's latest record per remedy counts, when it was filed in the
    year or is still pending at its end (尚未审结)."""
    end = date(year, 12, 31)
    latest: dict[tuple[int, str], Payload] = {}
    for case_id, payload in (
        Event.objects.filter(case__organ=organ, kind=T.RECORD_REMEDY, on__lte=end)
        .order_by("case_id", "seq")
        .values_list("case_id", "payload")
    ):
        latest[(case_id, payload["remedy"])] = payload
    table = {str(group): {**{str(o): 0 for o in OUTCOMES}, "total": 0} for group in REMEDY_GROUPS}
    for (_case, remedy), payload in latest.items():
        filed = date.fromisoformat(payload["filed_on"])
        decided = date.fromisoformat(payload["decided_on"]) if payload.get("decided_on") else None
        outcome = payload["outcome"] if decided is None or decided <= end else RemedyOutcome.PENDING
        if filed.year == year or (filed.year < year and (decided is None or decided.year >= year)):
            table[remedy][outcome] += 1
            table[remedy]["total"] += 1
    return table


def report_as_data(organ: Organ, year: int) -> Payload:
    """Both tables with their labels, as JSON-safe data (the annual_report command, exports)."""
    fmt = report_format()
    t3 = table_3(organ, year)
    return {
        "organ": organ.name,
        "year": year,
        "table_3": {
            "title": fmt["table_3"]["title"],
            "columns": [
                {"key": c["key"], "label": c["label"], "group": c["group"]}
                for c in fmt["table_3"]["columns"]
            ],
            "rows": [
                {"key": r["key"], "label": r["label"], "values": t3.cells[r["key"]]}
                for r in fmt["table_3"]["rows"]
            ],
            "check": {"rule": fmt["table_3"]["corner"], "holds": t3.checks},
        },
        "table_4": {
            "title": fmt["table_4"]["title"],
            "groups": [
                {
                    "label": g["label"],
                    "columns": g["columns"],
                    "values": list(table_4(organ, year)[str(k)].values()),
                }
                for g, k in zip(fmt["table_4"]["groups"], REMEDY_GROUPS, strict=True)
            ],
        },
    }
