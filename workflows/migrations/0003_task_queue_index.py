"""An index for the division and office queues on viewflow's task table: open tasks by
status, permission and permission object (the division)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS workflows_task_queue_idx "
    "ON viewflow_task (status, owner_permission, owner_permission_obj_pk)"
)
DROP = "DROP INDEX IF EXISTS workflows_task_queue_idx"


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_role_permissions"), ("viewflow", "0015_task_scheduled")]

    operations = [migrations.RunSQL(CREATE, DROP)]
