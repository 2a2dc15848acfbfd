from django.db import migrations, models


def create_fulltext(apps, schema_editor):
    """SQLite: an FTS5 table keyed by the document's id (unicode61 folds Kazakh letters' case).
    PostgreSQL: a GIN index over the pre-stemmed text with the `simple` configuration, since
    PostgreSQL has no Kazakh one; stemming is done by the project before the text gets here."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("CREATE VIRTUAL TABLE search_fts USING fts5(stems, tokenize='unicode61')")
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_document_fts ON search_searchdocument USING GIN (to_tsvector('simple', stems))"
        )


def drop_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_fts")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=16)),
                ("object_id", models.PositiveBigIntegerField()),
                ("territory_path", models.CharField(db_index=True, max_length=120)),
                ("restricted", models.BooleanField(default=False)),
                ("title", models.CharField(max_length=500)),
                ("body", models.TextField(blank=True)),
                ("stems", models.TextField()),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_unique")]},
        ),
        migrations.RunPython(create_fulltext, drop_fulltext),
    ]
