"""The self-check's audit rows are append-only on PostgreSQL: UPDATE and DELETE are rejected
by a trigger (as for casework_event, casework migration 0002)."""

from django.db import migrations

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION selfcheck_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'selfcheck_audit is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER selfcheck_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON selfcheck_audit
    FOR EACH ROW EXECUTE FUNCTION selfcheck_audit_append_only();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS selfcheck_audit_no_update_delete ON selfcheck_audit;
DROP FUNCTION IF EXISTS selfcheck_audit_append_only();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("selfcheck", "0001_initial")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
