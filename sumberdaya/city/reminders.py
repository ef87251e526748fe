"""Reminders to late units: e-mail through Django's mail (SMTP settings in settings.py), WhatsApp as
click-to-chat links (https://wa.me/<number>?text=…, no paid API), each one logged per unit (Reminder and the
audit log), and the reminder list as .xlsx or CSV (`;`, UTF-8 with BOM, for Indonesian Excel)."""

from __future__ import annotations

import csv
import io
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sumberdaya.accounts.audit import record
from sumberdaya.accounts.models import User
from sumberdaya.city.models import Reminder
from sumberdaya.city.monitoring import MonitorRow
from sumberdaya.core.spreadsheet import append_safe_row, safe_cell
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

logger = logging.getLogger(__name__)

MAX_UNITS = 500  # one form can select at most this many units


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str  # 628…, or ""


def contacts_for(units: Iterable[Unit]) -> dict[int, list[Contact]]:
    """The active operators of each unit, with their e-mail and WhatsApp number (one query)."""
    ids = [u.pk for u in units]
    result: dict[int, list[Contact]] = defaultdict(list)
    operators = (
        User.objects.filter(is_active=True, role=User.Role.OPERATOR, units__in=ids)
        .values_list("units", "first_name", "last_name", "username", "email", "phone")
        .order_by("units", "username")
    )
    for unit_id, first, last, username, email, phone in operators:
        name = f"{first} {last}".strip() or username
        result[unit_id].append(Contact(name, email, phone))
    return dict(result)


def whatsapp_link(phone: str, text: str) -> str:
    return f"https://wa.me/{phone}?text={quote(text, safe='')}"


def message_for(row: MonitorRow, period: Period) -> str:
    """The reminder text (Indonesian, as the city sends it), from what is late for this unit."""
    late = row.lateness
    lines = [_("Yth. operator SKM %(unit)s,") % {"unit": row.unit.name}, ""]
    if late.late_data:
        if late.target:
            lines.append(
                _("Batas input data SKM %(period)s (%(date)s) sudah lewat; responden baru %(n)s dari target %(t)s.")
                % {"period": period.name, "date": _date(period.input_deadline), "n": late.respondents, "t": late.target}
            )
        else:
            lines.append(
                _("Batas input data SKM %(period)s (%(date)s) sudah lewat dan belum ada respons.")
                % {"period": period.name, "date": _date(period.input_deadline)}
            )
    if late.late_report:
        lines.append(
            _("Batas laporan SKM %(period)s (%(date)s) sudah lewat dan laporan unit belum diajukan.")
            % {"period": period.name, "date": _date(period.report_deadline)}
        )
    if not late.late:
        lines.append(_("Mohon periksa pelaksanaan SKM %(period)s: %(problems)s.")
                     % {"period": period.name, "problems": "; ".join(p.text for p in row.problems) or "-"})
    lines += ["", _("Mohon segera dilengkapi di %(url)s.") % {"url": _report_url(row.unit, period)}, "",
              _("Bagian Organisasi %(city)s") % {"city": settings.SKM_CITY_NAME}]
    return "\n".join(lines)


def _date(day: object) -> str:
    return day.strftime("%d-%m-%Y") if hasattr(day, "strftime") else "-"


def _report_url(unit: Unit, period: Period) -> str:
    return f"{settings.SKM_PUBLIC_BASE_URL}{reverse('dashboards:unit', args=[unit.code])}?periode={period.slug}"


@dataclass(frozen=True)
class Sent:
    unit: Unit
    recipients: list[str]
    ok: bool
    error: str = ""


