"""Seeds the event formats, topics and audience categories (data in kelisim.events.seed_lists)."""

from django.db import migrations

from kelisim.events.seed_lists import ensure_lists


def seed(apps, schema_editor):
    ensure_lists(apps)


class Migration(migrations.Migration):
    dependencies = [("events", "0003_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
