from django.db import migrations


def trigram_index_create(apps, schema_editor):
    """Letter document numbers (文号) in the staff search box (casework.search): a pg_trgm
    GIN index on UPPER(number) on PostgreSQL (the extension comes from casework 0012);
    nothing on SQLite."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS letter_number_trgm ON letters_letter "
        'USING gin ((UPPER("number"::text)) gin_trgm_ops)'
    )


def trigram_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS letter_number_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0008_reworded_letters"),
        ("casework", "0012_search_indexes"),
    ]

    operations = [
        migrations.RunPython(trigram_index_create, trigram_index_drop),
    ]
