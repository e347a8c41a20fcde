"""loadtest_prepare (the load test's credentials, bin/bootstrap loadtest) on a small
seed_bench organ: the API tokens it writes authenticate, and a second run revokes the first
run's tokens."""

import json
from io import StringIO

from django.core.management import call_command

import pytest

from workflows.api.tokens import ApiToken


@pytest.mark.django_db
def test_loadtest_prepare_writes_working_credentials(tmp_path, client, official_calendar, users):
    call_command("seed_bench", cases=200, stdout=StringIO())
    out = tmp_path / "data.json"
    call_command("loadtest_prepare", out=out, stdout=StringIO())
    data = json.loads(out.read_text())
    assert (out.stat().st_mode & 0o777) == 0o600
    assert data["officers"]
    assert data["tracked"]
    officer = data["officers"][0]
    case = (officer["cases"] or officer["unclaimed"])[0]
    response = client.get(f"/api/v1/cases/{case}/", HTTP_AUTHORIZATION=f"Token {officer['token']}")
    assert response.status_code == 200, response.content[:300]
    call_command("loadtest_prepare", out=out, stdout=StringIO())
    response = client.get(f"/api/v1/cases/{case}/", HTTP_AUTHORIZATION=f"Token {officer['token']}")
    assert response.status_code == 401
    assert ApiToken.objects.filter(name="loadtest", revoked_at__isnull=True).count() == len(
        data["officers"]
    )
