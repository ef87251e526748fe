"""A local SMTP server (aiosmtpd) that catches the reminder e-mails, and a late period with operators."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest


class Catcher:
    """aiosmtpd handler: keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Catcher]:
    """Django's SMTP backend pointed at a real SMTP server on 127.0.0.1 for this test."""
    from aiosmtpd.controller import Controller

    catcher = Catcher()
    port = _free_port()
    controller = Controller(catcher, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield catcher
    finally:
        controller.stop()


@pytest.fixture
def late_year(unit: Any, other_unit: Any, operator: Any, other_operator: Any) -> Any:
    """2025 with both deadlines long past; Mawar's operator has e-mail and WhatsApp, Cempaka's only e-mail."""
    from sumberdaya.surveys.models import Period

    operator.first_name, operator.last_name = "Siti", "Aminah"
    operator.email, operator.phone = "siti@mawar.example", "6281234567890"
    operator.save()
    other_operator.email = "op@cempaka.example"
    other_operator.save()
    return Period.objects.create(
        slug="2025", name="Tahun 2025", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31),
        input_deadline=dt.date(2026, 1, 15), report_deadline=dt.date(2026, 1, 31),
    )
