from django.db import migrations, models


def derive_missing_names(apps, schema_editor):
    """Every unit without a Kazakh name gets the derived one, and every unit's search text is
    folded (kelisim.text.folding), so that a database loaded before this change needs no reload."""
    from kelisim.text.folding import fold
    from kelisim.text.toponyms import Place, derive_names

    Territory = apps.get_model("territories", "Territory")
    territories = list(Territory.objects.all().order_by("code"))
    if not territories:
        return
    codes = {t.pk: t.code for t in territories}
    derived = derive_names(Place(t.code, codes.get(t.parent_id), t.name_ru) for t in territories)
    for t in territories:
        if not t.name_kk:
            t.name_kk = derived[t.code]
            t.name_kk_source = "derived"
        t.search_text = f"{t.code} {fold(t.name_kk)} {fold(t.name_ru)}"[:420]
    Territory.objects.bulk_update(territories, ["name_kk", "name_kk_source", "search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="territory",
            name="name_kk_source",
            field=models.CharField(
                choices=[
                    ("official", "from an official list"),
                    ("derived", "derived from the Russian name"),
                    ("edited", "corrected by an administrator"),
                ],
                default="official",
                max_length=8,
                verbose_name="source of the Kazakh name",
            ),
        ),
        migrations.RunPython(derive_missing_names, migrations.RunPython.noop),
    ]
