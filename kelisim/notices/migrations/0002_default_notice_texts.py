"""Seeds the default notice texts (data in kelisim.notices.seed_texts)."""

from django.db import migrations

from kelisim.notices.seed_texts import ensure_texts


def seed(apps, schema_editor):
    ensure_texts(apps)


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_notices_preferences_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
