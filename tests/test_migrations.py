from io import StringIO

from django.core.management import call_command

import pytest


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_the_queue_indexes_exist_on_viewflows_task_table():
    """workflows 0003 and 0006 add them with SQL (the table is viewflow's): the division and
    office queues' index and the partial index of open tasks by owner ("my tasks")."""
    from django.db import connection

    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "viewflow_task"))
    assert {"workflows_task_queue_idx", "workflows_task_owner_open_idx"} <= names
