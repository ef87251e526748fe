"""Import units' finished results (external surveys, paper, earlier years) from CSV or XLSX.

Columns: `unit,period,u1..u9,ikm,mutu,respondents,method`. Every row is checked against the pure core:
elements within 25–100, the IKM equal (±0,01) to Σ(u_i/25)×w×25 with the configured weight, the letter
matching the IKM's band, respondents > 0, a known unit. A row is
- "ok": stored;
- "flagged": stored only when the admin confirms it as it is (the reasons are kept with the result);
- "error": never stored (unknown unit, malformed period, a number that is not a number, a duplicate).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Q

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.results.models import ELEMENT_KEYS, ImportBatch, ImportedResult
from sumberdaya.results.tallies import default_weight
from sumberdaya.skm.numbers import format_number, parse_decimal
from sumberdaya.skm.periods import parse_period_slug
from sumberdaya.skm.results import ikm_of_elements
from sumberdaya.skm.scoring import Weight, band_for
from sumberdaya.surveys.importing import UnreadableTable, read_table
from sumberdaya.surveys.models import Period
from sumberdaya.units.models import Unit

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED = ("unit", "period", *ELEMENT_KEYS, "ikm", "mutu", "respondents")
COLUMNS = (*REQUIRED, "method")
TOLERANCE = Fraction(1, 100)

OK = "ok"
FLAGGED = "flagged"
ERROR = "error"


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, size, missing columns)."""


@dataclass
class RowCheck:
    row: int  # as a spreadsheet numbers it: header = 1
    unit: str
    status: str = OK
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    period: str = ""
    values: dict[str, str] = field(default_factory=dict)  # normalised numbers, as text, for storing later

    def report(self) -> dict[str, Any]:
        """The `--dry-run --format json` line."""
        return {"row": self.row, "unit": self.unit, "status": self.status, "problems": self.problems}

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RowCheck:
        return cls(**data)

    def _flag(self, message: str) -> None:
        self.problems.append(message)
        if self.status == OK:
            self.status = FLAGGED

    def _error(self, message: str) -> None:
        self.problems.append(message)
        self.status = ERROR


