"""The analysis now folds every key (kelisim.text.folding): the stored keys of existing documents
are computed again from their stored title and body, so that «Кордай» finds what «Қордай» finds
without a manual `kelisim rebuild_search` after the upgrade."""

from django.db import migrations


def reanalyse(apps, schema_editor):
    from kelisim.search.analysis import index_text

    SearchDocument = apps.get_model("search", "SearchDocument")
    sqlite = schema_editor.connection.vendor == "sqlite"
    last = 0
    while True:
        chunk = list(SearchDocument.objects.filter(pk__gt=last).order_by("pk")[:2000])
        if not chunk:
            return
        for document in chunk:
            document.stems = index_text(f"{document.title}\n{document.body}")
        SearchDocument.objects.bulk_update(chunk, ["stems"], batch_size=500)
        if sqlite:
            with schema_editor.connection.cursor() as cursor:
                cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[d.pk] for d in chunk])
                cursor.executemany(
                    "INSERT INTO search_fts(rowid, stems) VALUES (%s, %s)", [[d.pk, d.stems] for d in chunk]
                )
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(reanalyse, migrations.RunPython.noop)]
