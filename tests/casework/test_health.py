"""/healthz: database, worker heartbeat age, next-year calendar and free space; 503 only
when this server cannot serve; nothing personal in the answer."""

from django.test import override_settings

import pytest
import time_machine

from casework.models import CalendarYear
from casework.tasks import heartbeat


@pytest.mark.django_db
def test_healthz_without_a_worker_heartbeat_is_degraded_but_serving(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["worker"] == {"ok": False, "heartbeat_age_seconds": None}
    assert body["checks"]["disk"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_reports_the_heartbeat_age_and_the_next_year_calendar(client):
    with time_machine.travel("2026-11-02 09:00+08:00", tick=False):
        heartbeat.enqueue()  # ImmediateBackend in the tests: the job runs now
    with time_machine.travel("2026-11-02 09:01:30+08:00", tick=False):
        body = client.get("/healthz").json()
    assert body["checks"]["worker"] == {"ok": True, "heartbeat_age_seconds": 90}
    # From 1 November the next year's arrangement must be loaded (Art 33 counts working days).
    assert body["checks"]["calendar"] == {"ok": False, "next_year": 2027, "loaded": False}
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕1号")
    with time_machine.travel("2026-11-02 09:01:30+08:00", tick=False):
        body = client.get("/healthz").json()
    assert body["checks"]["calendar"]["ok"] is True
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_stale_heartbeat(client):
    with time_machine.travel("2026-03-16 10:00+08:00", tick=False):
        heartbeat.enqueue()
    with time_machine.travel("2026-03-16 10:10+08:00", tick=False):
        worker = client.get("/healthz").json()["checks"]["worker"]
    assert worker == {"ok": False, "heartbeat_age_seconds": 600}


@pytest.mark.django_db
def test_healthz_fails_when_data_dir_is_nearly_full(client):
    with override_settings(HEALTH_MIN_FREE_BYTES=10**18):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"


@pytest.mark.django_db
def test_healthz_shows_no_personal_data(client, receive):
    case = receive()
    text = client.get("/healthz").content.decode()
    assert case.applicant.name not in text
    assert case.number not in text
    assert set(client.get("/healthz").json()) == {"status", "mode", "checks"}
