"""Issue 22, smaller findings: three inputs answered 500 (an arrival in year 1, a lone
surrogate in a choice, `/cases/?report=-1`) and a dropped database connection answered 409 (a
concurrent change) instead of 503. Each is sent again here and answers 400 or 503 with a
Chinese message, never a server error."""

import json
from contextlib import contextmanager
from datetime import date

import pytest
from rest_framework.test import APIClient

from casework.models import Case
from tests.conftest import REQUEST, person


def _case_body(**overrides):
    body = {
        "channel": "in_person",
        "arrived_at": "2026-03-16T10:00:00+08:00",
        "applicant": person(),
        "request": REQUEST,
    }
    body.update(overrides)
    return body


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arrived",
    ["0001-01-01T00:00:00", "0001-01-01", "0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00Z"],
)
def test_an_arrival_in_year_one_is_refused_with_400_in_the_api(organ, users, arrived):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(users["registrar"])
    response = api.post("/api/v1/cases/", _case_body(arrived_at=arrived), format="json")
    assert response.status_code == 400, response.content
    assert _chinese(response.json()["message"])
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_an_arrival_in_year_one_is_refused_with_400_on_the_intake_page(organ, users, client):
    client.raise_request_exception = False
    client.force_login(users["registrar"])
    page = client.get("/work/intake/")
    assert page.status_code == 200
    response = client.post(
        "/work/intake/",
        {"channel": "in_person", "arrived_at": "0001-01-01T00:00", **person(), **REQUEST},
    )
    assert response.status_code in (200, 400)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_lone_surrogate_in_a_choice_is_refused_with_400(organ, users):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(users["registrar"])
    body = json.dumps(_case_body(channel="\ud800"))  # JSON escapes it: \\ud800
    assert "\\ud800" in body
    response = api.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert _chinese(json.loads(response.content)["message"])


@pytest.mark.django_db
@pytest.mark.parametrize("report", ["-1", "0", "99999", "10000", "abc"])
def test_a_report_year_out_of_range_answers_400_in_chinese_instead_of_500(
    receive_flow, users, client, report
):
    receive_flow(arrived=date(2026, 3, 2))
    client.raise_request_exception = False
    client.force_login(users["head"])
    response = client.get(f"/cases/?report={report}")
    assert response.status_code == 400, response.status_code
    assert f"没有 {report} 年度的年度报告" in response.content.decode()
    assert client.get("/cases/?report=2026").status_code == 200
    bad_date = client.get("/cases/?closed_from=2026-13-40")
    assert bad_date.status_code == 400
    assert "请按 2026-03-05 的格式填写" in bad_date.content.decode()


# --- a dropped database connection -------------------------------------------------------


@contextmanager
def _database_gone():
    """The database stops answering: the next connection goes to a port where nothing
    listens (PostgreSQL) or to a file that cannot be opened (SQLite)."""
    import socket

    from django.db import connection

    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(port))
    else:
        connection.settings_dict["NAME"] = "/nonexistent-casework-dir/db.sqlite3"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_answers_503_in_the_api_not_409(users):
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(users["registrar"])
    with _database_gone():
        response = api.get("/api/v1/cases/")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["code"] == "unavailable"
    assert _chinese(body["message"])


@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_answers_503_on_the_pages(users):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(users["registrar"])
    with _database_gone():
        response = client.get("/work/")
    assert response.status_code == 503
    assert "数据库" in response.content.decode()


@pytest.mark.django_db
def test_a_lock_conflict_is_still_409():
    from django.db import OperationalError

    from casework.db_errors import is_concurrent_change, is_database_unavailable

    locked = OperationalError("database is locked")
    assert is_concurrent_change(locked)
    assert not is_database_unavailable(locked)
    assert is_database_unavailable(OperationalError("server closed the connection unexpectedly"))
