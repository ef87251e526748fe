from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SurveysConfig(AppConfig):
    name = "sumberdaya.surveys"
    verbose_name = "Survei"

    def ready(self) -> None:
        from sumberdaya.surveys.lookups import forget
        from sumberdaya.surveys.models import Period
        from sumberdaya.units.models import Service, Unit

        # The survey keeps units, services and periods a few seconds (lookups.py): drop them on a change.
        for model in (Unit, Service, Period):
            post_save.connect(forget, sender=model, dispatch_uid=f"surveys-forget-{model.__name__}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"surveys-forget-{model.__name__}-delete")
