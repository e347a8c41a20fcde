"""An index for "my tasks" on viewflow's task table: the open (assigned) human tasks of each
officer. Without it PostgreSQL ANDs the owner index (every task the officer ever held) with
the status index (every assigned task of the organ): at 100,000 cases 2-3 ms before the first
row, twice per queue page (the tab counts and the page). Partial, so it holds only open
tasks and stays small however many closed tasks accumulate."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS workflows_task_owner_open_idx ON viewflow_task (owner_id) "
    "WHERE status = 'ASSIGNED' AND flow_task_type = 'HUMAN'"
)
DROP = "DROP INDEX IF EXISTS workflows_task_owner_open_idx"


class Migration(migrations.Migration):
    dependencies = [("workflows", "0005_saved_views")]

    operations = [migrations.RunSQL(CREATE, DROP)]
