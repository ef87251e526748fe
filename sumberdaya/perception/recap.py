"""SPKP and SPAK indices per unit and period, straight from the responses.

Like `sumberdaya.results.tallies` for the SKM: one GROUP BY per instrument gives each unit's respondents and
per-item sums and counts; the pure core (`sumberdaya.skm.instruments`) turns them into means and the 0–100
index. Pages, exports, the recap command and the unit report all call these functions, so the numbers
cannot disagree.

What counts: valid responses of the instrument dated inside the period, answered on the scale the period
uses (answers on another scale cannot share a mean; they are counted and shown as a note), and for SPAK,
when the period's setting says so, not those answering "yes" to the control question. The control
question is part of SPAK, so it only acts on SPAK: the SPKP of the same visit still counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from sumberdaya.perception.models import PerceptionSetting, setting_for
from sumberdaya.results.tallies import valid_responses
from sumberdaya.skm.instruments import (
    CONVERSION_FORMULA,
    INSTRUMENTS,
    MINIMUM_RESPONDENTS,
    Instrument,
    PerceptionScore,
    percent,
    perception_index,
)
from sumberdaya.surveys.models import Period, Response
from sumberdaya.units.models import Unit


@dataclass(frozen=True)
class UnitPerception:
    """One unit's index for one instrument, with what was left out of it and the control-question tally."""

    unit: Unit
    score: PerceptionScore
    exclude_steered: bool
    steered: int = 0  # SPAK responses answering "yes" to the control question
    controlled: int = 0  # SPAK responses answering the control question at all
    other_scale: int = 0  # valid responses on a scale other than the period's

    @property
    def instrument(self) -> Instrument:
        return self.score.instrument

    @property
    def respondents(self) -> int:
        return self.score.respondents

    @property
    def steered_percent(self) -> Fraction | None:
        return percent(self.steered, self.controlled)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.unit.code,
            "name": self.unit.name,
            "group": self.unit.group,
            "respondents": self.respondents,
            "below_minimum": self.score.below_minimum,
        }
        for item_score in self.score.items:
            data[f"p{item_score.item.number}"] = _float(item_score.mean)
        data["mean"] = _float(self.score.mean)
        data["index_0_100"] = _float(self.score.index)
        data["steered_share"] = _float(self.steered_percent) if self.instrument.control_question else None
        data["steered"] = self.steered
        data["other_scale"] = self.other_scale
        return data


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def counted_responses(period: Period, instrument: Instrument, setting: PerceptionSetting) -> QuerySet[Response]:
    """The responses that enter the index (see the module docstring)."""
    responses = valid_responses(period, instrument.code).filter(scale=setting.scale_for(instrument.code))
    if instrument.control_question and setting.exclude_steered:
        responses = responses.exclude(control=True)
    return responses


def perception_results(
    period: Period,
    instrument_code: str,
    units: Iterable[Unit] | None = None,
    setting: PerceptionSetting | None = None,
) -> list[UnitPerception]:
    """Every given unit's (default: every active unit's) result, units without responses included."""
    instrument = INSTRUMENTS[instrument_code]
    setting = setting or setting_for(period)
    scale = setting.scale_for(instrument.code)
    unit_list = list(units) if units is not None else list(Unit.objects.filter(active=True))
    unit_ids = [u.pk for u in unit_list]

    annotations: dict[str, Any] = {"n": Count("id")}
    for item in instrument.items:
        annotations[f"s_{item.code}"] = Sum(item.column)
        annotations[f"c_{item.code}"] = Count(item.column)
    rows = (
        counted_responses(period, instrument, setting)
        .filter(unit_id__in=unit_ids)
        .order_by()
        .values("unit_id")
        .annotate(**annotations)
    )
    tallies = {row["unit_id"]: row for row in rows}
    extras = {
        row["unit_id"]: row
        for row in valid_responses(period, instrument.code)
        .filter(unit_id__in=unit_ids)
        .order_by()
        .values("unit_id")
        .annotate(
            other=Count("id", filter=~Q(scale=scale)),
            steered=Count("id", filter=Q(control=True)),
            controlled=Count("id", filter=Q(control__isnull=False)),
        )
    }
    results = []
    for unit in unit_list:
        row = tallies.get(unit.pk, {})
        score = perception_index(
            instrument,
            {item.code: row.get(f"s_{item.code}") or 0 for item in instrument.items},
            {item.code: row.get(f"c_{item.code}") or 0 for item in instrument.items},
            row.get("n", 0),
            scale,
        )
        extra = extras.get(unit.pk, {})
        results.append(
            UnitPerception(
                unit=unit,
                score=score,
                exclude_steered=bool(instrument.control_question and setting.exclude_steered),
                steered=extra.get("steered", 0),
                controlled=extra.get("controlled", 0),
                other_scale=extra.get("other", 0),
            )
        )
    return results


def unit_perception(unit: Unit, period: Period, instrument_code: str) -> UnitPerception:
    return perception_results(period, instrument_code, units=[unit])[0]


