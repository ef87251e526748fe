"""`sumberdaya create-admin USERNAME [--password-from-env VAR]`: the first city admin account."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sumberdaya.accounts.audit import record
from sumberdaya.accounts.models import User


class Command(BaseCommand):
    help = "Membuat (atau menjadikan) akun admin kota."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--password-from-env", metavar="VAR", help="Ambil kata sandi dari variabel lingkungan ini.")

    def handle(self, *args: Any, username: str, password_from_env: str | None = None, **options: Any) -> None:
        if password_from_env:
            password = os.environ.get(password_from_env, "")
            if not password:
                raise CommandError(f"Variabel lingkungan {password_from_env} kosong atau tidak ada.")
        else:
            password = getpass.getpass("Kata sandi: ")
            if password != getpass.getpass("Ulangi kata sandi: "):
                raise CommandError("Kedua kata sandi tidak sama.")
        user = User.objects.filter(username=username).first() or User(username=username)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        created = user.pk is None
        user.role = User.Role.ADMIN
        user.is_staff = True
        user.is_superuser = True
        user.is_active = True
        user.set_password(password)
        user.save()
        record(None, "user.create_admin", user, after={"username": username, "role": "admin"})
        verb = "dibuat" if created else "diperbarui"
        self.stdout.write(self.style.SUCCESS(f"Admin kota {username} {verb}."))
