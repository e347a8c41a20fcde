"""The dashboard's trend charts (issue 14 point 7): server-rendered SVG whose numbers are the
database's counts, made with a fixed number of grouped queries."""

import re
from datetime import date

import pytest
import time_machine

from casework.models import Case, Organ
from tests.workflows.supervision.test_supervision import moment, world  # noqa: F401 - fixture
from workflows.supervision.selectors import dashboard_trends


def _marks(page: str, kind: str) -> dict[str, int]:
    return {
        month: int(value)
        for month, value in re.findall(
            rf'<rect class="{kind}" data-month="([^"]+)" data-value="(\d+)"', page
        )
    }


@pytest.mark.django_db
def test_month_chart_numbers_are_the_database_counts(client, users, world):  # noqa: F811
    client.force_login(users["supervisor"])
    with time_machine.travel(moment(date(2026, 3, 16)), tick=False):
        page = client.get("/supervision/?from=2026-01-01&to=2026-03-31").content.decode()
    assert "<script" not in page
    received, closed = _marks(page, "received"), _marks(page, "closed")
    assert len(received) == len(closed) == 12
    assert list(received)[-1] == "2026年3月"
    assert next(iter(received)) == "2025年4月"
    for label in received:
        year, month = (int(x) for x in re.match(r"(\d+)年(\d+)月", label).groups())
        assert (
            received[label]
            == Case.objects.filter(received_on__year=year, received_on__month=month).count()
        ), label
        assert (
            closed[label]
            == Case.objects.filter(closed_on__year=year, closed_on__month=month).count()
        ), label
    assert received["2026年1月"] == 1
    assert received["2026年3月"] >= 1
    assert closed["2026年3月"] == 1
    assert 'role="img"' in page
    assert "<title" in page
    assert "以表格查看数据" in page


@pytest.mark.django_db
def test_division_charts_show_on_time_rate_and_average_days(client, users, world):  # noqa: F811
    client.force_login(users["supervisor"])
    with time_machine.travel(moment(date(2026, 3, 16)), tick=False):
        page = client.get("/supervision/?from=2026-01-01&to=2026-03-31").content.decode()
    chart = page.split('aria-labelledby="on-time-title"', 1)[1].split("</svg>", 1)[0]
    values = re.findall(r'<rect data-division="([^"]+)" data-value="([^"]*)"', chart)
    closed = Case.objects.filter(closed_on__gte=date(2026, 1, 1), closed_on__lte=date(2026, 3, 31))
    routed = closed.exclude(lead_division=None)
    # Charted per division; the cases closed before any routing stand apart (issue 24 point 10).
    assert len(values) == routed.values("lead_division").distinct().count()
    on_time = sum(1 for c in closed if c.closed_on <= c.reply_due_on)
    rate = f"{round(100 * on_time / closed.count(), 1)}%"
    if values:
        assert float(values[0][1]) == round(100 * on_time / closed.count(), 1)
    else:
        assert rate in page.split('<tbody class="apart">')[1].split("</tbody>")[0]
    days = page.split('aria-labelledby="days-title"', 1)[1].split("</svg>", 1)[0]
    if values:
        assert re.search(r'data-value="0(\.0)?"', days)  # replied on the spot: 0 working days
    else:  # replied on the spot, never routed: 0 working days, on the office's own line
        assert "<td>0.0</td>" in page.split('<tbody class="apart">')[1].split("</tbody>")[0]


@pytest.mark.django_db
def test_trends_take_one_query_whatever_the_number_of_months(organ, django_assert_num_queries):
    """One grouped query over the day counts (casework.case_counts, issue 27)."""
    organ = Organ.objects.get(pk=organ.pk)
    for months in (3, 12, 36):
        with django_assert_num_queries(1):
            trends = dashboard_trends(organ=organ, last=date(2026, 3, 16), months=months)
        assert len(trends) == months
        assert trends[-1].month == date(2026, 3, 1)