@dataclass(frozen=True)
class CityPerception:
    """The city line: plain mean of the units' values (as the city reports the SKM), pooled control share."""

    units: int  # units with an index
    mean: Fraction | None
    index: Fraction | None
    respondents: int
    steered: int
    controlled: int

    @property
    def steered_percent(self) -> Fraction | None:
        return percent(self.steered, self.controlled)


def city_perception(results: list[UnitPerception]) -> CityPerception:
    scored = [r.score for r in results if r.score.mean is not None]
    means = [s.mean for s in scored if s.mean is not None]
    indices = [s.index for s in scored if s.index is not None]
    return CityPerception(
        units=len(means),
        mean=sum(means, Fraction(0)) / len(means) if means else None,
        index=sum(indices, Fraction(0)) / len(indices) if indices else None,
        respondents=sum(r.respondents for r in results),
        steered=sum(r.steered for r in results),
        controlled=sum(r.controlled for r in results),
    )


def perception_recap(period: Period, instrument: str) -> dict[str, Any]:
    """JSON-able recap of one instrument for the period: every active unit and the city line."""
    if instrument not in INSTRUMENTS:
        raise ValueError(f"Instrumen '{instrument}' tidak dikenal: pilih spkp atau spak.")
    spec = INSTRUMENTS[instrument]
    setting = setting_for(period)
    results = perception_results(period, instrument, setting=setting)
    city = city_perception(results)
    return {
        "period": period.slug,
        "instrument": spec.code,
        "name": spec.title,
        "scale": setting.scale_for(spec.code),
        "formula": CONVERSION_FORMULA,
        "minimum_respondents": MINIMUM_RESPONDENTS,
        "exclude_steered": bool(spec.control_question and setting.exclude_steered),
        "items": [{"key": f"p{i.number}", "code": i.code, "statement": i.statement} for i in spec.items],
        "units": [r.as_dict() for r in results],
        "city": {
            "method": "mean",
            "units": city.units,
            "respondents": city.respondents,
            "mean": _float(city.mean),
            "index_0_100": _float(city.index),
            "steered_share": _float(city.steered_percent) if spec.control_question else None,
        },
    }


def unit_perception_section(unit: Unit, period: Period) -> dict[str, Any] | None:
    """The unit report's ZI section: both instruments, or None when the unit has no perception responses."""
    setting = setting_for(period)
    sections = []
    for code, spec in INSTRUMENTS.items():
        result = perception_results(period, code, units=[unit], setting=setting)[0]
        score = result.score
        sections.append(
            {
                "code": spec.code,
                "name": spec.name,
                "title": spec.title,
                "scale": score.scale,
                "formula": CONVERSION_FORMULA,
                "respondents": score.respondents,
                "below_minimum": score.below_minimum,
                "minimum_respondents": MINIMUM_RESPONDENTS,
                "mean": _float(score.mean),
                "index_0_100": _float(score.index),
                "items": [
                    {
                        "number": s.item.number,
                        "statement": s.item.statement,
                        "mean": _float(s.mean),
                        "answers": s.count,
                    }
                    for s in score.items
                ],
                "control_question": spec.control_question,
                "steered": result.steered,
                "controlled": result.controlled,
                "steered_share": _float(result.steered_percent) if spec.control_question else None,
                "exclude_steered": result.exclude_steered,
                "other_scale": result.other_scale,
            }
        )
    if all(s["respondents"] == 0 and s["controlled"] == 0 and s["other_scale"] == 0 for s in sections):
        return None
    return {"unit": unit.code, "period": period.slug, "instruments": sections}


def scale_counts(period: Period) -> dict[str, dict[int, int]]:
    """Valid responses already stored in the period, per instrument and scale (warns before a scale change)."""
    counts: dict[str, dict[int, int]] = {code: {} for code in INSTRUMENTS}
    begin, end = period.bounds()
    rows = (
        Response.objects.filter(
            instrument__in=list(INSTRUMENTS),
            status=Response.Status.VALID,
            submitted_at__gte=begin,
            submitted_at__lt=end,
        )
        .order_by()
        .values_list("instrument", "scale")
        .annotate(n=Count("id"))
    )
    for instrument, scale, n in rows:
        counts[instrument][scale] = n
    return counts


def perception_csv_columns(instrument: str) -> tuple[str, ...]:
    """Columns of the `recap --instrument spkp|spak --format csv` output."""
    items = tuple(f"p{item.number}" for item in INSTRUMENTS[instrument].items)
    return (
        "level", "code", "name", "group", "respondents", *items, "mean", "index_0_100", "steered_share",
        "steered", "below_minimum", "other_scale", "units", "period", "instrument", "scale",
    )  # fmt: skip


def perception_recap_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """`perception_recap()` as flat rows: every unit, then the city (column `level`)."""
    common = {"period": data["period"], "instrument": data["instrument"], "scale": data["scale"]}
    rows = [{"level": "unit", **unit, **common} for unit in data["units"]]
    rows.append({"level": "city", "name": settings.SKM_CITY_NAME, **data["city"], **common})
    return rows
