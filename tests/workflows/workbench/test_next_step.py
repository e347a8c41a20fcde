"""Issue 14 point 1: the case page offers the flow's next step for this user as the primary
action, only actions that can succeed, and tells a user with nothing to do whose turn it is."""

import re
from datetime import date

import pytest

from tests.letters.test_letters import approved  # noqa: F401 - fixture


def _actions(client, user, case):
    client.force_login(user)
    html = client.get(f"/cases/{case.number}/").content.decode()
    card = html.split("<h2>", 2)[1] if "<h2>" in html else html
    # A short next step is a form on the page (its button does it); the others are links.
    inline = re.search(
        r'<form method="post" action="([^"]+)" class="next-step".*?'
        r'<button class="btn" type="submit">([^<]+)</button>',
        card,
        re.S,
    )
    buttons = [(True, inline[1], inline[2])] if inline else []
    links = re.findall(r'<a class="btn( secondary)?" href="([^"]+)">([^<]+)</a>', card)
    return html, buttons + [(not secondary, href, label) for secondary, href, label in links]


@pytest.mark.django_db
def test_primary_action_is_the_next_step(client, users, receive_flow, act, divisions):
    case = receive_flow(channel="online", arrived=date(2026, 3, 2))
    _html, buttons = _actions(client, users["registrar"], case)
    assert buttons[0][0]
    assert buttons[0][1].endswith("/act/confirm_receipt/")
    act(case, "confirm_receipt", "registrar", on=date(2026, 3, 3))
    _html, buttons = _actions(client, users["registrar"], case)
    assert buttons[0][0]
    assert buttons[0][1].endswith("/act/register/")
    act(case, "register", "registrar", on=date(2026, 3, 3))
    _html, buttons = _actions(client, users["reviewer"], case)
    assert buttons[0][0]
    assert buttons[0][1].endswith("/act/assign/")
    assert sum(1 for primary, _h, _l in buttons if primary) == 1
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    client.force_login(users["liaison_b"])  # another division never sees the case
    assert client.get(f"/cases/{case.number}/").status_code == 404
    _html, buttons = _actions(client, users["liaison_a"], case)
    assert buttons[0][1].endswith("/act/claim/")
    _html, buttons = _actions(client, users["registrar"], case)
    assert not any(h.endswith("/act/claim/") for _p, h, _l in buttons)


@pytest.mark.django_db
def test_approved_case_offers_the_reply_letter_first_and_others_see_whose_turn(
    client,
    users,
    approved,  # noqa: F811
):
    case = approved("granted")
    _html, buttons = _actions(client, users["registrar"], case)
    assert buttons[0][0]
    assert buttons[0][1].endswith(f"/work/cases/{case.number}/letters/")
    html, buttons = _actions(client, users["liaison_a"], case)
    assert buttons == []
    assert "下一步由公开办办理" in html


@pytest.mark.django_db
def test_internal_deadlines_show_days_left_with_the_reply_deadlines_badges(
    client, users, receive_flow, act, divisions
):
    """Issue 14 point 2: the division's internal due date and the applicant's correction
    deadline carry the same warning badges as the reply deadline, counted in working days."""
    import time_machine

    from tests.conftest import at

    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    case.refresh_from_db()
    assert case.division_due_on is not None
    client.force_login(users["liaison_a"])
    with time_machine.travel(at(date(2026, 3, 4)), tick=False):
        html = client.get(f"/cases/{case.number}/").content.decode()
    section = html.split("处室内部办理期限", 1)[1].split("</dd>", 1)[0]
    assert "level-on-track" in section
    assert "个工作日" in section
    with time_machine.travel(
        at(case.division_due_on + (date(2026, 3, 9) - date(2026, 3, 2))), tick=False
    ):
        html = client.get(f"/cases/{case.number}/").content.decode()
    section = html.split("处室内部办理期限", 1)[1].split("</dd>", 1)[0]
    assert "level-overdue" in section

    other = receive_flow(arrived=date(2026, 3, 2))
    act(other, "register", "registrar", on=date(2026, 3, 2))
    act(
        other,
        "request_correction",
        "registrar",
        on=date(2026, 3, 3),
        items="请写明文件名称",
        deadline_on="2026-03-10",
    )
    client.force_login(users["registrar"])
    with time_machine.travel(at(date(2026, 3, 9)), tick=False):
        html = client.get(f"/cases/{other.number}/").content.decode()
    section = html.split("申请人补正期限", 1)[1].split("</dd>", 1)[0]
    assert "level-due-soon" in section
    assert "处室内部办理期限" not in html


@pytest.mark.django_db
def test_a_short_next_step_is_done_on_the_case_page_and_a_long_one_on_its_own(
    client, users, receive_flow, act, divisions
):
    """Fewer clicks (issue 14): confirm receipt (Art 31(3)) has a form on the case page whose
    button posts the step; the proposal (Art 36–39, ten fields) keeps its own page."""
    case = receive_flow(channel="online", arrived=date(2026, 3, 2))
    html, buttons = _actions(client, users["registrar"], case)
    assert 'class="next-step"' in html
    assert 'id="next-on"' in html
    assert buttons[0] == (True, f"/work/cases/{case.number}/act/confirm_receipt/", "确认收到")
    for name in ("confirm_receipt", "register"):
        act(case, name, "registrar", on=date(2026, 3, 3))
    act(case, "assign", "registrar", on=date(2026, 3, 3), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    html, buttons = _actions(client, users["liaison_a"], case)
    assert 'class="next-step"' not in html
    assert buttons[0] == (True, f"/work/cases/{case.number}/act/propose/", "提出拟办意见")
