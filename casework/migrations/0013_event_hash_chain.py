"""Chain the audit events: add `prev_hash` and `hash`, and hash the existing events of each case
in order (casework/audit_chain.py).

The back-fill is the one UPDATE the ledger ever needs: on PostgreSQL the append-only trigger
of migration 0002 is disabled for it and enabled again in the same transaction (the migration
runs as the table owner; the application role cannot do this, docs/DEPLOY.md §8)."""

from django.db import migrations, models

from casework.audit_chain import GENESIS, event_digest_of

TRIGGER = "casework_event_no_update_delete"


def chain_existing_events(apps, schema_editor):
    Event = apps.get_model("casework", "Event")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE casework_event DISABLE TRIGGER {TRIGGER}", params=None)
    case_id, prev, batch = None, GENESIS, []
    for event in Event.objects.order_by("case_id", "seq").iterator(chunk_size=2000):
        if event.case_id != case_id:
            case_id, prev = event.case_id, GENESIS
        event.prev_hash = prev
        event.hash = prev = event_digest_of(event)
        batch.append(event)
        if len(batch) >= 2000:
            Event.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    Event.objects.bulk_update(batch, ["prev_hash", "hash"])
    if postgres:
        schema_editor.execute(f"ALTER TABLE casework_event ENABLE TRIGGER {TRIGGER}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0012_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
