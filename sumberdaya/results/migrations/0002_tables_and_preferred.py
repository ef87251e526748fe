# The imported-results tables take the results app's names; the admin may prefer an imported result;
# audit events name the models by their new app.

from django.db import migrations, models


def _rename_audit_labels(apps, schema_editor, old="city", new="results"):
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    for model in ("ImportedResult", "ImportBatch"):
        AuditEvent.objects.filter(object_type=f"{old}.{model}").update(object_type=f"{new}.{model}")


def _restore_audit_labels(apps, schema_editor):
    _rename_audit_labels(apps, schema_editor, old="results", new="city")


class Migration(migrations.Migration):

    dependencies = [
        ('results', '0001_initial'),
        ('city', '0002_move_imported_results'),
        ('accounts', '0004_auditevent_auditevent_action_idx'),
    ]

    operations = [
        migrations.AlterModelTable(name='importbatch', table=None),
        migrations.AlterModelTable(name='importedresult', table=None),
        migrations.AddField(
            model_name='importedresult',
            name='preferred',
            field=models.BooleanField(default=False, verbose_name='diutamakan atas data sistem'),
        ),
        migrations.RunPython(_rename_audit_labels, _restore_audit_labels),
    ]
