import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0002_response_cover_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='InstrumentFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=255, verbose_name='file name')),
                ('content_type', models.CharField(max_length=100)),
                ('content', models.BinaryField()),
                ('md5', models.CharField(max_length=32)),
            ],
            options={
                'verbose_name': 'form file',
                'verbose_name_plural': 'form files',
                'ordering': ['version', 'name'],
            },
        ),
        migrations.CreateModel(
            name='ResponseFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=255, verbose_name='question')),
                ('name', models.CharField(max_length=255, verbose_name='file name')),
                ('content_type', models.CharField(max_length=100)),
                ('content', models.BinaryField()),
                ('size', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'answer file',
                'verbose_name_plural': 'answer files',
                'ordering': ['response', 'key'],
            },
        ),
        migrations.AddField(
            model_name='instrumentversion',
            name='content_digest',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='instrumentfile',
            name='version',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='surveys.instrumentversion'),
        ),
        migrations.AddField(
            model_name='responsefile',
            name='response',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='surveys.response'),
        ),
        migrations.AddConstraint(
            model_name='instrumentfile',
            constraint=models.UniqueConstraint(fields=('version', 'name'), name='instrument_file_unique'),
        ),
    ]
