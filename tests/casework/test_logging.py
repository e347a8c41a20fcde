"""Logs: a request id on every line and response, server errors with their traceback on
stderr even with DEBUG off, and the security log (logins, failures, denials, exports)."""

import logging
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    first = client.get("/login/")["X-Request-ID"]
    second = client.get("/login/")["X-Request-ID"]
    assert len(first) == 32
    assert first != second
    # A proxy's plain id is kept (to follow a request through nginx and the app) …
    assert client.get("/login/", HTTP_X_REQUEST_ID="nginx-abc12345")["X-Request-ID"] == (
        "nginx-abc12345"
    )
    # … anything else is replaced, so it cannot forge log lines.
    forged = client.get("/login/", HTTP_X_REQUEST_ID="x\nINFO fake line")["X-Request-ID"]
    assert "\n" not in forged
    assert len(forged) == 32


@pytest.mark.django_db
def test_security_log_records_logins_failures_and_denials(client, users, caplog):
    caplog.set_level(logging.INFO, logger="casework.security")
    client.post("/login/", {"username": "registrar", "password": "wrong"})
    users["registrar"].set_password("right-horse-battery")
    users["registrar"].save()
    client.post("/login/", {"username": "registrar", "password": "right-horse-battery"})
    lines = [r.getMessage() for r in caplog.records if r.name == "casework.security"]
    assert any(line.startswith("login failed user=registrar") for line in lines)
    assert any(line.startswith("login user=registrar") for line in lines)
    assert all("wrong" not in line and "right-horse" not in line for line in lines)
    assert all(r.request_id != "-" for r in caplog.records if r.getMessage().startswith("login"))


@pytest.mark.django_db
def test_security_log_records_permission_denials_and_exports(client, users, receive, caplog):
    caplog.set_level(logging.INFO, logger="casework.security")
    number = receive().number
    client.force_login(users["supervisor"])
    # The supervisor sees the case but may not register it (403 from the API).
    denied = client.post(
        f"/api/v1/cases/{number}/transitions/register/", {}, content_type="application/json"
    )
    assert denied.status_code == 403
    response = client.get("/supervision/?format=csv")
    lines = [r.getMessage() for r in caplog.records if r.name == "casework.security"]
    assert any(
        line.startswith(
            f"permission denied user=supervisor method=POST path=/api/v1/cases/{number}/"
        )
        for line in lines
    )
    assert response.status_code == 200
    assert any(
        line.startswith("export user=supervisor path=/supervision/ query=format=csv")
        for line in lines
    )


def test_server_error_traceback_reaches_stderr_with_debug_off(tmp_path):
    """A real process with the project's LOGGING (pytest's capture would hide the handler)."""
    code = (
        "from django.test import Client\n"
        "from django.urls import path\n"
        "import casework.urls as u\n"
        "def boom(request):\n"
        "    raise ZeroDivisionError('boom for the log')\n"
        "u.urlpatterns.insert(0, path('boom/', boom))\n"
        "c = Client(raise_request_exception=False)\n"
        "print(c.get('/boom/').status_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DATA_DIR": str(tmp_path),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
        },
        check=True,
    )
    assert result.stdout.strip() == "500"
    assert "ERROR django.request [" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: boom for the log" in result.stderr
