"""bench_queue runs on a small seed_bench organ and prints both queue tabs, a case page and
the admin's case change list as a reference with the ratios (figures, not assertions)."""

import re
from io import StringIO

from django.core.management import call_command

import pytest


@pytest.mark.django_db
def test_bench_queue_prints_the_queue_and_the_admin_reference(official_calendar, users):
    call_command("seed_bench", cases=300, stdout=StringIO())
    out = StringIO()
    call_command("bench_queue", requests=3, stdout=out)
    text = out.getvalue()
    for label in ("queue: division tab", "queue: my tasks", "case page", "admin: case list"):
        assert re.search(rf"{label}\s+p50\s+[\d.]+ ms\s+p95\s+[\d.]+ ms", text), text
    assert re.search(r"queue: my tasks\s+p95 / admin change list p95 = \d+\.\d\d", text), text
    assert re.search(r"bench_liaison_01 holds \d+ open tasks", text), text
