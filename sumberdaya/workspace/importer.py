"""Browser import around `surveys.importing`: park the upload, guess the column mapping, read answer labels.

Checking and storing are `surveys.importing`'s job (the same rules as the CLI); this module only adds
what a browser needs: the file kept between preview and import, and a mapping pre-filled by guessing.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sumberdaya.core.spreadsheet import append_safe_row
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys import importing
from sumberdaya.units.models import Unit

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
EXTENSIONS = (".xlsx", ".csv")
UPLOAD_DIR = Path(settings.VAR_DIR) / "imports"

FIELD_LABELS: dict[str, Any] = {
    "unit": _("Kode unit (boleh kosong: unit ini)"),
    "submitted_at": _("Waktu / tanggal pengisian"),
    "service": _("Jenis layanan"),
    "channel": _("Metode"),
    **{e.key: f"{e.key.upper()} {e.name}" for e in ELEMENTS},
    "sex": _("Jenis kelamin"),
    "age": _("Umur"),
    "education": _("Pendidikan"),
    "occupation": _("Pekerjaan"),
    "comment": _("Saran / komentar"),
    "comment_kind": _("Jenis komentar"),
}
FIELDS = (*importing.CONTRACT_COLUMNS, *importing.OPTIONAL_EXTRA_COLUMNS)

# Words that give a column away in a Google Forms (or hand-made) header, checked in order.
HINTS: dict[str, tuple[str, ...]] = {
    "submitted_at": ("timestamp", "stempel waktu", "cap waktu", "tanggal", "waktu pengisian"),
    "service": ("jenis layanan", "layanan"),
    "channel": ("metode",),
    "sex": ("jenis kelamin", "kelamin"),
    "age": ("umur", "usia"),
    "education": ("pendidikan",),
    "occupation": ("pekerjaan",),
    "comment_kind": ("jenis komentar", "jenis masukan"),
    "comment": ("saran", "komentar", "masukan", "pendapat", "kritik"),
    "unit": ("kode unit",),
}

if TYPE_CHECKING:
    from openpyxl import Workbook


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def guess_mapping(header: list[str], remembered: Mapping[str, str] | None = None) -> dict[str, str]:
    """For each contract field the file column that most likely holds it ("" when none does)."""
    remembered = remembered or {}
    present = {cell for cell in header if cell.strip()}
    normal = {cell: _normal(cell) for cell in present}
    mapping: dict[str, str] = {}
    taken: set[str] = set()

    def pick(field: str, candidates: Iterable[str]) -> None:
        for cell in candidates:
            if cell in present and cell not in taken:
                mapping[field] = cell
                taken.add(cell)
                return

    for field in FIELDS:  # the unit's remembered mapping and exact contract names first
        indonesian = importing.INDONESIAN_COLUMNS.get(field, field).replace("_", " ")
        exact = [c for c in header if _normal(c).replace("_", " ") in (field, indonesian)]
        pick(field, [remembered.get(field, ""), *exact])
    for element in ELEMENTS:
        if element.key in mapping:
            continue
        question = _normal(element.question)
        code = re.compile(rf"(^|\s){element.key}(\s|$)")
        pick(
            element.key,
            [c for c in header if question in normal.get(c, "") or code.search(normal.get(c, ""))],
        )
    for field, words in HINTS.items():
        if field not in mapping:
            pick(field, [c for word in words for c in header if word in normal.get(c, "")])
    return {field: mapping.get(field, "") for field in FIELDS}


def answers_as_digits(header: list[str], mapping: Mapping[str, str], rows: Iterable[list[str]]) -> Iterator[list[str]]:
    """Google Forms often stores the chosen label ("Sangat sesuai", "4 - Sangat sesuai"); turn it into 1–4.

    Anything not recognised is passed on untouched, so `surveys.importing` reports it on its row.
    """
    positions = []
    for element in ELEMENTS:
        column = mapping.get(element.key) or element.key
        if column in header:
            labels = {_normal(label): str(i) for i, label in enumerate(element.labels, start=1)}
            positions.append((header.index(column), labels))
    for row in rows:
        for index, labels in positions:
            if index < len(row) and row[index]:
                row[index] = _digit(row[index], labels)
        yield row


def _digit(text: str, labels: Mapping[str, str]) -> str:
    stripped = text.strip()
    if stripped in ("1", "2", "3", "4"):
        return stripped
    label = labels.get(_normal(stripped))
    if label:
        return label
    leading = re.match(r"^([1-4])\s*[-.):]\s*\S", stripped)
    return leading.group(1) if leading else text


@dataclass(frozen=True)
class ParkedFile:
    token: str
    name: str
    path: Path
    sha256: str  # the content fingerprint: the same file imported twice is recognised by it


def park(upload: Any) -> ParkedFile:
    """Keep an uploaded file on disk (not in memory) until it is imported or abandoned."""
    UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    _forget_old_uploads()
    token = secrets.token_urlsafe(16)
    suffix = Path(upload.name).suffix.lower()
    path = UPLOAD_DIR / f"{token}{suffix}"
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    return ParkedFile(token, Path(upload.name).name[:200], path, digest.hexdigest())


def _forget_old_uploads(max_age_seconds: int = 24 * 3600) -> None:
    """Uploads previewed but never imported are dropped after a day."""
    cutoff = time.time() - max_age_seconds
    for old in UPLOAD_DIR.iterdir():
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()


def parked(token: str, suffix: str) -> Path | None:
    if not re.fullmatch(r"[\w-]{10,40}", token) or suffix not in EXTENSIONS:
        return None
    path = UPLOAD_DIR / f"{token}{suffix}"
    return path if path.exists() else None


def check_file(
    path: Path, name: str, unit: Unit, mapping: Mapping[str, str], user: Any, default_channel: str = "paper"
) -> tuple[list[str], importing.ParseResult]:
    """Read and check the whole file against the unit; nothing is stored."""
    with path.open("rb") as handle:
        header, rows = importing.read_table(handle, name, max_rows=MAX_ROWS)
        used = {field: column for field, column in mapping.items() if column}
        result = importing.parse_responses(
            header,
            answers_as_digits(header, used, rows),
            mapping=used,
            allowed_units={unit.code},
            default_unit=unit,
            default_channel=default_channel,
            entered_by=user,
        )
    return header, result


def header_of(path: Path, name: str) -> list[str]:
    with path.open("rb") as handle:
        header, rows = importing.read_table(handle, name, max_rows=MAX_ROWS)
        if hasattr(rows, "close"):
            rows.close()
        return header


TEMPLATE_NOTES = (
    ("kode_unit", "Kode unit; boleh kosong bila berkas diunggah di halaman unit ini."),
    ("tanggal", "Tanggal pengisian: 31/12/2025 atau 2025-12-31, boleh dengan jam (31/12/2025 09:30)."),
    ("jenis_layanan", "Nama jenis layanan persis seperti di daftar layanan unit; boleh kosong."),
    ("metode", "kertas, wawancara, daring atau kios; kosong: metode yang dipilih saat impor (bawaan kertas)."),
    ("u1 … u9", "Jawaban unsur 1–9: angka 1–4; kosong bila tidak dijawab."),
    ("jenis_kelamin", "L atau P."),
    ("umur", "Umur dalam tahun."),
    ("pendidikan", "SD, SMP, SMA, D1-D3, S1/D4, S2 atau S3."),
    ("pekerjaan", "PNS, TNI, POLRI, Swasta, Wirausaha atau Lainnya."),
    ("saran", "Saran atau komentar responden (boleh kosong)."),
    ("jenis_komentar", "saran, keluhan atau pujian (boleh kosong)."),
    ("", "Nama kolom bahasa Inggris (unit, submitted_at, service, channel, sex, age, education, occupation, "
         "comment, comment_kind) juga diterima."),
)


def template_workbook(unit: Unit) -> Workbook:
    """The file to start from: the Indonesian headings, one example row for this unit, and a notes sheet."""
    from openpyxl import Workbook  # heavy: only for this download, not in every worker (issue 18)

    book = Workbook()
    sheet = book.create_sheet("Kuesioner", 0)
    book.remove(book.worksheets[1])
    append_safe_row(sheet, importing.TEMPLATE_COLUMNS)
    service = unit.services.order_by("order", "name").values_list("name", flat=True).first() or ""
    example = {
        "kode_unit": unit.code, "tanggal": timezone.localdate().strftime("%d/%m/%Y"), "jenis_layanan": service,
        "metode": "kertas", **{key: 4 if i % 3 else 3 for i, key in enumerate(importing.ANSWER_KEYS)},
        "jenis_kelamin": "P", "umur": 35, "pendidikan": "SMA", "pekerjaan": "Swasta", "saran": "", "jenis_komentar": "",
    }
    append_safe_row(sheet, [example.get(column, "") for column in importing.TEMPLATE_COLUMNS])
    for letter, width in (("A", 24), ("B", 18), ("C", 30), ("D", 12)):
        sheet.column_dimensions[letter].width = width
    notes = book.create_sheet("Petunjuk")
    append_safe_row(notes, ["Kolom", "Isi"])
    for row in TEMPLATE_NOTES:
        append_safe_row(notes, row)
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 100
    return book
