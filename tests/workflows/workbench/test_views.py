"""Workbench queues, claiming (including a 16-thread race), and the action forms."""

import threading
from datetime import date

from django.db import connections

import pytest

from casework.errors import WrongState
from casework.models import Event
from tests.conftest import NOW
from workflows.services import case_act


@pytest.fixture
def routed(receive_flow, act, divisions):
    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    return case


@pytest.mark.django_db
def test_division_queue_and_claim(client, users, routed):
    client.force_login(users["liaison_a"])
    page = client.get("/work/?tab=division").content.decode()
    assert routed.number in page
    assert "认领" in page
    response = client.post(f"/work/cases/{routed.number}/quick/claim/", {"next": "/work/?tab=mine"})
    assert response.status_code == 302
    assert routed.number in client.get("/work/?tab=mine").content.decode()
    assert routed.number not in client.get("/work/?tab=division").content.decode()
    # another division never sees it
    client.force_login(users["liaison_b"])
    assert routed.number not in client.get("/work/?tab=division").content.decode()
    assert client.post(f"/work/cases/{routed.number}/quick/claim/").status_code == 404


@pytest.mark.django_db
def test_second_claim_gets_a_clear_message(client, users, routed, act):
    act(routed, "claim", "liaison_a2")
    client.force_login(users["liaison_a"])
    response = client.post(f"/work/cases/{routed.number}/quick/claim/", follow=True)
    assert "刚刚已被他人认领" in response.content.decode()


@pytest.mark.django_db
def test_office_queue_shows_triage_and_review(client, users, receive_flow):
    case = receive_flow()
    client.force_login(users["registrar"])
    page = client.get("/work/?tab=office").content.decode()
    assert case.number in page
    assert "登记交办" in page


@pytest.mark.django_db
def test_action_form_errors_are_field_level_and_nothing_changes(client, users, routed):
    client.force_login(users["head"])
    act_url = f"/work/cases/{routed.number}/act/extend/"
    response = client.post(act_url, {"on": NOW.date().isoformat(), "days": "25", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "id_days-errors" in page
    assert "id_reason-errors" in page
    assert not Event.objects.filter(case=routed, kind="extend").exists()


@pytest.mark.django_db
def test_action_form_fires_the_transition(client, users, routed):
    import time_machine

    # Entered on the day (issue 21: an extension request after the reply period is refused).
    with time_machine.travel(NOW, tick=False):
        _action_form_fires_the_transition(client, users, routed)


def _action_form_fires_the_transition(client, users, routed):
    client.force_login(users["liaison_a"])
    response = client.post(
        f"/work/cases/{routed.number}/act/claim/", {"on": NOW.date().isoformat()}
    )
    assert response.status_code == 302
    client.force_login(users["liaison_a"])
    response = client.post(
        f"/work/cases/{routed.number}/act/request_extension/",
        {"on": NOW.date().isoformat(), "days": "10", "reason": "需调档"},
    )
    assert response.status_code == 302
    assert Event.objects.filter(case=routed, kind="request_extension").count() == 1
    # a wrong state is refused with the Chinese message as a form error
    response = client.post(
        f"/work/cases/{routed.number}/act/claim/", {"on": NOW.date().isoformat()}
    )
    assert response.status_code == 400
    assert "不能执行此操作" in response.content.decode()


@pytest.mark.django_db
def test_queue_page_query_count_is_bounded(
    client, users, receive_flow, act, divisions, django_assert_max_num_queries
):
    for _ in range(12):
        case = receive_flow()
        act(case, "register", "registrar")
        act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    client.force_login(users["liaison_a"])
    client.get("/work/?tab=division")  # warm the per-process calendar
    # 7: the queue's six, and one for 提到我的备注 (notes mentioning the user)
    for tab in ("division", "mine"):
        with django_assert_max_num_queries(7):
            assert client.get(f"/work/?tab={tab}").status_code == 200
    client.force_login(users["head"])
    with django_assert_max_num_queries(7):
        assert client.get("/work/?tab=office").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_sixteen_officers_claim_at_once_one_wins(receive_flow, act, divisions, users):
    from casework.choices import Role
    from casework.permissions import division_grant_member
    from tests.conftest import _user

    case = receive_flow(arrived=date(2026, 3, 2))
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    officers = []
    for n in range(16):
        officer = _user(f"racer{n}", Role.LIAISON)
        division_grant_member(officer, divisions["a"])
        officers.append(officer)
    barrier = threading.Barrier(16)
    outcomes = []
    lock = threading.Lock()

    def claim(officer):
        try:
            barrier.wait()
            case_act(number=case.number, name="claim", actor=officer, on=NOW.date(), now=NOW)
            result = officer.username
        except WrongState as exc:
            result = exc
        except Exception as exc:
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=claim, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    winners = [o for o in outcomes if isinstance(o, str)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, WrongState) for o in outcomes if not isinstance(o, str)), outcomes
    assert Event.objects.filter(case=case, kind="claim").count() == 1
    case.refresh_from_db()
    assert case.assignee.username == winners[0]
    from viewflow.workflow.models import Task

    task = Task.objects.get(
        process__caseprocess__case=case, flow_task_type="HUMAN", status="ASSIGNED"
    )
    assert task.owner.username == winners[0]


@pytest.mark.django_db
def test_extension_requests_reach_the_head(client, users, routed, act):
    act(routed, "claim", "liaison_a")
    act(routed, "request_extension", "liaison_a", days=10, reason="需调档")
    client.force_login(users["head"])
    assert routed.number in client.get("/work/?tab=extensions").content.decode()
    act(routed, "extend", "head", days=10, reason="同意")
    assert routed.number not in client.get("/work/?tab=extensions").content.decode()
    client.force_login(users["registrar"])
    assert "延期申请" not in client.get("/work/").content.decode()


@pytest.mark.django_db
def test_the_extensions_queue_is_the_heads_alone(client, users, routed, act):
    """The tab is hidden from others, and typing ?tab=extensions shows them nothing either:
    another division's officer must not learn of division a's extension request."""
    act(routed, "claim", "liaison_a")
    act(routed, "request_extension", "liaison_a", days=10, reason="需调档")
    for who in ("liaison_b", "registrar", "supervisor"):
        client.force_login(users[who])
        assert routed.number not in client.get("/work/?tab=extensions").content.decode()
    client.force_login(users["head"])
    assert routed.number in client.get("/work/?tab=extensions").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http://testserver.evil.example/"]
)
def test_quick_action_never_redirects_off_site(client, users, routed, target):
    client.force_login(users["liaison_a"])
    response = client.post(f"/work/cases/{routed.number}/quick/claim/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/work/"


@pytest.mark.django_db
def test_quick_action_keeps_a_local_next(client, users, routed):
    client.force_login(users["liaison_a"])
    response = client.post(f"/work/cases/{routed.number}/quick/claim/", {"next": "/work/?tab=mine"})
    assert response["Location"] == "/work/?tab=mine"
