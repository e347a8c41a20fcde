"""REST API v1, issue 11 points 9 and 12: the lists (cases, tasks) show what the caller may
see, paginated and filtered with a fixed number of queries; the case detail carries its
letters, consultations (with the ids that close them), internal deadlines and the actions
the caller may take."""

from datetime import date

from django.utils import timezone

import pytest
from rest_framework.test import APIClient

from casework.models import Case
from casework.selectors import working_calendar
from tests.conftest import person
from workflows.api.tokens import ApiToken


@pytest.fixture
def api(users):
    def _client(who):
        client = APIClient()
        _token, raw = ApiToken.issue(users[who], name="test", scope="write", days=1)
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return _client


@pytest.fixture
def make(receive_flow, act, divisions):
    """make(n, "a"): n cases routed to division a (status handling, a division task open);
    make(n, None): n cases registered and waiting for the office (triage task open)."""

    def _make(n, division, name="张三"):
        cases = []
        for i in range(n):
            case = receive_flow(applicant=person(name=f"{name}{i}"))
            act(case, "register", "registrar")
            if division:
                act(case, "assign", "reviewer", lead_division_id=divisions[division].pk)
            cases.append(case)
        return cases

    return _make


def _numbers(response):
    assert response.status_code == 200, response.json()
    return {row["number"] for row in response.json()["results"]}


@pytest.mark.django_db
def test_case_list_shows_only_what_the_caller_may_see(api, make):
    mine = make(2, "a")
    theirs = make(1, "b")
    waiting = make(1, None)
    everything = {c.number for c in [*mine, *theirs, *waiting]}
    assert _numbers(api("liaison_a").get("/api/v1/cases/")) == {c.number for c in mine}
    assert _numbers(api("liaison_b").get("/api/v1/cases/")) == {theirs[0].number}
    assert _numbers(api("nobody").get("/api/v1/cases/")) == set()
    for office in ("registrar", "reviewer", "head", "supervisor"):
        response = api(office).get("/api/v1/cases/")
        assert _numbers(response) == everything
        assert response.json()["count"] == 4
    # The same rule as the detail: another division's case is missing, not forbidden.
    response = api("liaison_b").get(f"/api/v1/cases/{mine[0].number}/")
    assert response.status_code == 404
    assert response.json()["message"] == "案件不存在。"
    row = next(
        r
        for r in api("registrar").get("/api/v1/cases/").json()["results"]
        if r["number"] == mine[0].number
    )
    assert row["status"] == "handling"
    assert row["applicant"] == "张三0"
    assert row["lead_division"] == "安置处"
    assert row["url"].endswith(f"/api/v1/cases/{mine[0].number}/")


