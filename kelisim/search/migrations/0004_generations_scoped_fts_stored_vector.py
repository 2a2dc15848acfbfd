"""Search in bounded time (docs/adr/0012-search-bounded.md).

- Documents carry the generation of the index they belong to, and SearchIndex says which one is
  live: `kelisim rebuild_search` writes a new generation beside it and swaps at the end.
- SQLite: search_fts gains a `scope` column (kind, restriction, territory prefixes), so a
  user's scope is part of the full-text match. The table is made anew and filled from the stored
  documents, a chunk at a time (FTS5 tables can't gain a column).
- PostgreSQL: a stored tsvector column `vector`, computed by the database from `stems` (filled for
  every existing row when it is added), with its own GIN index, and a small one for visits; the
  index over to_tsvector(stems), which parsed every match again, goes."""

from django.db import migrations, models

CHUNK = 2000


def _fill_fts(apps, schema_editor):
    from kelisim.search.store import scope_tokens

    SearchDocument = apps.get_model("search", "SearchDocument")
    fields = ("pk", "stems", "kind", "territory_path", "restricted")
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            chunk = list(SearchDocument.objects.filter(pk__gt=last).order_by("pk").values_list(*fields)[:CHUNK])
            if not chunk:
                return
            cursor.executemany(
                "INSERT INTO search_fts(rowid, stems, scope) VALUES (%s, %s, %s)",
                [[pk, stems, scope_tokens(kind, path, restricted)] for pk, stems, kind, path, restricted in chunk],
            )
            last = chunk[-1][0]


def forward(apps, schema_editor):
    apps.get_model("search", "SearchIndex").objects.get_or_create(pk=1, defaults={"live": 0})
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(stems, scope, tokenize='unicode61')"
        )
        _fill_fts(apps, schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_fts")
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ADD COLUMN vector tsvector"
            " GENERATED ALWAYS AS (to_tsvector('simple', stems)) STORED"
        )
        schema_editor.execute("CREATE INDEX search_document_vector ON search_searchdocument USING GIN (vector)")
        # The visits a district's name finds are read apart (selectors._visits_named).
        schema_editor.execute(
            "CREATE INDEX search_document_visit_vector ON search_searchdocument USING GIN (vector)"
            " WHERE kind = 'visit'"
        )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_next")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute("CREATE VIRTUAL TABLE search_fts USING fts5(stems, tokenize='unicode61')")
        schema_editor.execute(
            "INSERT INTO search_fts(rowid, stems) SELECT id, stems FROM search_searchdocument"
            " WHERE generation = (SELECT live FROM search_searchindex WHERE id = 1)"
        )
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_visit_vector")
        schema_editor.execute("DROP INDEX IF EXISTS search_document_vector")
        schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector")
        schema_editor.execute(
            "CREATE INDEX search_document_fts ON search_searchdocument USING GIN (to_tsvector('simple', stems))"
        )
    # Only the live generation goes back (the unique constraint is (kind, object_id) again).
    schema_editor.execute(
        "DELETE FROM search_searchdocument WHERE generation <> (SELECT live FROM search_searchindex WHERE id = 1)"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_title_weight_and_verb_roots")]
    operations = [
        migrations.CreateModel(
            name="SearchIndex",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("live", models.PositiveIntegerField(default=0)),
                ("building", models.PositiveIntegerField(blank=True, null=True)),
            ],
        ),
        migrations.RemoveConstraint(model_name="searchdocument", name="search_document_unique"),
        migrations.AddField(
            model_name="searchdocument", name="generation", field=models.PositiveIntegerField(default=0)
        ),
        migrations.AddConstraint(
            model_name="searchdocument",
            constraint=models.UniqueConstraint(
                fields=("generation", "kind", "object_id"), name="search_document_unique"
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
