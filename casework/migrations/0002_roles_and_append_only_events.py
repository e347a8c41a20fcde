"""Create the staff role groups and make the event table append-only on PostgreSQL.

Row-level UPDATE and DELETE are rejected. TRUNCATE (a database administrator's whole-table
operation, also used by test flushes) is left to database privileges."""

from django.db import migrations

ROLES = ["登记员", "联络员", "公开办审核员", "公开办负责人", "督办", "系统管理员"]

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION casework_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework_event is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_event_no_update_delete
    BEFORE UPDATE OR DELETE ON casework_event
    FOR EACH ROW EXECUTE FUNCTION casework_event_append_only();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS casework_event_no_update_delete ON casework_event;
DROP FUNCTION IF EXISTS casework_event_append_only();
"""


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, delete_roles),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
