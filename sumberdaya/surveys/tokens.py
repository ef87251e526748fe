"""One-time form tokens: what makes a double tap, a refresh or a retry store exactly one response.

Each survey form carries a token signed with SECRET_KEY (django.core.signing) holding the unit code, the
response UUID to store, the visit UUID, the channel and whether the device is a registered kiosk, plus the
issue time. The UUID goes into the unique
`Response.token` column, so a second POST of the same form cannot create a second row. A forged token fails
the signature; a token for another unit or an old one is refused politely.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sumberdaya.surveys.models import Response

SALT = "sumberdaya.surveys.form"


def max_age() -> int:
    """Seconds a form stays valid (default 12 hours: long enough for a slow queue, short against replays)."""
    return settings.SKM_FORM_MAX_AGE


@dataclass(frozen=True)
class FormToken:
    unit_code: str
    token: uuid.UUID
    visit: uuid.UUID
    kiosk: bool
    # A tablet registered through the unit's kiosk link (not just ?kiosk=1): the kiosk's abuse rules apply.
    kiosk_device: bool = False


class TokenExpired(Exception):
    """The signature is good but the form is older than max_age()."""


class TokenInvalid(Exception):
    """Forged, truncated or issued for another unit."""


def issue(unit_code: str, kiosk: bool = False, visit: uuid.UUID | None = None, *, kiosk_device: bool = False) -> str:
    payload = {
        "u": unit_code,
        "t": uuid.uuid4().hex,
        "v": (visit or uuid.uuid4()).hex,
        "k": int(kiosk),
        "d": int(kiosk and kiosk_device),
    }
    return signing.dumps(payload, salt=SALT, compress=False)


def read(value: str, unit_code: str) -> FormToken:
    """The token's content; raises TokenExpired or TokenInvalid."""
    try:
        data = signing.loads(value, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise TokenExpired
    except signing.BadSignature:
        raise TokenInvalid
    try:
        token = FormToken(
            str(data["u"]), uuid.UUID(data["t"]), uuid.UUID(data["v"]), bool(data["k"]), bool(data.get("d"))
        )
    except (KeyError, TypeError, ValueError):
        raise TokenInvalid
    if token.unit_code != unit_code:
        raise TokenInvalid
    return token


def used(token: FormToken) -> bool:
    """Whether the form holding this token was already stored (a double tap, a refresh, a retry)."""
    return Response.objects.filter(token=token.token).exists()


@dataclass(frozen=True)
class TokenProblem:
    """Why a posted form's token was refused, as the citizen is told (the answers stay on the page)."""

    notice: str | Promise
    status: int
    reason: str  # for the refusal metric (core/observability.py)


def check(value: str, unit_code: str) -> FormToken | TokenProblem:
    """`read()` for a view: the token, or the polite notice and HTTP status to show with the kept answers."""
    try:
        return read(value, unit_code)
    except TokenExpired:
        return TokenProblem(
            _("Formulir ini sudah terlalu lama terbuka. Jawaban Anda masih ada di bawah: periksa lalu kirim lagi."),
            200,
            "form_expired",
        )
    except TokenInvalid:
        return TokenProblem(
            _("Formulir tidak dikenali. Jawaban Anda masih ada di bawah: periksa lalu kirim lagi."), 400, "form_invalid"
        )
