"""Seeds appeal categories and the first consent text (data in kelisim.appeals.seed_lists)."""

from django.db import migrations

from kelisim.appeals.seed_lists import ensure_lists


def seed(apps, schema_editor):
    ensure_lists(apps)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
