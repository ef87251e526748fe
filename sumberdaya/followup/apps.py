from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "sumberdaya.followup"
    verbose_name = "Rencana tindak lanjut"
