"""Registered kiosk tablets: register, revoke, recognise a request as coming from one, and count its answers.

A tablet opens its link /kios/<unit>/<key>/ once; the view stores the key in a signed, http-only cookie
and every kiosk request looks the tablet up again, so a revoked tablet stops at its next request. Only a
recognised tablet gets the kiosk's channel and abuse rules (its own rate-limit bucket, no same-device
flag); `?kiosk=1` alone gives a phone nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.accounts.audit import record
from sumberdaya.surveys import tokens
from sumberdaya.surveys.models import KioskTablet, Period, Response
from sumberdaya.units.models import Unit

COOKIE = "skm_kiosk"
SALT = "sumberdaya.surveys.kiosk"
COOKIE_DAYS = 400
# A tablet's clock this far from the server's is flagged (the answered time is corrected either way).
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
FLAG_CLOCK = "jam tablet tidak tepat"

NOT_A_TABLET = _("Perangkat ini bukan tablet kios yang terdaftar (atau pendaftarannya sudah dicabut).")
OUTSIDE_PERIOD = _(
    "Jawaban ini diisi di luar periode survei yang masih menerima data, sehingga tidak dapat disimpan."
)


def register(unit: Unit, label: str, by: Any = None) -> KioskTablet:
    with transaction.atomic():
        tablet = KioskTablet.objects.create(
            unit=unit, label=label.strip()[:60], key=secrets.token_urlsafe(18), created_by=by
        )
        record(by, "kiosk.register", tablet, after={"label": tablet.label}, unit=unit)
    return tablet


def revoke(tablet: KioskTablet, by: Any = None) -> bool:
    """Revoke the tablet (its link and cookie stop working); False when it was already revoked."""
    with transaction.atomic():
        locked = KioskTablet.objects.select_for_update().get(pk=tablet.pk)
        if locked.revoked_at is not None:
            return False
        locked.revoked_at = timezone.now()
        locked.revoked_by = by if getattr(by, "pk", None) else None
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record(by, "kiosk.revoke", locked, after={"label": locked.label}, unit=locked.unit)
    tablet.revoked_at = locked.revoked_at
    return True


def path(tablet: KioskTablet) -> str:
    """The link an operator opens once on the counter's tablet (give it to staff, not to the public)."""
    return reverse("surveys:kiosk", args=[tablet.unit.code, tablet.key])


def find(unit: Unit, key: str) -> KioskTablet | None:
    """The unit's active tablet with this key (the key is random and unique: a lookup is the comparison)."""
    if not key:
        return None
    return KioskTablet.objects.filter(unit=unit, key=key, revoked_at__isnull=True).first()


def remember(response: HttpResponse, request: HttpRequest, tablet: KioskTablet) -> None:
    response.set_signed_cookie(
        COOKIE,
        tablet.key,
        salt=SALT,
        max_age=COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def claims_tablet(request: HttpRequest) -> bool:
    """Whether the request carries a tablet cookie at all (no query: phones never pay for the lookup)."""
    return COOKIE in request.COOKIES


def tablet_of(request: HttpRequest, unit: Unit) -> KioskTablet | None:
    """The registered, not revoked tablet this request comes from, for this unit."""
    if not claims_tablet(request):
        return None
    key = request.get_signed_cookie(COOKIE, default="", salt=SALT)
    return find(unit, str(key))


@dataclass(frozen=True)
class TabletRow:
    tablet: KioskTablet
    answers: int
    last_answer: dt.datetime | None


def is_kiosk_device(request: HttpRequest, unit: Unit) -> bool:
    """Whether the request comes from one of the unit's registered, not revoked tablets."""
    return tablet_of(request, unit) is not None


def tablet_rows(tablets: list[KioskTablet]) -> list[TabletRow]:
    """Each tablet with how many answers it sent and when it last sent one (SKM, by its client key)."""
    stats = {
        row["client"]: row
        for row in Response.objects.filter(client__in=[t.client_key for t in tablets], instrument="skm")
        .order_by()
        .values("client")
        .annotate(n=Count("id"), last=Max("created_at"))
    }
    return [
        TabletRow(t, stats.get(t.client_key, {}).get("n", 0), stats.get(t.client_key, {}).get("last"))
        for t in tablets
    ]


# ------------------------------------------------------------------------------------ queued answers


def _millis(raw: str | None) -> dt.datetime | None:
    try:
        value = int(raw or "")
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None


def answered_time(data: QueryDict, token: tokens.FormToken, now: dt.datetime) -> tuple[dt.datetime, list[str]]:
    """When the citizen answered a questionnaire the tablet kept, in server time, and any clock flag.

    kiosk.js sends `answered_at` and `sent_at` in the tablet's clock; only their difference is trusted
    (it holds whatever the tablet's clock says), so answered = now − (sent − answered). The result stays
    between the form's issue time (signed server time in the token) and now; a tablet clock more than
    CLOCK_TOLERANCE off, or a time that had to be clamped, is flagged for the unit's review.
    """
    answered, sent = _millis(data.get("answered_at")), _millis(data.get("sent_at"))
    if answered is None or sent is None:
        return now, []
    flags = []
    skew = now - sent
    if abs(skew) > CLOCK_TOLERANCE:
        flags.append(f"{FLAG_CLOCK} (selisih {round(skew.total_seconds() / 60)} menit)")
    moment = now - max(sent - answered, dt.timedelta(0))
    issued = dt.datetime.fromtimestamp(token.issued, tz=dt.UTC) if token.issued is not None else None
    if issued is not None and moment < issued:
        moment = issued
        if not flags:
            flags.append(FLAG_CLOCK)
    return moment, flags


def period_allows(moment: dt.datetime, now: dt.datetime) -> bool:
    """Whether a period holds the answered day and still accepts input today (its input deadline)."""
    day = timezone.localtime(moment).date()
    today = timezone.localtime(now).date()
    return (
        Period.containing(day).filter(Q(input_deadline__isnull=True) | Q(input_deadline__gte=today)).exists()
    )


# ------------------------------------------------------------------------------------- installable app


def manifest(unit: Unit) -> dict[str, Any]:
    start = reverse("surveys:survey", args=[unit.code]) + "?kiosk=1"
    return {
        "name": f"SKM {unit.name}",
        "short_name": "SKM",
        "lang": "id",
        "start_url": start,
        "scope": reverse("surveys:survey", args=[unit.code]),
        "display": "fullscreen",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": "#0b5d4b",
        "icons": [
            {"src": staticfiles_storage.url(f"surveys/kiosk-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
            for n in (192, 512)
        ],
    }


@cache  # a pure fingerprint of files shipped with the app
def worker_version() -> str:
    """Changes when the kiosk's assets change, so tablets replace their cached copy."""
    digest = hashlib.sha256()
    for name in ("surveys/survey.css", "surveys/survey.js", "surveys/kiosk.js"):
        found = finders.find(name)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]
