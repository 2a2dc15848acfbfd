"""The applicant's name and phone in their spelling-neutral form (kelisim.appeals.applicants), on
indexes, so that a citizen's earlier appeals are found; computed here for the appeals already kept."""

from django.db import migrations, models, transaction


def fill_keys(apps, schema_editor):
    from kelisim.appeals.applicants import keys

    Appeal = apps.get_model("appeals", "Appeal")
    last = 0
    while True:
        chunk = list(
            Appeal.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "applicant_kind", "applicant_name", "applicant_contact", "anonymized")[:2000]
        )
        if not chunk:
            return
        for appeal in chunk:
            anonymous = appeal.applicant_kind == "anonymous" or appeal.anonymized
            for field, value in keys(appeal.applicant_name, appeal.applicant_contact, anonymous=anonymous).items():
                setattr(appeal, field, value)
        with transaction.atomic():  # one chunk at a time: a large table is not locked for the whole fill
            Appeal.objects.bulk_update(chunk, ["applicant_name_key", "applicant_phone_key"], batch_size=500)
        last = chunk[-1].pk


class Migration(migrations.Migration):
    # Each step commits on its own (PostgreSQL): the columns are added at once, the fill commits in
    # chunks while the table stays readable and writable.
    atomic = False

    dependencies = [
        ('appeals', '0006_visitor_outcome_history'),
    ]

    operations = [
        migrations.AddField(
            model_name='appeal',
            name='applicant_name_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name='appeal',
            name='applicant_phone_key',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=16),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