def send_emails(rows: list[MonitorRow], period: Period, user: User) -> list[Sent]:
    """One e-mail per unit to its operators; every unit logged, also those without an address or whose
    sending failed (the error is kept; the others are still sent)."""
    contacts = contacts_for(r.unit for r in rows)
    outcomes = []
    connection = get_connection(fail_silently=False)
    try:
        for row in rows:
            addresses = [c.email for c in contacts.get(row.unit.pk, []) if c.email]
            text = message_for(row, period)
            error = ""
            if not addresses:
                error = _("Operator unit ini belum punya alamat surel.")
            else:
                subject = _("Pengingat SKM %(period)s: %(unit)s") % {"period": period.name, "unit": row.unit.name}
                try:
                    EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, addresses, connection=connection).send()
                except (smtplib.SMTPException, OSError) as exc:
                    logger.warning("reminder e-mail to %s failed: %s", row.unit.code, exc)
                    error = _("Surel gagal dikirim: %(error)s") % {"error": str(exc)[:200]}
            _log(row, period, user, Reminder.Channel.EMAIL, addresses, text, error)
            outcomes.append(Sent(row.unit, addresses, not error, error))
    finally:
        connection.close()
    return outcomes


@dataclass(frozen=True)
class WhatsAppMessage:
    unit: Unit
    contact: Contact | None
    text: str
    link: str  # "" when the operator has no number


def prepare_whatsapp(rows: list[MonitorRow], period: Period, user: User) -> list[WhatsAppMessage]:
    """A click-to-chat link per operator with a number (a unit without one gets an entry without link);
    logged per unit."""
    contacts = contacts_for(r.unit for r in rows)
    messages = []
    for row in rows:
        text = message_for(row, period)
        people = [c for c in contacts.get(row.unit.pk, []) if c.phone]
        if people:
            messages += [WhatsAppMessage(row.unit, c, text, whatsapp_link(c.phone, text)) for c in people]
        else:
            messages.append(WhatsAppMessage(row.unit, None, text, ""))
        error = "" if people else _("Operator unit ini belum punya nomor WhatsApp.")
        _log(row, period, user, Reminder.Channel.WHATSAPP, [c.phone for c in people], text, error)
    return messages


def _log(
    row: MonitorRow, period: Period, user: User, channel: str, recipients: list[str], text: str, error: str
) -> None:
    with transaction.atomic():
        reminder = Reminder.objects.create(
            unit=row.unit,
            period=period,
            channel=channel,
            recipients=", ".join(recipients)[:500],
            message=text[:2000],
            late_data=row.lateness.late_data,
            late_report=row.lateness.late_report,
            sent=not error,
            error=error[:300],
            sent_by=user,
        )
        record(
            user,
            "reminder.email" if channel == Reminder.Channel.EMAIL else "reminder.whatsapp",
            reminder,
            after={"period": period.slug, "recipients": reminder.recipients, "sent": reminder.sent,
                   "late_data": reminder.late_data, "late_report": reminder.late_report, "error": reminder.error},
            unit=row.unit,
        )


# ------------------------------------------------------------------------------------------ the list

HEADER = ["kode", "unit", "kelompok", "responden", "target", "terlambat input", "terlambat laporan",
          "status laporan", "masalah", "operator", "surel", "whatsapp"]


def list_rows(rows: list[MonitorRow]) -> list[list[object]]:
    """One line per operator of each unit (a unit without operator: one line with empty contact)."""
    contacts = contacts_for(r.unit for r in rows)
    lines: list[list[object]] = []
    for row in rows:
        late = row.lateness
        base: list[object] = [
            row.unit.code, row.unit.name, row.row.group, late.respondents, late.target if late.target else "",
            _("ya") if late.late_data else _("tidak"), _("ya") if late.late_report else _("tidak"),
            late.report_status, "; ".join(p.text for p in row.problems),
        ]
        people = contacts.get(row.unit.pk) or [Contact("", "", "")]
        lines += [[*base, c.name, c.email, c.phone] for c in people]
    return lines


def as_csv(rows: list[MonitorRow]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in list_rows(rows):
        writer.writerow([safe_cell(v) for v in line])
    return out.getvalue().encode("utf-8")


def as_xlsx(rows: list[MonitorRow], period: Period) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.create_sheet("Pengingat", 0)
    workbook.remove(workbook.worksheets[1])
    append_safe_row(sheet, HEADER)
    for line in list_rows(rows):
        append_safe_row(sheet, line)
    for letter, width in zip("ABCDEFGHIJKL", (24, 40, 16, 11, 8, 15, 17, 14, 50, 24, 28, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"Pengingat SKM {period.name}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