def read_rows(content: bytes, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: text}) for each non-empty data row of a CSV or XLSX file.

    The file is read by the response importer's `read_table` (encodings, `;` or `,`, Excel cells).
    """
    if len(content) > MAX_BYTES:
        raise ImportFileError(f"Berkas terlalu besar (maks. {MAX_BYTES // (1024 * 1024)} MB).")
    if not filename.lower().endswith((".xlsx", ".csv", ".txt")):
        raise ImportFileError("Format berkas tidak dikenal: gunakan .csv atau .xlsx.")
    try:
        header, rows = read_table(io.BytesIO(content), filename)
        header_row = 1
        while not any(cell.strip() for cell in header):  # blank rows above the header
            following = next(rows, None)
            if following is None:
                raise ImportFileError("Berkas kosong.")
            header, header_row = following, header_row + 1
        columns = [cell.strip().lower().replace(" ", "") for cell in header]
        missing = [c for c in REQUIRED if c not in columns]
        if missing:
            raise ImportFileError(
                f"Kolom wajib tidak ada: {', '.join(missing)}. Baris pertama harus berisi: {','.join(COLUMNS)}."
            )
        count = 0
        for number, cells in enumerate(rows, start=header_row + 1):
            texts = [cell.strip() for cell in cells]
            if not any(texts):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ImportFileError(f"Terlalu banyak baris (maks. {MAX_ROWS}).")
            yield number, {key: (texts[i] if i < len(texts) else "") for i, key in enumerate(columns) if key}
    except UnreadableTable as exc:
        raise ImportFileError(str(exc)) from exc


def _number(text: str) -> Decimal:
    try:
        return parse_decimal(text)
    except (ValueError, InvalidOperation) as exc:
        raise ValueError(f"'{text}' bukan angka") from exc


def check_rows(rows: Iterator[tuple[int, dict[str, str]]], weight: Weight | None = None) -> list[RowCheck]:
    weight = weight or default_weight()
    units = {u.code.lower(): u for u in Unit.objects.all()}
    names = {u.name.lower(): u for u in units.values()}
    seen: dict[tuple[str, str], int] = {}
    checks = []
    for number, raw in rows:
        check = RowCheck(row=number, unit=raw.get("unit", ""))
        _check_row(check, raw, units, names, weight)
        if check.status != ERROR:
            key = (check.unit, check.period)
            if key in seen:
                check._error(f"Unit dan periode yang sama sudah ada di baris {seen[key]}.")
            else:
                seen[key] = number
        checks.append(check)
    _add_notes(checks)
    return checks


def _check_row(
    check: RowCheck, raw: dict[str, str], units: dict[str, Unit], names: dict[str, Unit], weight: Weight
) -> None:
    text = raw.get("unit", "").strip()
    unit = units.get(text.lower()) or names.get(text.lower())
    if unit is None:
        check._error(f"Unit '{text}' tidak dikenal." if text else "Kolom unit kosong.")
    else:
        check.unit = unit.code
    try:
        check.period = parse_period_slug(raw.get("period", "")).slug
    except ValueError as exc:
        check._error(str(exc))
    values: list[Decimal] = []
    for key in (*ELEMENT_KEYS, "ikm"):
        try:
            values.append(_number(raw.get(key, "")))
        except ValueError as exc:
            check._error(f"{key.upper()}: {exc}.")
    respondents = None
    try:
        respondents_value = _number(raw.get("respondents", ""))
        if respondents_value != respondents_value.to_integral_value():
            raise ValueError(f"'{raw.get('respondents')}' bukan bilangan bulat")
        respondents = int(respondents_value)
    except ValueError as exc:
        check._error(f"Jumlah responden: {exc}.")
    letter = raw.get("mutu", "").strip().upper()
    check.values = {"mutu": letter, "method": raw.get("method", "").strip()[:100]}
    if check.status == ERROR:
        return
    elements, ikm = values[:9], values[9]
    check.values.update({key: str(v) for key, v in zip((*ELEMENT_KEYS, "ikm"), values, strict=True)})
    check.values["respondents"] = str(respondents)
    out_of_range = [
        f"{k.upper()} = {format_number(v)}" for k, v in zip(ELEMENT_KEYS, elements, strict=True) if not 25 <= v <= 100
    ]
    if out_of_range:
        check._flag(f"Nilai unsur di luar rentang 25–100: {', '.join(out_of_range)}.")
    else:
        expected = ikm_of_elements(elements, weight)
        if abs(Fraction(ikm) - expected) > TOLERANCE:
            check._flag(
                f"IKM {format_number(ikm)} tidak sama dengan IKM dari nilai unsur {format_number(expected)} "
                f"(bobot {weight.label})."
            )
    if not 25 <= ikm <= 100:
        check._flag(f"IKM {format_number(ikm)} di luar rentang 25–100.")
    if not ikm.is_finite() or abs(ikm) >= 10000 or any(abs(v) >= 10000 for v in elements):
        check._error("Angka terlalu besar.")
        return
    band = band_for(ikm).letter
    if letter not in ("A", "B", "C", "D"):
        check._flag(f"Mutu '{letter}' bukan A, B, C atau D.")
    elif letter != band:
        check._flag(f"Mutu {letter} tidak sesuai dengan IKM {format_number(ikm)} (seharusnya {band}).")
    if check.status == FLAGGED:
        check.notes.append(
            "Bila disimpan: IKM yang dihitung adalah IKM dari nilai unsurnya (bila semua dalam 25–100), "
            "dan mutunya mengikuti IKM itu; IKM dan mutu yang dikirim ditampilkan di sampingnya."
        )
    if respondents is not None and respondents <= 0:
        check._flag("Jumlah responden harus lebih dari 0.")


def _add_notes(checks: list[RowCheck]) -> None:
    """What storing would do besides the row itself: create a period, replace a result."""
    slugs = {c.period for c in checks if c.status != ERROR}
    existing = set(Period.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    pairs = [(c.unit, c.period) for c in checks if c.status != ERROR]
    replaced = set()
    if pairs:
        query = Q()
        for unit, period in pairs:
            query |= Q(unit__code=unit, period__slug=period)
        replaced = set(ImportedResult.objects.filter(query).values_list("unit__code", "period__slug"))
    for check in checks:
        if check.status == ERROR:
            continue
        if check.period not in existing:
            check.notes.append(f"Periode {check.period} belum ada dan akan dibuat.")
        if (check.unit, check.period) in replaced:
            check.notes.append("Menggantikan hasil impor sebelumnya untuk unit dan periode ini.")


def periods_to_create(checks: list[RowCheck]) -> list[str]:
    slugs = sorted({c.period for c in checks if c.status != ERROR})
    existing = set(Period.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return [s for s in slugs if s not in existing]


@dataclass
class StoreSummary:
    stored: int = 0
    skipped_flagged: int = 0
    errors: int = 0
    created_periods: list[str] = field(default_factory=list)


@transaction.atomic
def store(
    checks: list[RowCheck], user: Any, *, confirm_flagged: bool, batch: ImportBatch | None = None
) -> StoreSummary:
    """Store ok rows, and flagged rows if confirmed; never error rows. Every stored row is audit-logged."""
    summary = StoreSummary()
    units = {u.code: u for u in Unit.objects.filter(code__in={c.unit for c in checks})}
    periods: dict[str, Period] = {}
    for check in checks:
        if check.status == ERROR:
            summary.errors += 1
            continue
        if check.status == FLAGGED and not confirm_flagged:
            summary.skipped_flagged += 1
            continue
        if check.period not in periods:
            period = Period.objects.filter(slug=check.period).first()
            if period is None:
                period = Period.from_slug(check.period)
                period.save()
                summary.created_periods.append(period.slug)
                record(user, "period.create", period, after=snapshot(period))
            periods[check.period] = period
        period = periods[check.period]
        unit = units[check.unit]
        values = {key: Decimal(check.values[key]).quantize(Decimal("0.01")) for key in (*ELEMENT_KEYS, "ikm")}
        fields = {
            **values,
            "mutu": check.values["mutu"][:1],
            "respondents": max(int(check.values["respondents"]), 0),
            "method": check.values["method"],
            "flagged": check.status == FLAGGED,
            "problems": check.problems,
            "batch": batch,
            "imported_by": user if getattr(user, "pk", None) else None,
        }
        existing = ImportedResult.objects.filter(unit=unit, period=period).first()
        before = snapshot(existing) if existing else None
        result, _created = ImportedResult.objects.update_or_create(unit=unit, period=period, defaults=fields)
        record(user, "imported_result.import", result, before=before, after=snapshot(result))
        summary.stored += 1
    if batch is not None:
        from django.utils import timezone

        batch.stored_at = timezone.now()
        batch.save(update_fields=["stored_at"])
    return summary
