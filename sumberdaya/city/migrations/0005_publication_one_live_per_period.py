from typing import Any

from django.conf import settings
from django.db import migrations, models


def withdraw_all_but_the_newest(apps: Any, schema_editor: Any) -> None:
    """Races before this rule could leave several live publications of a period: keep the newest live."""
    publication = apps.get_model("city", "Publication")
    seen: set[int] = set()
    for pub in publication.objects.filter(withdrawn_at__isnull=True).order_by("-published_at", "-pk"):
        if pub.period_id in seen:
            pub.withdrawn_at = pub.published_at
            pub.save(update_fields=["withdrawn_at"])
        seen.add(pub.period_id)


class Migration(migrations.Migration):
    dependencies = [
        ("city", "0004_publishedfigure"),
        ("surveys", "0003_response_window_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(withdraw_all_but_the_newest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.UniqueConstraint(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=("period",),
                name="publication_one_live_per_period",
            ),
        ),
    ]
