"""REST API v1: token auth, create, read, transitions, and errors as Chinese JSON."""

from datetime import date
from io import StringIO

from django.core.management import call_command

import pytest
import time_machine
from rest_framework.test import APIClient

from casework.models import Case, Event
from tests.conftest import NOW, REQUEST, at, person
from workflows.api.tokens import ApiToken

BODY = {
    "channel": "registered_post",
    "arrived_at": "2026-03-02T10:00:00+08:00",
    "applicant": person(),
    "request": REQUEST,
}


@pytest.fixture
def api(users):
    def _client(who):
        client = APIClient()
        _token, raw = ApiToken.issue(users[who], name="test", scope="write", days=1)
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return _client


@pytest.mark.django_db
def test_api_token_command_prints_the_token_once(users):
    out = StringIO()
    call_command(
        "api_token",
        "create",
        "registrar",
        "--name",
        "ci",
        "--scope",
        "read",
        "--days",
        "30",
        stdout=out,
        stderr=StringIO(),
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=users["registrar"])
    assert raw not in str(token.__dict__.values())  # only the digest is stored
    assert token.prefix == raw[:8]


@pytest.mark.django_db
def test_create_read_and_transition(api, organ, divisions):
    registrar = api("registrar")
    response = registrar.post("/api/v1/cases/", BODY, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    number = data["number"]
    assert data["status"] == "received"
    assert data["received_on"] == "2026-03-02"
    assert data["reply_due_on"] == "2026-03-30"
    assert data["provisional"] is False
    assert data["open_tasks"][0]["task"] == "triage"
    assert data["clock"][0]["text"].startswith("2026年3月2日收到申请")

    response = registrar.post(
        f"/api/v1/cases/{number}/transitions/register/", {"on": "2026-03-02"}, format="json"
    )
    assert response.status_code == 200, response.json()
    reviewer = api("reviewer")
    response = reviewer.post(
        f"/api/v1/cases/{number}/transitions/assign/",
        {"on": "2026-03-03", "lead_division_id": divisions["a"].pk},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["open_tasks"][0]["division_id"] == divisions["a"].pk
    assert api("liaison_a").get(f"/api/v1/cases/{number}/").json()["status"] == "handling"


@pytest.mark.django_db
def test_errors_are_chinese_json_with_the_right_status(api, organ, divisions):
    registrar = api("registrar")
    number = registrar.post("/api/v1/cases/", BODY, format="json").json()["number"]
    events = Event.objects.count()

    # 400: malformed field, missing field, bad applicant data, effective date in the future
    response = registrar.post(
        f"/api/v1/cases/{number}/transitions/register/", {"on": "2026-13-01"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = registrar.post(
        "/api/v1/cases/",
        {**BODY, "applicant": person(id_number="370102198001011238")},
        format="json",
    )
    assert response.status_code == 400
    assert "校验位" in response.json()["message"]
    assert response.json()["field"] == "applicant.id_number"
    response = registrar.post("/api/v1/cases/", {**BODY, "channel": "pigeon"}, format="json")
    assert response.status_code == 400
    response = registrar.post(
        f"/api/v1/cases/{number}/transitions/register/", {"on": "2099-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "不能晚于今天" in response.json()["message"]

    # 403: wrong role (the supervisor sees the case but cannot register it)
    response = api("supervisor").post(
        f"/api/v1/cases/{number}/transitions/register/", {}, format="json"
    )
    assert response.status_code == 403
    assert "角色" in response.json()["message"]

    # 404: another division's officer, an unknown case, an unknown transition
    assert api("liaison_b").get(f"/api/v1/cases/{number}/").status_code == 404
    assert registrar.get("/api/v1/cases/2099-9999/").status_code == 404
    assert (
        registrar.post(f"/api/v1/cases/{number}/transitions/fly/", {}, format="json").status_code
        == 404
    )

    # 409: wrong state; a consultation closed that was never opened; a second extension
    response = registrar.post(f"/api/v1/cases/{number}/transitions/approve/", {}, format="json")
    assert response.status_code in (403, 409)
    response = api("head").post(f"/api/v1/cases/{number}/transitions/approve/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Event.objects.count() == events


@pytest.mark.django_db
def test_consultation_and_extension_errors(api, organ, divisions):
    registrar = api("registrar")
    number = registrar.post(
        "/api/v1/cases/", {**BODY, "arrived_at": "2026-03-02T10:00:00+08:00"}, format="json"
    ).json()["number"]
    registrar.post(
        f"/api/v1/cases/{number}/transitions/register/", {"on": "2026-03-02"}, format="json"
    )
    api("reviewer").post(
        f"/api/v1/cases/{number}/transitions/assign/",
        {"on": "2026-03-02", "lead_division_id": divisions["a"].pk},
        format="json",
    )
    liaison = api("liaison_a")
    assert (
        liaison.post(
            f"/api/v1/cases/{number}/transitions/claim/", {"on": "2026-03-03"}, format="json"
        ).status_code
        == 200
    )
    response = liaison.post(
        f"/api/v1/cases/{number}/transitions/close_consultation/",
        {"on": "2026-03-04", "consultation_id": "abc", "opinion": "agree"},
        format="json",
    )
    assert response.status_code == 409
    assert "征求意见" in response.json()["message"]
    head = api("head")
    # The head extends within the reply period: entered on the day (issue 21: an extension
    # entered after the period is refused whatever its effective date).
    with time_machine.travel(at(date(2026, 3, 5), 16), tick=False):
        assert (
            head.post(
                f"/api/v1/cases/{number}/transitions/extend/",
                {"on": "2026-03-05", "days": 10, "reason": "调档"},
                format="json",
            ).status_code
            == 200
        )
    response = head.post(
        f"/api/v1/cases/{number}/transitions/extend/",
        {"on": "2026-03-05", "days": 5, "reason": "再延"},
        format="json",
    )
    assert response.status_code == 409
    assert "只能延长一次" in response.json()["message"]
    response = head.post(
        f"/api/v1/cases/{number}/transitions/open_consultation/",
        {"on": "2026-03-06", "party": "third_party"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "party_name"


@pytest.mark.django_db
def test_anonymous_is_refused_and_schema_is_served(client, users):
    assert APIClient().get("/api/v1/cases/2026-0001/").status_code == 401
    client.force_login(users["registrar"])
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/cases/{number}/transitions/assign/" in response.content


@pytest.mark.django_db
def test_case_count_unchanged_after_failed_create(api, organ):
    api("registrar").post("/api/v1/cases/", {**BODY, "applicant": person(phone="1")}, format="json")
    assert Case.objects.count() == 0


def test_now_fixture_is_fixed():
    assert NOW.year == 2026


@pytest.mark.django_db
def test_schema_needs_a_login(client, users):
    assert client.get("/api/v1/schema/").status_code in (401, 403)
    client.force_login(users["registrar"])
    assert client.get("/api/v1/schema/").status_code == 200


@pytest.mark.django_db
def test_the_api_refuses_to_back_date_an_arrival_into_a_closed_year(api, organ):
    response = api("registrar").post(
        "/api/v1/cases/", {**BODY, "arrived_at": "2019-03-02T10:00:00+08:00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "arrived_at"
    assert "属于已结年度" in response.json()["message"]
    assert not Case.objects.exists()
