"""The candidates come from the postings (migration 0003, casework.library.postings): the
trigram GiST index of 0002 is no longer read — its distance scan grew linearly with the
organ (ADR 0009) — and only slowed every write of an entry. SQLite never had it."""

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS library_core_trgm")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS library_core_trgm ON case_library_libraryentry "
        "USING gist (core_text gist_trgm_ops(siglen=512))"
    )


class Migration(migrations.Migration):
    dependencies = [("case_library", "0003_library_postings")]

    operations = [migrations.RunPython(drop, create)]
