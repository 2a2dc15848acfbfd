"""The analysis now adds Kazakh verb roots (талқылау finds талқыланды) and surnames without a case
ending (Тоқаевтың finds Тоқаев), and a title's words count three times, so a visit comes first for
its district's name. Stored keys are computed again from the stored title and body. Event
documents learn their topics, audiences, officials and organisers when next saved, or at once with
`kelisim rebuild_search` (a migration reads only the stored text: live models may be ahead of it)."""

from django.db import migrations

TITLE_WEIGHT = 3  # as kelisim.search.indexing.TITLE_WEIGHT when this migration was written


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
            document.stems = index_text("\n".join([document.title] * TITLE_WEIGHT + [document.body]))
        SearchDocument.objects.bulk_update(chunk, ["stems"], batch_size=500)
        if sqlite:
            with schema_editor.connection.cursor() as cursor:
                cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[d.pk] for d in chunk])
                cursor.executemany(
                    "INSERT INTO search_fts(rowid, stems) VALUES (%s, %s)", [[d.pk, d.stems] for d in chunk]
                )
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [("search", "0002_reanalyse_with_folding")]
    operations = [migrations.RunPython(reanalyse, migrations.RunPython.noop)]
