"""One-time invitation slips: issue a batch, print them (A4 PDF, 8 a page) or list them (CSV for a queue
system), open one, and claim it for the response it brought.

A slip carries a short code and its QR to /u/<CODE> on the public host; the code opens the unit's survey
(for one service when the slip names it) with a form token that carries the code. Storing the response
claims the slip in the same transaction (row lock), so a slip is answered once; a second use is told so
politely. A response that came through a slip is *verified*: someone the unit served gave it.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sumberdaya.accounts.audit import record
from sumberdaya.surveys import posters
from sumberdaya.surveys.models import Invitation, Response
from sumberdaya.units.models import Service, Unit

# No 0/O, 1/I/L: a code read aloud or typed from paper stays unambiguous.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_COUNT = 1000
SLIPS_PER_PAGE = 8


class InvitationError(ValueError):
    """A batch that cannot be issued (count out of range, a service of another unit)."""


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())[:CODE_LENGTH]


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def slip_url(invitation: Invitation) -> str:
    return posters.public_base_url() + reverse("surveys:invitation", args=[invitation.code])


def _new_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        fresh = {"".join(secrets.choice(ALPHABET) for _i in range(CODE_LENGTH)) for _j in range(wanted)}
        taken = set(Invitation.objects.filter(code__in=fresh).values_list("code", flat=True))
        codes |= fresh - taken
    return sorted(codes)


def issue(unit: Unit, count: int, service: Service | None = None, by: Any = None) -> list[Invitation]:
    if not 1 <= count <= MAX_COUNT:
        raise InvitationError(_("Jumlah undangan harus 1 sampai %(max)d.") % {"max": MAX_COUNT})
    if service is not None and service.unit_id != unit.pk:
        raise InvitationError(_("Layanan itu bukan layanan unit ini."))
    with transaction.atomic():
        batch = Invitation.objects.bulk_create(
            [Invitation(unit=unit, service=service, code=code, created_by=by) for code in _new_codes(count)]
        )
        record(
            by, "invitation.issue", unit,
            after={"count": count, "service": service.pk if service else None}, unit=unit,
        )
    return batch


def open_invitation(code: str) -> Invitation | None:
    """The slip with this code (used or not), with its unit and service."""
    code = normalise(code)
    if len(code) != CODE_LENGTH:
        return None
    return Invitation.objects.select_related("unit", "service").filter(code=code).first()


def claim(code: str, response: Response) -> bool:
    """Mark the slip used by `response` (inside the caller's transaction); False when already used."""
    updated = Invitation.objects.filter(code=code, unit_id=response.unit_id, response__isnull=True).update(
        response=response, used_at=timezone.now()
    )
    return updated == 1


def instruction() -> str:
    return _("Pindai kode QR atau buka tautannya, lalu jawab 9 pertanyaan singkat. Kode ini hanya berlaku sekali.")


def sheet_pdf(invitations: Sequence[Invitation]) -> bytes:
    from weasyprint import HTML  # heavy import: only when a sheet is asked for

    slips = [
        {
            "invitation": inv,
            "code": display_code(inv.code),
            "url": slip_url(inv),
            "link": slip_url(inv).split("://", 1)[-1],
            "qr": posters.qr_svg(slip_url(inv)),
        }
        for inv in invitations
    ]
    pages = [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]
    html = render_to_string(
        "surveys/invitations.html",
        {"pages": pages, "instruction": instruction(), "city_name": settings.SKM_CITY_NAME},
    )
    return bytes(HTML(string=html).write_pdf())


def sheet_csv(invitations: Sequence[Invitation]) -> str:
    """`code,url`, one slip a row (codes and URLs never start like a formula; nothing else is written)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "url"])
    for inv in invitations:
        writer.writerow([inv.code, slip_url(inv)])
    return out.getvalue()
