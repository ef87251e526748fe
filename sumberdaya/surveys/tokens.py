"""One-time form tokens: what makes a double tap, a refresh or a retry store exactly one response.

Each survey form carries a token signed with SECRET_KEY (django.core.signing) holding the unit code, the
response UUID to store, the visit UUID, the channel and whether the device is a registered kiosk, plus the
issue time. The UUID goes into the unique
`Response.token` column, so a second POST of the same form cannot create a second row. A forged token fails
the signature; a token for another unit or an old one is refused politely.
"""

from __future__ import annotations

import time
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


def kiosk_max_age() -> int:
    """Seconds a registered tablet's form stays valid (default 7 days): an answer kept on a tablet while
    the connection is down is sent with the token it was filled in with, possibly days later."""
    return int(getattr(settings, "SKM_KIOSK_FORM_MAX_AGE", 7 * 86400))


@dataclass(frozen=True)
class FormToken:
    unit_code: str
    token: uuid.UUID
    visit: uuid.UUID
    kiosk: bool
    # A tablet registered through the unit's kiosk link (not just ?kiosk=1): the kiosk's abuse rules apply.
    kiosk_device: bool = False
    # When the form was issued (server time, Unix seconds; only a tablet's forms carry it).
    issued: int | None = None
    # The invitation slip that opened the form (surveys.invitations), or "".
    invitation: str = ""


class TokenExpired(Exception):
    """The signature is good but the form is older than max_age()."""


class TokenInvalid(Exception):
    """Forged, truncated or issued for another unit."""


def issue(
    unit_code: str,
    kiosk: bool = False,
    visit: uuid.UUID | None = None,
    *,
    kiosk_device: bool = False,
    invitation: str = "",
) -> str:
    payload: dict[str, object] = {
        "u": unit_code,
        "t": uuid.uuid4().hex,
        "v": (visit or uuid.uuid4()).hex,
        # Kiosk mode and its channel only for a registered tablet: ?kiosk=1 alone claims nothing.
        "k": int(kiosk and kiosk_device),
        "d": int(kiosk and kiosk_device),
    }
    if kiosk and kiosk_device:
        # The issue time bounds when a tablet's queued answer can have been given (surveys.kiosks);
        # a phone's form does not carry it, so the phone page stays as small as it was.
        payload["i"] = int(time.time())
    if invitation:
        payload["n"] = invitation
    return signing.dumps(payload, salt=SALT, compress=False)


def read(value: str, unit_code: str) -> FormToken:
    """The token's content; raises TokenExpired or TokenInvalid."""
    try:
        data = signing.loads(value, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        data = _kiosk_token(value)
    except signing.BadSignature:
        raise TokenInvalid
    try:
        issued = data.get("i")
        token = FormToken(
            str(data["u"]),
            uuid.UUID(data["t"]),
            uuid.UUID(data["v"]),
            bool(data["k"]),
            bool(data.get("d")),
            int(issued) if issued is not None else None,
            str(data.get("n") or ""),
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        raise TokenInvalid
    if token.unit_code != unit_code:
        raise TokenInvalid
    return token


def _kiosk_token(value: str) -> dict:  # type: ignore[type-arg]
    """A form older than max_age(): still good when a registered tablet issued it within kiosk_max_age()."""
    try:
        data = signing.loads(value, salt=SALT, max_age=kiosk_max_age())
    except signing.BadSignature:  # SignatureExpired included
        raise TokenExpired
    if not isinstance(data, dict) or not data.get("d"):
        raise TokenExpired
    return data


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
