"""Issue 24, round two of the officer's day: what the browser walks (tests/browser/
test_role_walks.py) found and what saves their clicks, each tested on its own: a claim from
the queue goes on to the case page; the letters page opens with the notice that is owed, or
else with the letter to a party consulted and not yet written to; an on-the-spot reply is
offered only on the day of receipt (it was offered later and then refused)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from casework.lifecycle import available_transitions
from tests.conftest import NOW, at


@pytest.fixture
def routed(receive_flow, act, divisions):
    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    return case


def _checked_kind(html: str) -> str:
    found = re.search(r'name="kind" value="([^"]+)" checked', html)
    return found.group(1) if found else ""


@pytest.mark.django_db
def test_a_claim_from_the_queue_goes_on_to_the_case_page(client, users, routed):
    client.force_login(users["liaison_a"])
    page = client.get("/work/?tab=division").content.decode()
    form = re.search(
        rf'<form method="post" action="/work/cases/{routed.number}/quick/claim/">(.*?)</form>',
        page,
        re.S,
    )
    assert form
    next_url = re.search(r'name="next" value="([^"]*)"', form.group(1))
    assert next_url
    assert next_url.group(1) == f"/cases/{routed.number}/"
    response = client.post(f"/work/cases/{routed.number}/quick/claim/", {"next": next_url.group(1)})
    assert response["Location"] == f"/cases/{routed.number}/"
    # On the case page the proposal is now the primary button.
    case_page = client.get(response["Location"]).content.decode()
    assert re.search(r'<a class="btn" href="[^"]*/act/propose/"', case_page)


@pytest.mark.django_db
def test_a_release_from_the_queue_returns_to_the_queue(client, users, routed, act):
    act(routed, "claim", "liaison_a")
    client.force_login(users["liaison_a"])
    page = client.get("/work/?tab=mine").content.decode()
    form = re.search(
        rf'<form method="post" action="/work/cases/{routed.number}/quick/release/">(.*?)</form>',
        page,
        re.S,
    )
    assert form
    assert 'name="next" value="/work/?tab=mine"' in form.group(1)


@pytest.mark.django_db
def test_the_letters_page_opens_with_the_owed_correction_notice(client, users, receive_flow, act):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(
        case,
        "request_correction",
        "registrar",
        on=date(2026, 3, 3),
        items="请写明文件名称",
        deadline_on="2026-03-20",
    )
    client.force_login(users["registrar"])
    url = f"/work/cases/{case.number}/letters/"
    assert _checked_kind(client.get(url).content.decode()) == "correction"
    client.post(url, {"kind": "correction"})
    # Issued: nothing is owed any more, nothing is chosen for the officer.
    assert _checked_kind(client.get(url).content.decode()) == ""


@pytest.mark.django_db
def test_the_letters_page_opens_with_the_extension_notice_then_the_consultation_letter(
    client, users, receive_flow, act, divisions
):
    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar", on=date(2026, 3, 2))
    act(case, "assign", "reviewer", on=date(2026, 3, 2), lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a", on=date(2026, 3, 3))
    act(
        case,
        "open_consultation",
        "liaison_a",
        on=date(2026, 3, 4),
        party="third_party",
        party_name="某公司",
    )
    act(case, "extend", "head", on=date(2026, 3, 5), days=10, reason="需征求第三方意见")
    client.force_login(users["head"])
    url = f"/work/cases/{case.number}/letters/"
    assert _checked_kind(client.get(url).content.decode()) == "extension"
    client.post(url, {"kind": "extension"})
    assert _checked_kind(client.get(url).content.decode()) == "consultation_third_party"
    client.post(url, {"kind": "consultation_third_party"})
    assert _checked_kind(client.get(url).content.decode()) == ""


@pytest.mark.django_db
def test_an_on_the_spot_reply_is_offered_only_on_the_day_of_receipt(receive, users):
    case = receive(arrived=NOW.date())
    registrar = users["registrar"]
    assert "reply_on_the_spot" in available_transitions(case, registrar, now=NOW)
    next_day = at(NOW.date() + timedelta(days=1), 10)
    assert "reply_on_the_spot" not in available_transitions(case, registrar, now=next_day)


@pytest.mark.django_db
def test_an_on_the_spot_reply_recorded_later_names_the_day_of_receipt(receive, fire, users):
    """Recording, a day later, the reply given at the counter: its effective date is the day
    of receipt (with the backdating rule on, a reason is asked for that)."""
    case = receive(arrived=NOW.date())
    fire(
        case,
        "reply_on_the_spot",
        "registrar",
        on=NOW.date(),
        now=at(NOW.date() + timedelta(days=1), 10),
        disposition="granted",
        basis="《条例》第三十六条第（二）项",
    )
    case.refresh_from_db()
    assert case.status == "replied"


@pytest.mark.django_db
def test_after_handing_back_the_liaison_lands_on_the_workbench(client, users, routed, act):
    """Found: after 退回分办 the liaison landed on a 404 page (the case is no longer theirs)."""
    act(routed, "claim", "liaison_a")
    client.force_login(users["liaison_a"])
    response = client.post(
        f"/work/cases/{routed.number}/act/hand_back/",
        {"on": NOW.date().isoformat(), "reason": "不属于本处室职责"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/work/"
    assert "已完成：退回分办" in response.content.decode()
