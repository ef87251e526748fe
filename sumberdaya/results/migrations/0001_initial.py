# Moves ImportBatch and ImportedResult from the city app to the results app (the results service reads them).
# State only: the tables stay; 0002 renames them.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('city', '0001_initial'),
        ('surveys', '0002_response_client_idx'),
        ('units', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ImportBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('filename', models.CharField(max_length=200, verbose_name='nama berkas')),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='diunggah')),
                        ('rows', models.JSONField(default=list, verbose_name='baris')),
                        ('stored_at', models.DateTimeField(blank=True, null=True, verbose_name='disimpan')),
                        ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'impor hasil',
                        'verbose_name_plural': 'impor hasil',
                        'ordering': ['-uploaded_at'],
                        'db_table': 'city_importbatch',
                    },
                ),
                migrations.CreateModel(
                    name='ImportedResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('u1', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('u2', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('u3', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('u4', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('u5', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('u6', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('u7', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('u8', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('u9', models.DecimalField(decimal_places=2, max_digits=6)),
                        ('ikm', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='IKM')),
                        ('mutu', models.CharField(max_length=1, verbose_name='mutu')),
                        ('respondents', models.PositiveIntegerField(verbose_name='jumlah responden')),
                        ('method', models.CharField(blank=True, max_length=100, verbose_name='metode')),
                        ('flagged', models.BooleanField(default=False, verbose_name='ditandai')),
                        ('problems', models.JSONField(blank=True, default=list, verbose_name='masalah')),
                        ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='diimpor')),
                        ('batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='results', to='results.importbatch')),
                        ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='imported_results', to='surveys.period')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='imported_results', to='units.unit', verbose_name='unit')),
                    ],
                    options={
                        'verbose_name': 'hasil impor',
                        'db_table': 'city_importedresult',
                        'verbose_name_plural': 'hasil impor',
                        'ordering': ['period', 'unit'],
                        'constraints': [models.UniqueConstraint(fields=('unit', 'period'), name='importedresult_unique')],
                    },
                ),
            ],
        ),
    ]
