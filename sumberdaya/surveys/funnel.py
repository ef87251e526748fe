"""The counter's funnel per unit and period: people served → invitations issued → answered, and the
response rate (after the US federal CX practice, OMB A-11 §280: customers served, offered, answered).

Every page and export that shows these figures reads `funnels()` / `unit_funnel()` here: the unit
dashboard, the city monitoring page, the unit report and `sumberdaya recap --format json`.

- served: the sum of the unit's monthly counts (ServedCount) for the months of the period; None when
  no month has a count. `served_months` of `months` tells how complete it is.
- responses: valid SKM responses in the period; the response rate divides the responses *of the months
  that have a count* by those months' served, so a missing month does not inflate the rate.
- invitations: slips issued in the period, how many of those were answered; verified: valid responses
  in the period that came through a slip. All three None when the unit issued no slip in the period
  (it does not use slips: unknown, not zero).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from sumberdaya.accounts.audit import record
from sumberdaya.surveys.importing import TableTooLarge, UnreadableTable, read_table
from sumberdaya.surveys.models import Invitation, Period, Response, ServedCount
from sumberdaya.units.models import Unit

MAX_SERVED = 10_000_000  # a month's count above this is a typing error, not a busy counter
MAX_IMPORT_ROWS = 5000  # a queue system's daily counts: years of days


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_of(period: Period) -> list[dt.date]:
    months = []
    month = first_of_month(period.start)
    while month <= period.end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class Funnel:
    unit_id: int
    months: int
    served_months: int
    served: int | None
    responses: int
    responses_in_served_months: int
    invitations_issued: int | None
    invitations_answered: int | None
    verified: int | None

    @property
    def not_invited(self) -> int | None:
        return None if self.verified is None else self.responses - self.verified

    @property
    def response_rate(self) -> Fraction | None:
        """Responses per person served, in percent (months with a served count only)."""
        if not self.served:
            return None
        return Fraction(self.responses_in_served_months * 100, self.served)

    @property
    def invitation_rate(self) -> Fraction | None:
        """Invitations answered per invitation issued, in percent."""
        if not self.invitations_issued:
            return None
        return Fraction((self.invitations_answered or 0) * 100, self.invitations_issued)

    @property
    def verified_share(self) -> Fraction | None:
        if self.verified is None or not self.responses:
            return None
        return Fraction(self.verified * 100, self.responses)

    @property
    def complete(self) -> bool:
        return self.served_months == self.months

    def as_recap(self) -> dict[str, int | None]:
        return {
            "served": self.served,
            "invitations_issued": self.invitations_issued,
            "invitations_answered": self.invitations_answered,
            "verified": self.verified,
        }


def funnels(period: Period, unit_ids: Iterable[int] | None = None) -> dict[int, Funnel]:
    """Every unit's funnel for the period (or the given units'): four or five grouped queries."""
    begin, end = period.bounds()
    months = months_of(period)
    ids = list(unit_ids) if unit_ids is not None else list(Unit.objects.values_list("pk", flat=True))

    served: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for unit_id, month, count in ServedCount.objects.filter(
        unit_id__in=ids, month__gte=months[0], month__lte=months[-1]
    ).values_list("unit_id", "month", "served"):
        served[unit_id][month] = count

    valid = Response.objects.filter(
        instrument=Response.Instrument.SKM,
        status=Response.Status.VALID,
        submitted_at__gte=begin,
        submitted_at__lt=end,
    )
    totals = dict(
        valid.filter(unit_id__in=ids).order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n")
    )
    # Per month only for the units that entered a served count (the rate's months): most units of a
    # city that does not count yet cost one plain GROUP BY.
    in_served: dict[int, int] = defaultdict(int)
    counting = [unit_id for unit_id in ids if served.get(unit_id)]
    if counting:
        rows = (
            valid.filter(unit_id__in=counting)
            .annotate(month=TruncMonth("submitted_at"))
            .order_by()
            .values_list("unit_id", "month")
            .annotate(n=Count("id"))
        )
        for unit_id, month, n in rows:
            day = month.date() if isinstance(month, dt.datetime) else month
            if day in served[unit_id]:
                in_served[unit_id] += n

    issued = {
        row["unit_id"]: row
        for row in Invitation.objects.filter(unit_id__in=ids, created_at__gte=begin, created_at__lt=end)
        .order_by()
        .values("unit_id")
        .annotate(issued=Count("id"), answered=Count("id", filter=Q(response__isnull=False)))
    }
    verified = dict(
        Invitation.objects.filter(
            unit_id__in=ids,
            response__instrument=Response.Instrument.SKM,
            response__status=Response.Status.VALID,
            response__submitted_at__gte=begin,
            response__submitted_at__lt=end,
        )
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )

    result = {}
    for unit_id in ids:
        counts = served.get(unit_id, {})
        slips = issued.get(unit_id)
        result[unit_id] = Funnel(
            unit_id=unit_id,
            months=len(months),
            served_months=len(counts),
            served=sum(counts.values()) if counts else None,
            responses=totals.get(unit_id, 0),
            responses_in_served_months=in_served.get(unit_id, 0),
            invitations_issued=slips["issued"] if slips else None,
            invitations_answered=slips["answered"] if slips else None,
            verified=verified.get(unit_id, 0) if slips or unit_id in verified else None,
        )
    return result


def unit_funnel(unit: Unit, period: Period) -> Funnel:
    return funnels(period, [unit.pk])[unit.pk]


def add_to_recap(units: list[dict[str, Any]], period: Period) -> None:
    """Add served, invitations_issued, invitations_answered and verified to each unit of a recap (by code)."""
    ids = dict(Unit.objects.filter(code__in=[u["code"] for u in units]).values_list("code", "pk"))
    figures = funnels(period, ids.values())
    for unit in units:
        funnel = figures.get(ids.get(unit["code"], -1))
        unit.update(funnel.as_recap() if funnel else dict.fromkeys(("served", "invitations_issued",
                                                                   "invitations_answered", "verified")))


# ------------------------------------------------------------------------------- people served (input)


class ServedError(ValueError):
    """A served count or file that cannot be stored, with the Indonesian message to show."""


def set_served(
    unit: Unit, month: dt.date, served: int, by: Any = None, source: str = ServedCount.Source.OPERATOR
) -> ServedCount:
    if not 0 <= served <= MAX_SERVED:
        raise ServedError(_("Jumlah dilayani harus 0 sampai %(max)s.") % {"max": f"{MAX_SERVED:,}".replace(",", ".")})
    month = first_of_month(month)
    with transaction.atomic():
        row, _created = ServedCount.objects.select_for_update().get_or_create(
            unit=unit, month=month, defaults={"served": served, "source": source, "updated_by": by}
        )
        before = None if _created else {"served": row.served, "source": row.source}
        row.served, row.source, row.updated_by = served, source, by if getattr(by, "pk", None) else None
        row.save()
        record(by, "served.set", row, before=before, after={"month": f"{month:%Y-%m}", "served": served}, unit=unit)
    return row


@dataclass(frozen=True)
class ServedImport:
    days: int
    months: dict[dt.date, int]


def _day(text: str) -> dt.date | None:
    text = text.strip()[:10]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def read_daily_counts(fileobj: BinaryIO, filename: str) -> ServedImport:
    """Daily counts from a queue system (columns tanggal/date and jumlah/count), summed per month.

    Every row is checked before anything is stored; the first problems are reported with their row
    numbers. A month in the file replaces that month's count, so the file should hold whole months.
    """
    try:
        header, rows = read_table(fileobj, filename, max_rows=MAX_IMPORT_ROWS)
        names = [h.strip().lower() for h in header]
        day_col = next((i for i, h in enumerate(names) if h in ("tanggal", "date", "tgl", "day")), None)
        count_col = next(
            (i for i, h in enumerate(names) if h in ("jumlah", "count", "dilayani", "served", "total")), None
        )
        if day_col is None or count_col is None:
            raise ServedError(_("Berkas harus punya kolom 'tanggal' dan 'jumlah' (atau 'date' dan 'count')."))
        per_day: dict[dt.date, int] = {}
        problems: list[str] = []
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = row + [""] * (max(day_col, count_col) + 1 - len(row))
            day = _day(cells[day_col])
            count_text = cells[count_col].strip().replace(".", "")
            where = {"n": number, "v": cells[day_col][:20], "c": count_text[:20]}
            if day is None:
                problems.append(_("baris %(n)d: tanggal '%(v)s' tidak dikenal") % where)
            elif not count_text.isdigit():
                problems.append(_("baris %(n)d: jumlah '%(c)s' bukan bilangan bulat") % where)
            elif day in per_day:
                problems.append(_("baris %(n)d: tanggal %(v)s muncul dua kali") % where)
            else:
                per_day[day] = int(count_text)
            if len(problems) >= 5:
                break
    except TableTooLarge:
        raise ServedError(_("Berkas terlalu panjang: paling banyak %(n)d baris.") % {"n": MAX_IMPORT_ROWS})
    except UnreadableTable as error:
        raise ServedError(str(error))
    if problems:
        raise ServedError(_("Tidak ada yang disimpan. Perbaiki dulu: %(p)s.") % {"p": "; ".join(problems)})
    if not per_day:
        raise ServedError(_("Berkas tidak memuat satu hari pun."))
    months: dict[dt.date, int] = defaultdict(int)
    for day, count in per_day.items():
        months[first_of_month(day)] += count
    return ServedImport(len(per_day), dict(sorted(months.items())))


def store_import(unit: Unit, data: ServedImport, by: Any = None) -> None:
    with transaction.atomic():
        for month, served in data.months.items():
            set_served(unit, month, served, by, ServedCount.Source.IMPORT)


def served_table(unit: Unit, period: Period) -> list[tuple[dt.date, ServedCount | None]]:
    """The period's months with the unit's count (None where not entered yet)."""
    rows = {r.month: r for r in ServedCount.objects.filter(unit=unit, month__in=months_of(period))}
    return [(month, rows.get(month)) for month in months_of(period)]



def for_units(period: Period, units: Iterable[Unit]) -> list[tuple[Unit, Funnel]]:
    """(unit, funnel) in the given order, for a table of units."""
    units = list(units)
    figures = funnels(period, [u.pk for u in units])
    return [(unit, figures[unit.pk]) for unit in units]
