"""Issue 14 points 1–2 on the workbench queue: each row offers the flow's next step for this
user, the page lands on the first tab that has work and shows every tab's count, the rows
are sorted by urgency (Art 31(3)-(4): receipts to confirm first; then the reply due date of
Art 33), and the internal time limits carry the same warning badges as the reply due date."""

import re
from datetime import date, timedelta

from django.utils import timezone

import pytest

from casework.models import Case
from casework.selectors import working_calendar
from tests.letters.test_letters import approved  # noqa: F401 - fixture
from tests.provision import BY_POST
from workflows.selectors import next_steps, task_queue


def _page(client, user, url="/work/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _current_tab(html):
    return re.search(r'<a href="\?tab=(\w+)" aria-current="page"', html).group(1)


def _tab_text(html, tab):
    return re.search(rf'<a href="\?tab={tab}"[^>]*>([^<]+)</a>', html).group(1)


def _row(html, number):
    """The <tr> of one case in the queue."""
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if f">{number}</a>" in row:
            return row
    raise AssertionError(f"{number} is not in the queue")


def _buttons(row):
    """(primary?, target, label) of the row's step buttons, links and quick forms alike."""
    found = []
    for form_action, cls, label in re.findall(
        r'<form method="post" action="([^"]+)">.*?<button class="btn( secondary)?"[^>]*>([^<]+)',
        row,
        re.S,
    ):
        found.append((not cls, form_action, label.strip()))
    for cls, href, label in re.findall(r'<a class="btn( secondary)?" href="([^"]+)">([^<]+)', row):
        found.append((not cls, href, label.strip()))
    return sorted(found, key=lambda b: not b[0])


def _numbers_in_order(html, numbers):
    return sorted(numbers, key=lambda n: html.index(f">{n}</a>"))


@pytest.fixture
def routed(receive_flow, act, divisions):
    def _routed(**assign):
        case = receive_flow()
        act(case, "register", "registrar")
        act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk, **assign)
        return case

    return _routed


# --- landing and counts -------------------------------------------------------------------


@pytest.mark.django_db
def test_lands_on_the_first_tab_with_tasks_and_shows_every_count(client, users, routed, act):
    first, second = routed(), routed()
    html = _page(client, users["liaison_a"])
    # Nothing claimed yet: the division's queue, not the empty "my tasks".
    assert _current_tab(html) == "division"
    assert _tab_text(html, "mine") == "我的任务 (0)"
    assert _tab_text(html, "division") == "本处室待认领 (2)"
    act(first, "claim", "liaison_a")
    html = _page(client, users["liaison_a"])
    assert _current_tab(html) == "mine"
    assert _tab_text(html, "mine") == "我的任务 (1)"
    assert _tab_text(html, "division") == "本处室待认领 (1)"
    assert f">{first.number}</a>" in html
    assert f">{second.number}</a>" not in html
    # An explicit ?tab= is kept even when that tab is empty.
    html = _page(client, users["liaison_b"], "/work/?tab=division")
    assert _current_tab(html) == "division"
    assert _tab_text(html, "division") == "本处室待认领 (0)"


@pytest.mark.django_db
def test_without_any_task_the_first_tab_is_shown(client, users):
    html = _page(client, users["liaison_a"])
    assert _current_tab(html) == "mine"
    assert "暂无任务。" in html


@pytest.mark.django_db
def test_office_lands_on_its_tab_and_head_sees_the_extensions_count(client, users, routed, act):
    case = routed()
    act(case, "claim", "liaison_a")
    act(case, "request_extension", "liaison_a", days=10, reason="需调档")
    html = _page(client, users["head"])
    assert _tab_text(html, "extensions") == "延期申请 (1)"
    assert _current_tab(html) == "extensions"  # mine and office are empty
    html = _page(client, users["registrar"])
    assert "?tab=extensions" not in html
    assert _current_tab(html) == "mine"  # nothing for the registrar: the first tab


