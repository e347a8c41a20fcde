"""Migration 0011 gives each kind of notice its own number series (issue 21 point 8): an
organ's shared notice series (…依告) becomes one series per kind from the same prefix; the
counters are untouched, so numbers already issued stay and no series has a gap."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

BEFORE = [("letters", "0010_casefile")]
AFTER = [("letters", "0011_notice_number_series")]


@pytest.mark.django_db(transaction=True)
def test_migration_0011_splits_the_shared_notice_series(organ):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    settings_row = old.get_model("letters", "LetterSettings").objects.create(
        organ_id=organ.pk, reply_series="济退役军人依复", notice_series="济退役军人依告"
    )
    counter = old.get_model("letters", "LetterNumberCounter").objects.create(
        organ_id=organ.pk, year=2026, series="济退役军人依告", last=37
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # The models as of 0011 (later migrations add columns, e.g. 0015's seal_overrides).
    new = executor.loader.project_state(AFTER).apps
    LetterNumberCounter = new.get_model("letters", "LetterNumberCounter")
    LetterSettings = new.get_model("letters", "LetterSettings")

    row = LetterSettings.objects.get(pk=settings_row.pk)
    assert row.reply_series == "济退役军人依复"
    assert [
        row.acknowledgement_series,
        row.correction_series,
        row.extension_series,
        row.consultation_series,
        row.fee_series,
    ] == ["济退役军人依回", "济退役军人依补", "济退役军人依延", "济退役军人依征", "济退役军人依费"]
    assert LetterNumberCounter.objects.get(pk=counter.pk).last == 37  # issued numbers stay
    # Back to the latest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
