from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sumberdaya.accounts"
    verbose_name = "Akun"
