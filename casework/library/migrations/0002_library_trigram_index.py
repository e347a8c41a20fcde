"""The candidate lookup of the case library on PostgreSQL: nearest entries by trigram
distance (`core_text <-> query`, casework.library.index.candidates), served by a pg_trgm GiST
index. SQLite has no pg_trgm: nothing to do there (the demo's few cases are compared in
memory).

Signature length 512 bytes instead of the default 12: Chinese text has thousands of distinct
trigrams, which saturate a short signature so that the index prunes little (candidate query
at 100,000 cases: p50 51 → 41 ms on the benchmark organ, docs/adr/0009)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS library_core_trgm ON case_library_libraryentry "
        "USING gist (core_text gist_trgm_ops(siglen=512))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS library_core_trgm")


class Migration(migrations.Migration):
    dependencies = [("case_library", "0001_library_entry")]

    operations = [migrations.RunPython(create, drop)]
