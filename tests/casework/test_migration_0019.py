"""Migration 0019 hands the chain to the database: it re-hashes every existing event in the
canonical form the trigger computes (jsonb's text), in order per case, and on PostgreSQL
installs the BEFORE INSERT trigger that writes `seq`, `entered_at` and both hashes."""

from datetime import UTC, datetime
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from casework.audit_chain import GENESIS, event_digest_of
from casework.models import Event

BEFORE = [("casework", "0018_event_actor_entered_idx")]
AFTER = [("casework", "0019_event_chain_written_by_database")]


def _trigger_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'casework_event_chain_on_insert'"
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_migration_0019_rehashes_every_chain_and_installs_the_trigger(receive, users):
    from casework.services import case_transition
    from tests.conftest import NOW

    cases = [receive(), receive()]
    case_transition(
        number=cases[0].number, name="register", actor=users["registrar"], on=NOW.date(), now=NOW
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    if connection.vendor == "postgresql":
        assert not _trigger_exists()
    # Without the trigger the application's values stand: an entry time of its choosing and
    # hashes in no particular form, which the migration replaces.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE casework_event SET entered_at = %s, hash = 'x', prev_hash = 'y'",
            [datetime(2026, 3, 16, 7, 0, 0, 123456, tzinfo=UTC)],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())
    for case in cases:
        prev = GENESIS
        for event in Event.objects.filter(case=case).order_by("seq"):
            assert event.prev_hash == prev
            assert event.hash == event_digest_of(event)  # the database's hash, checked in Python
            prev = event.hash
    call_command("verify_audit", stdout=StringIO())
    if connection.vendor == "postgresql":
        assert _trigger_exists()
        with connection.cursor() as cursor:  # the append-only trigger is on again
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgname = 'casework_event_no_update_delete'"
            )
            assert cursor.fetchone()[0] == "O"
