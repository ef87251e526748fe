# ImportBatch and ImportedResult now belong to the results app (results/migrations/0001): state only.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('city', '0001_initial'),
        ('results', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ImportedResult'),
                migrations.DeleteModel(name='ImportBatch'),
            ],
        ),
    ]
