"""Issue 21, point 6: table 三 counts a request of several items by MULTI_ITEM_REPORT_RULE
("main": once, under its derived disposition; "per_item": every item), and under each rule
every column keeps 一 + 二 = 三(七) + 四."""

from datetime import date

import pytest

from casework.annual_report import report_cell_cases, table_3
from casework.choices import Disposition as D
from tests.casework.test_items import THREE, full_proposal, receive_three
from tests.conftest import company

COLUMNS = ["natural_person", "commercial", "research", "public_welfare", "legal_services", "other"]


@pytest.fixture
def year_of_cases(organ, users, act):
    """2026 at one organ: the three-item request answered item by item at the counter; a
    two-item request still open; a two-item request withdrawn; a one-item request granted; a
    two-item request of a company carried in from 2025 and still open."""
    counter = receive_three(organ, users)
    act(counter, "register", "registrar", on=date(2026, 3, 2))
    act(counter, "reply_on_the_spot", "registrar", on=date(2026, 3, 2), items=full_proposal())
    open_two = receive_three(organ, users, subject="1. 安置计划 2. 落实情况")
    act(open_two, "register", "registrar", on=date(2026, 3, 2))
    withdrawn = receive_three(organ, users, subject="安置计划；资金使用明细")
    act(withdrawn, "register", "registrar", on=date(2026, 3, 2))
    act(withdrawn, "withdraw", "registrar", on=date(2026, 3, 3), reason="申请人撤回")
    single = receive_three(organ, users, subject="2025年度退役士兵安置计划")
    act(single, "register", "registrar", on=date(2026, 3, 2))
    act(single, "reply_on_the_spot", "registrar", on=date(2026, 3, 2), disposition=D.GRANTED)
    carried = receive_three(
        organ,
        users,
        subject="一、安置计划 二、落实情况",
        arrived=date(2025, 12, 22),
        applicant=company(),
    )
    act(carried, "register", "registrar", on=date(2025, 12, 22))
    for case in (counter, open_two, withdrawn, single, carried):
        case.refresh_from_db()
    assert counter.disposition == D.PARTIAL
    assert counter.status == "replied"
    return {"counter": counter, "open": open_two, "withdrawn": withdrawn, "single": single}


def cells(table, column):
    return {row: values[column] for row, values in table.cells.items() if values[column]}


@pytest.mark.django_db
def test_main_rule_counts_the_application_once_under_its_derived_disposition(
    year_of_cases, organ, settings
):
    settings.MULTI_ITEM_REPORT_RULE = "main"
    table = table_3(organ, 2026)
    assert cells(table, "natural_person") == {
        "new": 4,
        "partial": 1,  # the three-item request: one item given, two not
        "granted": 1,
        "other.other": 1,  # the withdrawal
        "results_total": 3,
        "carried_out": 1,
    }
    assert cells(table, "commercial") == {"carried_in": 1, "carried_out": 1}
    assert all(table.checks.values()), table.checks
    partial = report_cell_cases(organ, 2026, "partial", "total")
    assert list(partial) == [year_of_cases["counter"]]


@pytest.mark.django_db
def test_per_item_rule_counts_every_item_and_the_check_holds(year_of_cases, organ, settings):
    settings.MULTI_ITEM_REPORT_RULE = "per_item"
    table = table_3(organ, 2026)
    assert cells(table, "natural_person") == {
        "new": 3 + 2 + 2 + 1,
        "granted": 1 + 1,  # item 1 of the three, and the one-item request
        "unable.not_held": 1,  # item 2
        "refused.internal_affairs": 1,  # item 3
        "other.other": 2,  # both items of the withdrawn request
        "results_total": 6,
        "carried_out": 2,
    }
    assert cells(table, "commercial") == {"carried_in": 2, "carried_out": 2}
    assert all(table.checks.values()), table.checks
    counter = year_of_cases["counter"]
    assert list(report_cell_cases(organ, 2026, "refused.internal_affairs", "total")) == [counter]
    assert not report_cell_cases(organ, 2026, "partial", "total").exists()
    granted = set(report_cell_cases(organ, 2026, "granted", "total"))
    assert granted == {counter, year_of_cases["single"]}


@pytest.mark.django_db
def test_an_unknown_rule_is_refused(organ, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.MULTI_ITEM_REPORT_RULE = "both"
    with pytest.raises(ImproperlyConfigured):
        table_3(organ, 2026)


def test_three_is_the_finding():
    assert THREE.count("；") == 2
