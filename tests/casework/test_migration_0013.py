"""Migration 0013 chains the events that exist before it, in order per case, through the
append-only trigger on PostgreSQL."""

from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from casework.audit_chain import GENESIS, event_digest_of
from casework.models import Event

BEFORE = [("casework", "0012_search_indexes")]
AFTER = [("casework", "0013_event_hash_chain")]


@pytest.mark.django_db(transaction=True)
def test_migration_0013_back_fills_the_chains(receive, users):
    from casework.services import case_transition
    from tests.conftest import NOW

    cases = [receive(), receive()]
    case_transition(
        number=cases[0].number, name="register", actor=users["registrar"], on=NOW.date(), now=NOW
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # drops the two columns: the events are as before the chain
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # Back to the latest schema: the tests after this one need the later migrations' tables.
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())
    for case in cases:
        prev = GENESIS
        for event in Event.objects.filter(case=case).order_by("seq"):
            assert event.prev_hash == prev
            assert event.hash == event_digest_of(event)
            prev = event.hash
    assert Event.objects.filter(case=cases[0]).count() == 2
    call_command("verify_audit", stdout=StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the trigger is on again
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgname = 'casework_event_no_update_delete'"
            )
            assert cursor.fetchone()[0] == "O"
