"""bench_supervision runs on a small seed_bench organ with the production default of a second
factor for the supervising office (it answered 302, the OTP page, outside the tests)."""

import re
from io import StringIO

from django.core.management import call_command

import pytest

from casework.choices import Role


@pytest.mark.django_db
def test_bench_supervision_prints_the_dashboard_and_the_report(official_calendar, users, settings):
    settings.OTP_REQUIRED_GROUPS = [Role.SUPERVISOR]  # as outside the demo
    call_command("seed_bench", cases=200, stdout=StringIO())
    out = StringIO()
    call_command("bench_supervision", requests=3, stdout=out)
    text = out.getvalue()
    assert re.search(r"dashboard\s+p50\s+[\d.]+ ms\s+p95\s+[\d.]+ ms .* queries \d+", text), text
    assert re.search(r"admin: case list\s+p50\s+[\d.]+ ms\s+p95\s+[\d.]+ ms", text), text
    assert re.search(r"dashboard\s+p95 / admin change list p95 = \d+\.\d\d", text), text
    assert "last full recount" in text
    assert re.search(r"annual report \d{4}: [\d.]+ s .*column checks hold: True", text), text