@pytest.mark.django_db
def test_landing_page_query_count_stays_bounded(
    client, users, routed, act, django_assert_max_num_queries
):
    """The tab counts are one COUNT over the task table, and it spares the paginator's; the
    notes mentioning me are one more query."""
    for _ in range(12):
        routed()
    client.force_login(users["liaison_a"])
    client.get("/work/")  # warm the per-process calendar
    with django_assert_max_num_queries(7):
        assert client.get("/work/").status_code == 200
    client.force_login(users["head"])
    client.get("/work/")
    with django_assert_max_num_queries(7):
        assert client.get("/work/?tab=extensions").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/work/").status_code == 200


# --- urgency order ------------------------------------------------------------------------


def _set_reply_due(case, due):
    """The reply due date the lifecycle would have stored, fixed relative to today so the
    badges and the order do not depend on when the suite runs."""
    Case.objects.filter(pk=case.pk).update(reply_due_on=due)


@pytest.mark.django_db
def test_office_queue_unconfirmed_receipts_first_then_overdue_then_fewest_days_left(
    client, users, receive_flow, act
):
    today = timezone.localdate()
    calendar = working_calendar()
    no_date = receive_flow()
    on_track = receive_flow()
    overdue = receive_flow()
    due_soon = receive_flow()
    unconfirmed = receive_flow(channel="online")  # the newest task of all
    _set_reply_due(no_date, None)
    _set_reply_due(on_track, calendar.add_working_days(today, 15))
    _set_reply_due(overdue, today - timedelta(days=10))
    _set_reply_due(due_soon, calendar.add_working_days(today, 2))
    html = _page(client, users["registrar"], "/work/?tab=office")
    expected = [unconfirmed, overdue, due_soon, on_track, no_date]
    numbers = [c.number for c in expected]
    assert _numbers_in_order(html, numbers) == numbers
    assert "level-overdue" in _row(html, overdue.number)
    assert "level-due-soon" in _row(html, due_soon.number)
    assert "level-on-track" in _row(html, on_track.number)
    assert "待确认" in _row(html, unconfirmed.number)
    # Paging keeps the same order (one SQL ordering, applied before the page is cut).
    queue = task_queue(user=users["registrar"], tab="office")
    paged = [row["case_number"] for i in range(0, 5, 2) for row in queue[i : i + 2]]
    assert paged == numbers
    assert [row["case_number"] for row in queue] == numbers  # the API's export order too


@pytest.mark.django_db
@pytest.mark.parametrize("tab", ["division", "mine"])
def test_division_and_my_tasks_most_urgent_first_across_pages(client, users, routed, act, tab):
    """The divisions' tabs order through QueueTaskRow (task → case process → case): overdue,
    then the fewest days left, then no due date, the oldest task first among equals, and
    paging cuts that same order."""
    today = timezone.localdate()
    calendar = working_calendar()
    no_date, on_track, overdue, due_soon, tie = cases = [routed() for _ in range(5)]
    if tab == "mine":
        for case in cases:
            act(case, "claim", "liaison_a")
    _set_reply_due(no_date, None)
    _set_reply_due(on_track, calendar.add_working_days(today, 15))
    _set_reply_due(overdue, today - timedelta(days=10))
    _set_reply_due(due_soon, calendar.add_working_days(today, 2))
    _set_reply_due(tie, calendar.add_working_days(today, 2))
    expected = [overdue, due_soon, tie, on_track, no_date]
    numbers = [c.number for c in expected]
    html = _page(client, users["liaison_a"], f"/work/?tab={tab}")
    assert _numbers_in_order(html, numbers) == numbers
    queue = task_queue(user=users["liaison_a"], tab=tab)
    assert queue.sortable is not None  # the two-join order is the one under test
    paged = [row["case_number"] for i in range(0, 5, 2) for row in queue[i : i + 2]]
    assert paged == numbers


