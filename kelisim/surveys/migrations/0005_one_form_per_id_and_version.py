from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0004_form_versions_distinct_and_announced")]

    operations = [
        migrations.AddConstraint(
            model_name='instrumentversion',
            constraint=models.UniqueConstraint(fields=('form_id', 'form_version'), name='instrument_form_version_unique'),
        ),
    ]
