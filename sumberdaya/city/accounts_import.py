"""Accounts in bulk from a spreadsheet (.xlsx or .csv): checked row by row, created all together or not at all.

Columns (English or Indonesian headings): `username`/`nama_pengguna`, `first_name`/`nama_depan`,
`last_name`/`nama_belakang`, `email`/`surel`, `phone`/`whatsapp`/`hp`, `role`/`peran`
(admin, operator, leadership/pimpinan), `units`/`unit` (unit codes separated by spaces, commas or `;`).
Every account gets a random initial password, shown once after the import.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.models import User
from sumberdaya.accounts.phone import normalise_phone
from sumberdaya.surveys.importing import TableTooLarge, UnreadableTable, read_table
from sumberdaya.units.models import Unit

MAX_BYTES = 1024 * 1024
MAX_ROWS = 500
ALIASES = {
    "username": ("username", "nama_pengguna", "namapengguna", "pengguna"),
    "first_name": ("first_name", "nama_depan", "namadepan", "nama"),
    "last_name": ("last_name", "nama_belakang", "namabelakang"),
    "email": ("email", "surel", "e-mail"),
    "phone": ("phone", "whatsapp", "hp", "nomor_hp", "no_hp", "telepon"),
    "role": ("role", "peran"),
    "units": ("units", "unit", "kode_unit"),
}
ROLES = {
    "admin": User.Role.ADMIN, "admin kota": User.Role.ADMIN,
    "operator": User.Role.OPERATOR, "operator unit": User.Role.OPERATOR,
    "leadership": User.Role.LEADERSHIP, "pimpinan": User.Role.LEADERSHIP,
}
FIELDS = ["username", "first_name", "last_name", "email", "phone", "role", "units", "is_active"]


class AccountsFileError(ValueError):
    """The file as a whole cannot be read (Indonesian message)."""


@dataclass
class AccountRow:
    row: int  # spreadsheet row, header = 1
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    role: str = User.Role.OPERATOR
    unit_codes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Created:
    user: User
    password: str


def _column(header: list[str]) -> dict[str, int]:
    names = [re.sub(r"[\s/]+", "_", h.strip().lower()) for h in header]
    found = {}
    for key, aliases in ALIASES.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
    return found


def check_file(content: bytes, filename: str) -> list[AccountRow]:
    """Every data row with its problems (none: ready to create). Raises AccountsFileError for the file."""
    if len(content) > MAX_BYTES:
        raise AccountsFileError(_("Berkas terlalu besar (paling besar 1 MB)."))
    try:
        header, rows = read_table(io.BytesIO(content), filename, max_rows=MAX_ROWS)
        columns = _column(header)
        if "username" not in columns:
            raise AccountsFileError(
                _("Kolom nama_pengguna (username) tidak ada. Baris pertama berisi judul kolom: %(cols)s.")
                % {"cols": "nama_pengguna, nama_depan, nama_belakang, surel, whatsapp, peran, unit"}
            )
        checked = []
        for number, cells in enumerate(rows, start=2):
            if not any(c.strip() for c in cells):
                continue
            values = {key: cells[i].strip() if i < len(cells) else "" for key, i in columns.items()}
            checked.append(_check_row(number, values))
    except TableTooLarge:
        raise AccountsFileError(_("Terlalu banyak baris (paling banyak %(n)s akun sekali unggah).") % {"n": MAX_ROWS})
    except UnreadableTable as error:
        raise AccountsFileError(str(error))
    if not checked:
        raise AccountsFileError(_("Berkas tidak berisi akun."))
    _check_across(checked)
    return checked


def _check_row(number: int, cells: dict[str, str]) -> AccountRow:
    row = AccountRow(number, cells.get("username", ""), cells.get("first_name", "")[:150],
                     cells.get("last_name", "")[:150], cells.get("email", ""))
    if not row.username:
        row.problems.append(_("nama pengguna kosong"))
    else:
        try:
            UnicodeUsernameValidator()(row.username)
            if len(row.username) > 150:
                raise ValidationError("")
        except ValidationError:
            row.problems.append(_("nama pengguna hanya boleh huruf, angka dan @ . + - _ (paling panjang 150)"))
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            row.problems.append(_("alamat surel %(email)s tidak sah") % {"email": row.email[:80]})
    try:
        row.phone = normalise_phone(cells.get("phone", ""))
    except ValidationError as error:
        row.problems.append(" ".join(error.messages))
    role = cells.get("role", "").strip().lower() or "operator"
    if role not in ROLES:
        row.problems.append(_("peran %(role)s tidak dikenal (admin, operator atau pimpinan)") % {"role": role[:40]})
    else:
        row.role = ROLES[role]
    row.unit_codes = [c for c in re.split(r"[\s,;]+", cells.get("units", "")) if c]
    if row.role == User.Role.OPERATOR and not row.unit_codes:
        row.problems.append(_("operator harus memegang paling sedikit satu unit (kolom unit)"))
    return row


def _check_across(rows: list[AccountRow]) -> None:
    seen: dict[str, int] = {}
    names = [r.username for r in rows if r.username]
    taken = {u.lower() for u in User.objects.filter(username__in=names).values_list("username", flat=True)}
    codes = {c for r in rows for c in r.unit_codes}
    known = set(Unit.objects.filter(code__in=codes, active=True).values_list("code", flat=True))
    for row in rows:
        key = row.username.lower()
        if key and key in taken:
            row.problems.append(_("nama pengguna %(name)s sudah dipakai") % {"name": row.username})
        elif key in seen:
            row.problems.append(_("nama pengguna sama dengan baris %(row)s") % {"row": seen[key]})
        elif key:
            seen[key] = row.row
        unknown = [c for c in row.unit_codes if c not in known]
        if unknown:
            row.problems.append(_("kode unit tidak dikenal: %(codes)s") % {"codes": ", ".join(unknown[:5])})


def create_accounts(rows: list[AccountRow], by: User) -> list[Created]:
    """Creates every account (all in one transaction); call only when no row has problems."""
    if any(r.problems for r in rows):
        raise ValueError("rows with problems")
    units = {u.code: u for u in Unit.objects.filter(code__in={c for r in rows for c in r.unit_codes})}
    created = []
    with transaction.atomic():
        for row in rows:
            password = secrets.token_urlsafe(9)
            is_admin = row.role == User.Role.ADMIN
            user = User(username=row.username, first_name=row.first_name, last_name=row.last_name,
                        email=row.email, phone=row.phone, role=row.role, is_staff=is_admin, is_superuser=is_admin)
            user.set_password(password)
            user.save()
            user.units.set([units[c] for c in row.unit_codes])
            record(by, "user.create", user, after={**snapshot(user, FIELDS), "source": "spreadsheet"})
            created.append(Created(user, password))
    return created
