"""Issue 24 point 4: each role lands where its work is; a queue row carries the received date,
the channel, the latest urge or hand-back reason and a badge while a consultation is open."""

from __future__ import annotations

import pytest

from tests.workflows.workbench.test_queue import _current_tab, _page, _row, _tab_text


@pytest.fixture
def routed(receive_flow, act, divisions):
    def _routed():
        case = receive_flow()
        act(case, "register", "registrar")
        act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
        return case

    return _routed


@pytest.mark.django_db
def test_supervisor_lands_on_the_dashboard_and_admin_on_the_admin(client, users):
    client.force_login(users["supervisor"])
    response = client.get("/work/")
    assert response.status_code == 302
    assert response["Location"] == "/supervision/"
    # An explicit tab is still the workbench.
    assert client.get("/work/?tab=mine").status_code == 200
    users["admin"].is_staff = True
    users["admin"].save()
    client.force_login(users["admin"])
    response = client.get("/work/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    # A liaison with nothing to do still sees the workbench (its tabs can fill).
    client.force_login(users["liaison_a"])
    assert client.get("/work/").status_code == 200


@pytest.mark.django_db
def test_head_lands_on_its_sign_off_tab(client, users, routed, act):
    from tests.provision import BY_POST

    case = routed()
    other = routed()
    act(case, "claim", "liaison_a")
    act(case, "propose", "liaison_a", disposition="granted", basis="", **BY_POST)
    act(case, "check", "reviewer")
    assert other.number  # an office task (none) and a sign-off task: sign-off first
    html = _page(client, users["head"])
    assert _current_tab(html) == "sign_off"
    assert _tab_text(html, "sign_off") == "待审签 (1)"
    assert f">{case.number}</a>" in html
    # The registrar has no sign-off tab.
    assert "?tab=sign_off" not in _page(client, users["registrar"])


@pytest.mark.django_db
def test_row_shows_received_date_channel_urge_and_consultation(
    client, users, routed, act, django_assert_max_num_queries
):
    case = routed()
    act(case, "claim", "liaison_a")
    act(case, "urge", "supervisor", message="请本周内答复")
    act(
        case,
        "open_consultation",
        "liaison_a",
        party="third_party",
        party_name="某公司",
        matter="商业秘密",
    )
    html = _page(client, users["liaison_a"], "/work/?tab=mine")
    row = _row(html, case.number)
    case.refresh_from_db()
    on = case.received_on
    assert f"{on.year}年{on.month}月{on.day}日收到" in row
    assert "当面提交" in row or "当面" in row
    assert "催办：请本周内答复" in row
    assert "征求意见中" in row
    # The facts cost no query per row.
    for _ in range(5):
        routed()
    client.force_login(users["registrar"])
    client.get("/work/?tab=office")
    with django_assert_max_num_queries(7):
        assert client.get("/work/?tab=office").status_code == 200


@pytest.mark.django_db
def test_row_shows_the_hand_back_reason_while_the_office_routes_again(client, users, routed, act):
    case = routed()
    act(case, "claim", "liaison_a")
    act(case, "hand_back", "liaison_a", reason="不属本处室职责")
    row = _row(_page(client, users["registrar"], "/work/?tab=office"), case.number)
    assert "退回分办：不属本处室职责" in row
    assert "征求意见中" not in row