@pytest.mark.django_db
def test_case_list_filters(api, make, divisions):
    in_a = make(2, "a", name="王五")
    in_b = make(1, "b", name="赵六")
    waiting = make(1, None, name="孙七")
    office = api("registrar")
    assert _numbers(office.get("/api/v1/cases/", {"status": "registered"})) == {waiting[0].number}
    assert _numbers(office.get("/api/v1/cases/", {"division": divisions["b"].pk})) == {
        in_b[0].number
    }
    assert _numbers(office.get("/api/v1/cases/", {"q": "王五1"})) == {in_a[1].number}
    assert _numbers(office.get("/api/v1/cases/", {"q": in_b[0].number})) == {in_b[0].number}
    # All were received on 2026-03-02.
    assert len(_numbers(office.get("/api/v1/cases/", {"received_from": "2026-03-02"}))) == 4
    assert _numbers(office.get("/api/v1/cases/", {"received_from": "2026-03-03"})) == set()
    assert _numbers(office.get("/api/v1/cases/", {"received_to": "2026-03-01"})) == set()
    # A filter never widens what a division sees.
    assert (
        _numbers(api("liaison_b").get("/api/v1/cases/", {"division": divisions["a"].pk})) == set()
    )
    blank = {"status": "", "division": "", "received_from": "", "received_to": "", "q": ""}
    assert len(_numbers(office.get("/api/v1/cases/", blank))) == 4  # blank means no filter
    bad = office.get("/api/v1/cases/", {"status": "flying", "received_from": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid"
    assert set(bad.json()["errors"]) == {"status", "received_from"}


@pytest.mark.django_db
def test_case_list_is_paginated(api, make, settings):
    cases = make(3, "a")
    office = api("registrar")
    settings.API_PAGE_SIZE = 2
    first = office.get("/api/v1/cases/").json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = office.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] is not None
    seen = {r["number"] for r in [*first["results"], *second["results"]]}
    assert seen == {c.number for c in cases}
    # The client may ask for a smaller page, never a page bigger than the maximum.
    settings.API_PAGE_SIZE = 50
    assert len(office.get("/api/v1/cases/", {"page_size": 1}).json()["results"]) == 1
    assert office.get("/api/v1/cases/", {"page": 9}).status_code == 404


@pytest.mark.django_db
def test_task_list_shows_only_the_callers_queues(api, make, act, users):
    in_a = make(2, "a")
    in_b = make(1, "b")
    waiting = make(1, None)
    # Division a's officer claims one case and asks for an extension (Art 33(2)): the head's
    # extensions tab shows it, nobody else's.
    act(in_a[0], "claim", "liaison_a")
    act(in_a[0], "request_extension", "liaison_a", days=10, reason="调档")

    def cases(who, tab):
        response = api(who).get("/api/v1/tasks/", {"tab": tab})
        assert response.status_code == 200, response.json()
        return {row["case"]["number"] for row in response.json()["results"]}

    assert cases("liaison_a", "mine") == {in_a[0].number}
    assert cases("liaison_a", "division") == {in_a[1].number}
    assert cases("liaison_b", "division") == {in_b[0].number}
    for tab in ("mine", "office", "extensions"):
        assert cases("liaison_b", tab) == set()
    assert cases("registrar", "office") == {waiting[0].number}
    assert cases("head", "extensions") == {in_a[0].number}
    row = api("liaison_a").get("/api/v1/tasks/", {"tab": "division"}).json()["results"][0]
    assert row["task"] == "investigate"
    assert row["case"]["url"].endswith(f"/api/v1/cases/{in_a[1].number}/")
    assert row["case"]["status"] == "handling"
    assert api("liaison_a").get("/api/v1/tasks/", {"tab": "all"}).status_code == 400
    # Without a tab: the caller's first queue, as on the workbench.
    assert api("liaison_b").get("/api/v1/tasks/").json()["tab"] == "mine"


@pytest.mark.django_db
def test_task_list_is_paginated(api, make, settings):
    make(3, "a")
    settings.API_PAGE_SIZE = 2
    first = api("liaison_a").get("/api/v1/tasks/", {"tab": "division"}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = api("liaison_a").get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


def _open(api, number, divisions):
    registrar = api("registrar")
    registrar.post(
        f"/api/v1/cases/{number}/transitions/register/", {"on": "2026-03-02"}, format="json"
    )
    api("reviewer").post(
        f"/api/v1/cases/{number}/transitions/assign/",
        {
            "on": "2026-03-02",
            "lead_division_id": divisions["a"].pk,
            "division_due_on": "2026-03-20",
        },
        format="json",
    )
    response = api("liaison_a").post(
        f"/api/v1/cases/{number}/transitions/claim/", {"on": "2026-03-03"}, format="json"
    )
    assert response.status_code == 200, response.json()


BODY = {
    "channel": "registered_post",
    "arrived_at": "2026-03-02T10:00:00+08:00",
    "applicant": person(),
    "request": {
        "subject": "2025年度退役士兵安置计划",
        "description": "",
        "provision_form": "electronic",
        "delivery_method": "email",
    },
}


@pytest.mark.django_db
def test_a_consultation_opened_through_the_api_is_closed_with_the_id_from_the_detail(
    api, organ, divisions
):
    number = api("registrar").post("/api/v1/cases/", BODY, format="json").json()["number"]
    _open(api, number, divisions)
    liaison = api("liaison_a")
    detail = liaison.get(f"/api/v1/cases/{number}/").json()
    assert detail["consultations"] == []
    assert "close_consultation" not in {a["name"] for a in detail["actions"]}
    response = liaison.post(
        f"/api/v1/cases/{number}/transitions/open_consultation/",
        {"on": "2026-03-04", "party": "third_party", "party_name": "济南某某物业公司"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    detail = liaison.get(f"/api/v1/cases/{number}/").json()
    (consultation,) = detail["consultations"]
    assert consultation["party"] == "third_party"
    assert consultation["party_name"] == "济南某某物业公司"
    assert consultation["sent_on"] == "2026-03-04"
    # Art 32: 15 working days for the third party, counted from the day after sending.
    assert consultation["party_deadline"] == {"due_on": "2026-03-25", "estimated": True}
    assert consultation["closed"] is False
    assert consultation["closed_on"] is None
    actions = {a["name"]: a for a in detail["actions"]}
    close = actions["close_consultation"]
    assert close["label"]
    assert "consultation_id" in close["fields"]
    assert close["url"].endswith(f"/api/v1/cases/{number}/transitions/close_consultation/")

    # Art 32: once the party's receipt of the letter is recorded, its deadline runs from then.
    response = liaison.post(
        f"/api/v1/cases/{number}/transitions/record_consultation_delivery/",
        {"on": "2026-03-06", "consultation_id": consultation["id"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    (delivered,) = liaison.get(f"/api/v1/cases/{number}/").json()["consultations"]
    assert delivered["party_deadline"] == {"due_on": "2026-03-27", "estimated": False}

    response = liaison.post(
        close["url"],
        {"on": "2026-03-10", "consultation_id": consultation["id"], "opinion": "agree"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    (closed,) = liaison.get(f"/api/v1/cases/{number}/").json()["consultations"]
    assert (closed["id"], closed["closed"], closed["closed_on"]) == (
        consultation["id"],
        True,
        "2026-03-10",
    )
    assert closed["opinion"] == "agree"


@pytest.mark.django_db
def test_case_detail_lists_letters_deadlines_and_actions(api, organ, divisions, users):
    from letters.services import letter_issue, letter_void

    number = api("registrar").post("/api/v1/cases/", BODY, format="json").json()["number"]
    _open(api, number, divisions)
    first = letter_issue(number=number, kind="acknowledgement", actor=users["registrar"])
    second = letter_void(letter_id=first.pk, actor=users["reviewer"], reason="日期有误")
    liaison = api("liaison_a")
    detail = liaison.get(f"/api/v1/cases/{number}/").json()
    old, new = detail["letters"]
    assert (old["number"], old["kind"], old["status"]) == (first.number, "acknowledgement", "void")
    assert old["title"] == "政府信息公开申请登记回执"
    assert old["addressed_to"] == "applicant"
    assert old["replaced_by"] == second.number
    assert old["replaces"] is None
    assert (new["number"], new["status"], new["replaces"]) == (
        second.number,
        "issued",
        first.number,
    )
    assert new["replaced_by"] is None
    # The links open with the caller's own credentials, and not with another division's.
    download = liaison.get(new["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert new["pdf_url"].endswith(f"/letters/{second.pk}/pdf/")
    forbidden = api("liaison_b").get(new["download_url"])
    missing = liaison.get("/api/v1/letters/999999/pdf/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()  # the same answer: nothing to learn

    deadlines = detail["deadlines"]
    assert set(deadlines) == {
        "division_due_on",
        "correction_notice_due_on",
        "correction_deadline_on",
        "fee_due_on",
    }
    today = timezone.localdate()
    due = date(2026, 3, 20)
    expected = (
        working_calendar().working_days_between(today, due)
        if today <= due
        else -max(1, working_calendar().working_days_between(due, today))
    )
    assert deadlines["division_due_on"] == {
        "due_on": "2026-03-20",
        "remaining_working_days": expected,
    }
    assert deadlines["fee_due_on"] is None
    names = {a["name"] for a in detail["actions"]}
    assert {"open_consultation", "propose"} <= names
    # An extension is asked for only while the reply period runs (issue 21: by the day it
    # would be entered, today).
    reply_due = Case.objects.get(number=number).reply_due_on
    assert ("request_extension" in names) == (today <= reply_due)
    assert "approve" not in names  # the head's, not the liaison officer's
    assert all(
        a["url"].endswith(f"/api/v1/cases/{number}/transitions/{a['name']}/")
        for a in detail["actions"]
    )
    assert "approve" not in {
        a["name"] for a in api("registrar").get(f"/api/v1/cases/{number}/").json()["actions"]
    }


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_rows(api, make, django_assert_max_num_queries):
    office, liaison = api("registrar"), api("liaison_a")
    for extra in (2, 6):  # 2 rows, then 8: the same bound
        make(extra, "a")
        with django_assert_max_num_queries(8):
            assert office.get("/api/v1/cases/").status_code == 200
        with django_assert_max_num_queries(8):
            assert liaison.get("/api/v1/cases/").status_code == 200
        with django_assert_max_num_queries(8):
            assert liaison.get("/api/v1/tasks/", {"tab": "division"}).status_code == 200
    assert office.get("/api/v1/cases/").json()["count"] == 8


@pytest.mark.django_db
def test_lists_are_documented_in_the_schema(client, users):
    client.force_login(users["registrar"])
    schema = client.get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    cases = paths["/api/v1/cases/"]["get"]
    params = {p["name"]: p for p in cases["parameters"]}
    assert {"status", "division", "received_from", "received_to", "q", "page", "page_size"} <= set(
        params
    )
    assert "申请人" in params["q"]["description"]
    assert {p["name"] for p in paths["/api/v1/tasks/"]["get"]["parameters"]} >= {"tab", "page"}
    assert paths["/api/v1/tasks/"]["get"]["summary"] == "列出调用者某一待办队列中的未完成任务"
    assert paths["/api/v1/cases/{number}/"]["get"]["summary"] == "按申请编号读取案件"
    components = schema.json()["components"]["schemas"]
    assert {"count", "next", "previous", "results"} <= set(
        components["PaginatedCaseListOutList"]["properties"]
    )
    detail = components["CaseOut"]["properties"]
    for key in ("letters", "consultations", "deadlines", "actions"):
        assert key in detail
    assert "征求意见" in components["ConsultationOut"]["description"]


@pytest.mark.django_db
def test_detail_queries_do_not_grow_with_the_letters(
    api, organ, divisions, users, django_assert_max_num_queries
):
    from letters.services import letter_issue, letter_void

    number = api("registrar").post("/api/v1/cases/", BODY, format="json").json()["number"]
    _open(api, number, divisions)
    liaison = api("liaison_a")
    liaison.get(f"/api/v1/cases/{number}/")  # the token's first use records last_used_at
    counts = []
    letter = letter_issue(number=number, kind="acknowledgement", actor=users["registrar"])
    for corrections in (0, 4):  # 1 letter, then 5 (each correction voids one and issues one)
        for _ in range(corrections):
            letter = letter_void(letter_id=letter.pk, actor=users["reviewer"], reason="更正")
        with django_assert_max_num_queries(15) as captured:
            detail = liaison.get(f"/api/v1/cases/{number}/").json()
        counts.append(len(captured.captured_queries))
    assert len(detail["letters"]) == 5
    assert counts[0] == counts[1]
