# The imported-results tables take the results app's names; the admin may prefer an imported result.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0001_initial'),
        ('city', '0002_move_imported_results'),
    ]

    operations = [
        migrations.AlterModelTable(name='importbatch', table=None),
        migrations.AlterModelTable(name='importedresult', table=None),
        migrations.AddField(
            model_name='importedresult',
            name='preferred',
            field=models.BooleanField(default=False, verbose_name='diutamakan atas data sistem'),
        ),
    ]