@pytest.mark.django_db
def test_confirmed_receipt_loses_its_priority(client, users, receive_flow, act):
    today = timezone.localdate()
    overdue = receive_flow()
    _set_reply_due(overdue, today - timedelta(days=10))
    online = receive_flow(channel="online")
    html = _page(client, users["registrar"], "/work/?tab=office")
    assert _numbers_in_order(html, [overdue.number, online.number])[0] == online.number
    act(online, "confirm_receipt", "registrar", on=date(2026, 3, 3))
    _set_reply_due(online, today + timedelta(days=40))
    html = _page(client, users["registrar"], "/work/?tab=office")
    assert _numbers_in_order(html, [overdue.number, online.number])[0] == overdue.number


# --- the next step per flow node ----------------------------------------------------------


@pytest.mark.django_db
def test_triage_offers_confirm_register_assign_and_receive_correction(
    client, users, receive_flow, act
):
    case = receive_flow(channel="online", arrived=date(2026, 3, 2))
    primary = _buttons(_row(_page(client, users["registrar"], "/work/?tab=office"), case.number))
    assert primary == [(True, f"/work/cases/{case.number}/act/confirm_receipt/", "确认收到")]
    act(case, "confirm_receipt", "registrar", on=date(2026, 3, 3))
    row = _row(_page(client, users["registrar"], "/work/?tab=office"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/act/register/", "登记")]
    act(case, "register", "registrar", on=date(2026, 3, 3))
    row = _row(_page(client, users["reviewer"], "/work/?tab=office"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/act/assign/", "交办处室")]
    act(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 4),
        items="请写明所需信息的名称",
        deadline_on=date(2026, 3, 20),
    )
    row = _row(_page(client, users["registrar"], "/work/?tab=office"), case.number)
    assert _buttons(row) == [
        (True, f"/work/cases/{case.number}/act/receive_correction/", "收到补正")
    ]


@pytest.mark.django_db
def test_division_claims_then_proposes_or_releases_and_co_division_gives_opinion(
    client, users, routed, act, divisions
):
    case = routed(co_division_ids=[divisions["b"].pk])
    row = _row(_page(client, users["liaison_a"], "/work/?tab=division"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/quick/claim/", "认领")]
    assert '<span class="visually-hidden"> ' + case.number in row
    row = _row(_page(client, users["liaison_b"], "/work/?tab=division"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/act/give_opinion/", "协办意见")]
    act(case, "claim", "liaison_a")
    row = _row(_page(client, users["liaison_a"], "/work/?tab=mine"), case.number)
    assert _buttons(row) == [
        (True, f"/work/cases/{case.number}/act/propose/", "提出拟办意见"),
        (False, f"/work/cases/{case.number}/quick/release/", "退回待认领"),
    ]
    # The buttons lead to pages that work for this user.
    client.force_login(users["liaison_a"])
    assert client.get(f"/work/cases/{case.number}/act/propose/").status_code == 200


@pytest.mark.django_db
def test_review_sign_off_issue_deliver_and_file(client, users, approved, act):  # noqa: F811
    case = approved("granted")
    row = _row(_page(client, users["registrar"], "/work/?tab=office"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/letters/", "出具答复书")]
    act(case, "issue_reply", "registrar")
    row = _row(_page(client, users["registrar"], "/work/?tab=office"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/act/record_delivery/", "登记送达")]
    act(case, "record_delivery", "registrar", method="post", tracking_number="EMS123")
    row = _row(_page(client, users["registrar"], "/work/?tab=office"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/act/archive/", "归档")]


@pytest.mark.django_db
def test_review_offers_check_and_sign_off_offers_approve(client, users, routed, act):
    case = routed()
    act(case, "claim", "liaison_a")
    act(case, "propose", "liaison_a", disposition="granted", basis="", **BY_POST)
    row = _row(_page(client, users["reviewer"], "/work/?tab=office"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/act/check/", "审核通过")]
    act(case, "check", "reviewer")
    row = _row(_page(client, users["head"], "/work/?tab=office"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/act/approve/", "审签同意")]
    # The reviewer has no sign-off task: the case left the reviewer's queue.
    assert f">{case.number}</a>" not in _page(client, users["reviewer"], "/work/?tab=office")


@pytest.mark.django_db
def test_extensions_tab_offers_the_extension(client, users, routed, act):
    case = routed()
    act(case, "claim", "liaison_a")
    act(case, "request_extension", "liaison_a", days=10, reason="需调档")
    row = _row(_page(client, users["head"], "/work/?tab=extensions"), case.number)
    assert _buttons(row) == [(True, f"/work/cases/{case.number}/act/extend/", "延期答复")]


@pytest.mark.parametrize(
    ("tab", "node", "status", "expected"),
    [
        # A step the case's status makes impossible is never offered.
        ("division", "investigate", "investigation", ()),
        ("mine", "investigate", "awaiting_fee", ()),
        ("office", "triage", "handling", ()),
        ("office", "issue", "replied", ()),
        ("office", "deliver", "approved", ()),
        ("division", "co_opinion", "review", ()),
        ("office", "review", "review", ("check",)),
        ("office", "triage", "registered", ("assign",)),
    ],
)
def test_next_steps_only_where_the_status_allows_them(tab, node, status, expected):
    assert next_steps(tab=tab, node=node, status=status, unconfirmed=False) == tuple(expected)


def test_received_without_a_known_receipt_offers_nothing_but_confirmation():
    assert next_steps(tab="office", node="triage", status="received", unconfirmed=True) == (
        "confirm_receipt",
    )
    assert next_steps(tab="office", node="triage", status="received", unconfirmed=False) == (
        "register",
    )


# --- internal deadlines -------------------------------------------------------------------


@pytest.mark.django_db
def test_division_due_date_shows_days_left_with_the_warning_colour(client, users, routed):
    today = timezone.localdate()
    calendar = working_calendar()
    late = routed()
    soon = routed()
    Case.objects.filter(pk=late.pk).update(division_due_on=today - timedelta(days=7))
    Case.objects.filter(pk=soon.pk).update(division_due_on=calendar.add_working_days(today, 1))
    html = _page(client, users["liaison_a"], "/work/?tab=division")
    row = _row(html, late.number)
    assert "处室内部办理期限" in row
    assert re.search(r'<span class="badge level-overdue">⚠ 已超期 \d+ 个工作日</span>', row)
    row = _row(html, soon.number)
    assert '<span class="badge level-due-soon">△ 即将到期：剩余 1 个工作日</span>' in row


@pytest.mark.django_db
def test_correction_deadline_badge_in_the_office_queue(client, users, receive_flow, act):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 4),
        items="请写明所需信息的名称",
        deadline_on=date(2026, 3, 20),
    )
    row = _row(_page(client, users["registrar"], "/work/?tab=office"), case.number)
    assert "补正期限 2026年3月20日" in row
    if timezone.localdate() > date(2026, 3, 20):  # the suite runs after the deadline
        assert '<span class="badge level-overdue">⚠ 已超期' in row


@pytest.mark.django_db
def test_a_division_due_date_met_by_the_proposal_leaves_the_queue_row(client, users, routed, act):
    """Issue 21 point 8: once the division proposed, its internal due date was met; a decision
    sent back for revision does not list it as running again."""
    case = routed()
    act(case, "claim", "liaison_a")
    row = _row(_page(client, users["liaison_a"], "/work/?tab=mine"), case.number)
    assert "处室内部办理期限" in row
    act(
        case,
        "propose",
        "liaison_a",
        disposition="granted",
        basis="《条例》第三十六条第（二）项",
        **BY_POST,
    )
    act(case, "return_for_revision", "reviewer", reason="补充理由")
    assert Case.objects.get(pk=case.pk).status == "investigation"
    row = _row(_page(client, users["liaison_a"], "/work/?tab=mine"), case.number)
    assert "处室内部办理期限" not in row
