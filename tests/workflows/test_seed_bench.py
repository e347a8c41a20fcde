"""seed_bench writes its events through the same hash chain as the ledger, so a benchmark
database passes `manage.py verify_audit` (issue 23, point 8) — also after more cases are added."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from casework.models import Event
from tests.casework.test_audit_chain import _raw


@pytest.mark.django_db
def test_a_benchmark_database_passes_verify_audit(official_calendar, users):
    call_command("seed_bench", cases=120, stdout=StringIO())
    call_command("seed_bench", cases=30, stdout=StringIO())
    assert Event.objects.filter(hash="").count() == 0
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    assert "审计链完整" in out.getvalue()

    # The check is real: one changed payload breaks its chain.
    event = Event.objects.order_by("pk")[5]
    _raw("UPDATE casework_event SET actor_name = %s WHERE id = %s", ["伪造", event.pk])
    with pytest.raises(CommandError, match="审计链校验失败"):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())
