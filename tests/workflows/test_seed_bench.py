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


@pytest.mark.django_db
def test_the_database_chains_each_case_of_a_multi_row_insert(official_calendar, users):
    """seed_bench inserts many events per case in one statement: on PostgreSQL the chain
    trigger (migration 0018) sees the rows inserted before it in the same statement, so each
    case is chained in row order with the database's entry times; `verify_audit` holds."""
    from django.db import connection

    from casework.ledger import database_now

    started = database_now()
    call_command("seed_bench", cases=50, stdout=StringIO())
    events = list(Event.objects.order_by("case_id", "seq"))
    assert len(events) > 100
    if connection.vendor == "postgresql":
        assert all(e.entered_at >= started for e in events)  # the database's clock
    else:
        assert all(e.entered_at < started for e in events)  # SQLite: the seeder's history
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=StringIO())
    assert "审计链完整" in out.getvalue()


@pytest.mark.django_db
def test_open_tasks_are_spread_so_no_officer_holds_more_than_the_load(official_calendar, users):
    """Issue 27 point 3: a division's open investigations go to the officer with room, a new
    liaison officer when all are full — also when cases are added to the existing organ."""
    from django.db.models import Count

    from casework.choices import CaseStatus
    from casework.models import Case
    from workflows.viewflow_adapter import STATUS, Task

    call_command("seed_bench", cases=300, officer_load=2, stdout=StringIO())
    out = StringIO()
    call_command("seed_bench", cases=200, officer_load=2, stdout=out)
    held = dict(
        Task.objects.filter(status=STATUS.ASSIGNED)
        .values_list("owner__username")
        .annotate(n=Count("pk"))
        .order_by()
    )
    open_held = Case.objects.filter(status__in=[CaseStatus.INVESTIGATION, CaseStatus.AWAITING_FEE])
    assert sum(held.values()) == open_held.count() > 40
    assert max(held.values()) == 2  # full desks, none above the load
    assert held["bench_liaison_01"] == 2
    # each held case's task is its assignee's
    assert not open_held.exclude(assignee__username__in=list(held)).exists()
    assert len(held) > 20  # more officers than the 20 divisions' first ones
    assert "每人在办任务至多 2 件" in out.getvalue()
