"""退回分办: the lead division returns a misrouted case to the OGI office with a reason. The
lifecycle writes one event, the flow cancels the division's work and opens a new triage task,
and the office routes the case again. Routing inside the organ pauses no time limit (Art 33)."""

import pytest
from viewflow.workflow.models import Task

from casework.choices import CaseStatus, Disposition
from casework.errors import InvalidInput, NotPermitted, WrongState
from casework.models import Event
from tests.provision import BY_POST
from workflows.selectors import task_queue

from .test_flow import open_tasks

REASON = "申请内容属于市场监管部门职责，非本处室业务"


def _routed(receive_flow, act, divisions, co=()):
    case = receive_flow()
    act(case, "register", "registrar")
    act(
        case,
        "assign",
        "reviewer",
        lead_division_id=divisions["a"].pk,
        co_division_ids=[divisions[c].pk for c in co],
    )
    return case


def _office_queue(user):
    return {(r["case_number"], r["flow_task"].name) for r in task_queue(user=user, tab="office")}


@pytest.mark.django_db(transaction=True)
def test_hand_back_returns_the_case_to_triage_and_it_is_routed_again(
    receive_flow, act, divisions, users
):
    a, b, c = (str(divisions[k].pk) for k in "abc")
    case = _routed(receive_flow, act, divisions, co=("b",))
    act(case, "claim", "liaison_a")
    act(case, "give_opinion", "liaison_b", opinion="同意")  # the join has started
    case.refresh_from_db()
    due_before = (case.reply_due_on, case.received_on, case.dates_provisional)
    events_before = case.events.count()

    act(case, "hand_back", "liaison_a", reason=REASON)

    case.refresh_from_db()
    assert (case.status, case.lead_division, case.assignee, case.division_due_on) == (
        CaseStatus.REGISTERED,
        None,
        None,
        None,
    )
    assert list(case.co_divisions.all()) == []
    assert (case.reply_due_on, case.received_on, case.dates_provisional) == due_before
    assert case.events.count() == events_before + 1
    event = case.events.order_by("-seq").first()
    assert event.kind == "hand_back"
    assert (event.from_status, event.to_status) == (CaseStatus.INVESTIGATION, "registered")
    assert event.payload["reason"] == REASON
    assert event.payload["from_division"] == divisions["a"].name
    assert event.payload["from_co_divisions"] == [divisions["b"].name]
    assert "clock_changes" not in event.payload
    # The division's work and the started join are cancelled; the office has triage again.
    assert open_tasks(case) == {("triage", "NEW", None, None)}
    assert not Task.objects.filter(
        process__caseprocess__case=case, flow_task_type="JOIN", status__in=["NEW", "STARTED"]
    ).exists()
    assert (case.number, "triage") in _office_queue(users["reviewer"])
    assert not list(task_queue(user=users["liaison_a"], tab="mine"))

    # The office routes it again, with a co-division that already gave an opinion before.
    act(
        case,
        "assign",
        "reviewer",
        lead_division_id=divisions["c"].pk,
        co_division_ids=[divisions["b"].pk],
    )
    assert open_tasks(case) == {("investigate", "NEW", None, c), ("co_opinion", "NEW", None, b)}
    assert (case.number, "triage") not in _office_queue(users["reviewer"])
    from casework.permissions import division_grant_member

    division_grant_member(users["liaison_a2"], divisions["c"])
    act(case, "claim", "liaison_a2")
    act(case, "give_opinion", "liaison_b", opinion="同意公开")
    act(
        case,
        "propose",
        "liaison_a2",
        disposition=Disposition.GRANTED,
        basis="《条例》第三十六条第（二）项",
        **BY_POST,
    )
    assert open_tasks(case) == {("review", "NEW", None, None)}
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEW
    assert case.reply_due_on == due_before[0]
    assert a not in {t[3] for t in open_tasks(case)}


@pytest.mark.django_db
def test_an_unclaimed_case_is_handed_back_by_the_divisions_liaison(
    receive_flow, act, divisions, users
):
    case = _routed(receive_flow, act, divisions)
    act(case, "hand_back", "liaison_a", reason=REASON)
    assert open_tasks(case) == {("triage", "NEW", None, None)}
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["liaison_b", "reviewer", "registrar", "head", "supervisor"])
def test_only_the_lead_division_hands_back(receive_flow, act, divisions, who):
    case = _routed(receive_flow, act, divisions, co=("b",))
    act(case, "claim", "liaison_a")
    with pytest.raises(NotPermitted):
        act(case, "hand_back", who, reason=REASON)
    assert not Event.objects.filter(case=case, kind="hand_back").exists()
    assert ("investigate", "ASSIGNED", "liaison_a", str(divisions["a"].pk)) in open_tasks(case)


@pytest.mark.django_db
def test_a_reason_is_required(receive_flow, act, divisions):
    case = _routed(receive_flow, act, divisions)
    with pytest.raises(InvalidInput):
        act(case, "hand_back", "liaison_a", reason="  ")
    assert not Event.objects.filter(case=case, kind="hand_back").exists()


@pytest.mark.django_db
def test_not_after_a_proposal(receive_flow, act, divisions):
    case = _routed(receive_flow, act, divisions)
    act(case, "claim", "liaison_a")
    act(
        case,
        "propose",
        "liaison_a",
        disposition=Disposition.GRANTED,
        basis="《条例》第三十六条第（二）项",
        **BY_POST,
    )
    with pytest.raises(WrongState):  # in review: not a source state
        act(case, "hand_back", "liaison_a", reason=REASON)
    act(case, "return_for_revision", "reviewer", reason="请补充")
    with pytest.raises(WrongState) as excinfo:  # back in investigation, but after a proposal
        act(case, "hand_back", "liaison_a", reason=REASON)
    assert "拟办意见" in str(excinfo.value)


@pytest.mark.django_db
def test_history_says_it_in_words_and_the_applicant_never_sees_the_reason(
    client, receive_flow, act, divisions, users
):
    from workflows.portal.views import TRACKED

    case = _routed(receive_flow, act, divisions)
    act(case, "claim", "liaison_a")
    act(case, "hand_back", "liaison_a", reason=REASON)
    client.force_login(users["reviewer"])
    page = client.get(f"/cases/{case.number}/").content.decode()
    history = page.split('<ol class="history">')[1]
    assert "退回分办" in history
    assert REASON in history
    assert "原主办处室" in history
    assert divisions["a"].name in history
    assert "hand_back" not in history
    # The case page of the office offers routing again.
    assert f"/work/cases/{case.number}/act/assign/" in page

    client.logout()
    session = client.session
    session[TRACKED] = [case.number]
    session.save()
    tracking = client.get(f"/track/{case.number}/").content.decode()
    assert case.number in tracking
    assert REASON not in tracking
    assert "退回" not in tracking


@pytest.mark.django_db
def test_the_api_offers_hand_back_by_name(receive_flow, act, divisions, users):
    from rest_framework.test import APIClient

    from workflows.api.tokens import ApiToken

    case = _routed(receive_flow, act, divisions)
    client = APIClient()
    _token, raw = ApiToken.issue(users["liaison_a"], name="test", scope="write", days=1)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    url = f"/api/v1/cases/{case.number}/transitions/hand_back/"
    refused = client.post(url, {}, format="json")
    assert refused.status_code == 400
    assert not Event.objects.filter(case=case, kind="hand_back").exists()
    response = client.post(url, {"reason": REASON}, format="json")
    assert response.status_code == 200, response.content
    assert open_tasks(case) == {("triage", "NEW", None, None)}
