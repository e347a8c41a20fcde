"""The database writes the audit chain (issue 22, point 5): on PostgreSQL a BEFORE INSERT
trigger on casework_event sets `seq`, `entered_at` (the database's clock), `prev_hash` and
`hash`, overriding whatever the application sent, so the application's role (docs/DEPLOY.md
§8) cannot back-date an event or choose its hash.

The canonical form becomes jsonb's text of the event's fields (casework/audit_chain.py computes
the same text in Python), so every existing event is re-hashed in order, as in migration 0013:
on PostgreSQL by the database itself, with the append-only trigger disabled for this one
UPDATE (the migration runs as the table owner). SQLite has no roles and no trigger: the ledger
keeps computing the chain in Python there."""

from django.db import migrations

from casework.audit_chain import GENESIS, event_digest_of

NO_UPDATE_TRIGGER = "casework_event_no_update_delete"

CREATE_SQL = f"""
CREATE OR REPLACE FUNCTION casework_event_canonical(e casework_event) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object(
        'case', e.case_id, 'seq', e.seq, 'kind', e.kind, 'actor', e.actor_id,
        'actor_name', e.actor_name, 'role', e.actor_role,
        'on', to_char(e."on", 'YYYY-MM-DD'),
        'entered_at', to_char(e.entered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        'from', e.from_status, 'to', e.to_status, 'payload', e.payload, 'prev', e.prev_hash
    )::text
$$;

CREATE OR REPLACE FUNCTION casework_event_digest(e casework_event) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT encode(sha256(convert_to(casework_event_canonical(e), 'UTF8')), 'hex')
$$;

-- VOLATILE (the default): the lookup of the previous event sees the rows inserted earlier
-- by the same statement, so a multi-row INSERT (bulk_create) chains each case in row order.
CREATE OR REPLACE FUNCTION casework_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_seq integer;
    last_hash varchar(64);
BEGIN
    SELECT seq, hash INTO last_seq, last_hash FROM casework_event
        WHERE case_id = NEW.case_id ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, '{GENESIS}');
    NEW.entered_at := clock_timestamp();
    NEW.hash := casework_event_digest(NEW);
    RETURN NEW;
END;
$$;

CREATE TRIGGER casework_event_chain_on_insert
    BEFORE INSERT ON casework_event
    FOR EACH ROW EXECUTE FUNCTION casework_event_chain();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS casework_event_chain_on_insert ON casework_event;
DROP FUNCTION IF EXISTS casework_event_chain();
DROP FUNCTION IF EXISTS casework_event_digest(casework_event);
DROP FUNCTION IF EXISTS casework_event_canonical(casework_event);
"""

REHASH_SQL = f"""
DO $$
DECLARE
    e casework_event;
    current_case integer := NULL;
    prev varchar(64);
BEGIN
    FOR e IN SELECT * FROM casework_event ORDER BY case_id, seq LOOP
        IF current_case IS DISTINCT FROM e.case_id THEN
            current_case := e.case_id;
            prev := '{GENESIS}';
        END IF;
        e.prev_hash := prev;
        e.hash := casework_event_digest(e);
        UPDATE casework_event SET prev_hash = e.prev_hash, hash = e.hash WHERE id = e.id;
        prev := e.hash;
    END LOOP;
END;
$$;
"""


def rehash_in_python(apps):
    Event = apps.get_model("casework", "Event")
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


def chain_by_database(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        rehash_in_python(apps)
        return
    schema_editor.execute(CREATE_SQL, params=None)
    schema_editor.execute(
        f"ALTER TABLE casework_event DISABLE TRIGGER {NO_UPDATE_TRIGGER}", params=None
    )
    schema_editor.execute(REHASH_SQL, params=None)
    schema_editor.execute(
        f"ALTER TABLE casework_event ENABLE TRIGGER {NO_UPDATE_TRIGGER}", params=None
    )


def chain_by_application(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)
    # The hashes stay in the new canonical form; audit_chain.py computes only that one.


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0018_event_actor_entered_idx"),
    ]

    operations = [
        migrations.RunPython(chain_by_database, chain_by_application),
    ]
