"""The content of a unit's SKM report (Laporan Pelaksanaan SKM) for a period, from live data or a snapshot.

`collect()` gathers everything the report shows as plain JSON data: per-element sums and counts (the
recap's `unit_tally`), per-service and earlier periods' tallies, the respondent profile, the sample
target, the follow-up plan and last period's realisation, the narrative. A submission stores exactly
this dict as its snapshot. `build()` turns such a dict into `ReportData`, scoring every tally with the
SKM core, so live and frozen reports go through one code path and the numbers cannot disagree.

The Zona Integritas perception section (SPKP and SPAK) is `perception.recap.unit_perception_section`'s
dict, stored as is under "perception" (version 2); snapshots of version 1 have no such key and render
without the section.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils import timezone

from sumberdaya.core.dates import tanggal
from sumberdaya.followup.models import PlanItem, Priority
from sumberdaya.perception.recap import unit_perception_section
from sumberdaya.reports.models import NARRATIVE_FIELDS, UnitReport
from sumberdaya.results.service import UnitResult, unit_result
from sumberdaya.results.tallies import Tally, default_weight, tallies_by, unit_tally, valid_responses
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.numbers import format_number
from sumberdaya.skm.results import FLAG_LABELS, Counted, Figures, figures_from_json, figures_of, figures_to_json
from sumberdaya.skm.sample import krejcie_morgan
from sumberdaya.skm.scoring import Band, UnitScore, Weight
from sumberdaya.surveys import integrity
from sumberdaya.surveys.funnel import unit_funnel
from sumberdaya.surveys.models import Period, UnitPeriod
from sumberdaya.surveys.periods import earlier_periods, previous_period
from sumberdaya.surveys.profile import NOT_FILLED, profile_counts
from sumberdaya.units.models import Service, Unit

# 2: adds "perception" (the ZI section); 3: adds "result" and results in "trend";
# 4: adds "priorities" (the element codes the unit chose, followup.Priority; absent or empty: none chosen);
# 5: adds "funnel" (people served → answered, surveys.funnel; absent or null: nothing entered)
SNAPSHOT_VERSION = 5
TREND_PERIODS = 4  # earlier periods shown in the trend, besides the report's own


# --- Tallies as JSON -----------------------------------------------------------------------------


def tally_to_json(tally: Tally) -> dict[str, Any]:
    return {
        "respondents": tally.respondents,
        "totals": dict(tally.totals),
        "counts": dict(tally.counts),
        "first": tally.first.isoformat() if tally.first else None,
        "last": tally.last.isoformat() if tally.last else None,
    }


def tally_from_json(data: dict[str, Any]) -> Tally:
    return Tally(
        respondents=int(data["respondents"]),
        totals={k: int(v) for k, v in data["totals"].items()},
        counts={k: int(v) for k, v in data["counts"].items()},
        first=dt.datetime.fromisoformat(data["first"]) if data.get("first") else None,
        last=dt.datetime.fromisoformat(data["last"]) if data.get("last") else None,
    )


# --- Collect (queries) ---------------------------------------------------------------------------


def _profile(responses: Any) -> list[dict[str, Any]]:
    """Respondent profile: counts per sex, age band, education, occupation and method (`surveys.profile`)."""
    groups = profile_counts(responses)
    for group in groups:
        if group["name"] == "Umur":
            group["rows"] = [[f"{label} tahun" if label != NOT_FILLED else label, n] for label, n in group["rows"]]
    return groups


def _funnel_json(unit: Unit, period: Period) -> dict[str, Any] | None:
    """The funnel as the report freezes it; None when the unit entered no served count and issued no slip."""
    funnel = unit_funnel(unit, period)
    if funnel.served is None and funnel.invitations_issued is None:
        return None
    rate = funnel.response_rate
    return {
        **funnel.as_recap(),
        "responses": funnel.responses,
        "served_months": funnel.served_months,
        "months": funnel.months,
        "response_rate": None if rate is None else float(rate),
    }


def _result_json(result: UnitResult) -> dict[str, Any]:
    """The counted result as the report freezes it (source, exact figures, flags, what was stated)."""
    return {
        "source": result.source,
        "figures": figures_to_json(result.figures) if result.figures else None,
        "flags": list(result.flags),
        "stated_ikm": None if result.stated_ikm is None else str(result.stated_ikm),
        "stated_mutu": result.stated_mutu,
        "rolled_up": result.rollup_text,
    }


def _plan_rows(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "element": item.element,
            "problem": item.problem,
            "action": item.action,
            "timing": item.timing,
            "responsible": item.responsible,
            "status": item.get_status_display(),
            "realisation": item.realisation,
            "evidence": [e.original_name for e in item.evidence.all()],
        }
        for item in items
    ]


def collect(unit: Unit, period: Period, report: UnitReport | None = None) -> dict[str, Any]:
    """Everything the report shows, as JSON-able data (the snapshot of a submission)."""
    weight = default_weight()
    responses = valid_responses(period).filter(unit=unit)
    services = {s.pk: s.name for s in Service.objects.filter(unit=unit)}
    service_tallies = tallies_by(responses, "service_id")
    service_rows = [
        {"name": services.get(pk, "Tidak diisi") if pk else "Tidak diisi", "tally": tally_to_json(t)}
        for pk, t in sorted(service_tallies.items(), key=lambda kv: (kv[0] is None, services.get(kv[0], "")))
    ]
    setting = UnitPeriod.objects.filter(unit=unit, period=period).first()
    previous = previous_period(period)
    result = unit_result(unit, period, weight)
    plan = PlanItem.objects.filter(unit=unit, period=period).prefetch_related("evidence")
    previous_plan = PlanItem.objects.filter(unit=unit, period=previous).prefetch_related("evidence") if previous else []
    report = report or UnitReport.objects.filter(unit=unit, period=period).first()
    chosen = Priority.objects.filter(unit=unit, period=period).first()
    return {
        "version": SNAPSHOT_VERSION,
        "collected_at": timezone.now().isoformat(),
        "weight": weight.value,
        "tally": tally_to_json(unit_tally(unit, period)),
        "result": _result_json(result),
        "services": service_rows,
        "profile": _profile(responses),
        "population": setting.population if setting else None,
        "survey_window": [
            setting.survey_start.isoformat() if setting and setting.survey_start else None,
            setting.survey_end.isoformat() if setting and setting.survey_end else None,
        ],
        "plan": _plan_rows(plan),
        "priorities": chosen.elements if chosen else [],
        "previous_period": previous.name if previous else None,
        "previous_plan": _plan_rows(previous_plan),
        "trend": [
            {"name": p.name, "result": _result_json(unit_result(unit, p, weight))}
            for p in earlier_periods(period, TREND_PERIODS)
        ],
        "narrative": {name: getattr(report, name) if report else "" for name in NARRATIVE_FIELDS},
        "perception": unit_perception_section(unit, period),
        "funnel": _funnel_json(unit, period),
    }


# --- Build (pure) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileGroup:
    name: str
    rows: list[tuple[str, int, float]]  # label, count, percent

    @property
    def total(self) -> int:
        return sum(count for _, count, _ in self.rows)


@dataclass(frozen=True)
class ScheduleRow:
    activity: str
    begin: dt.date
    end: dt.date

    @property
    def when(self) -> str:
        if self.begin == self.end:
            return tanggal(self.begin)
        return f"{tanggal(self.begin)} – {tanggal(self.end)}"

    @property
    def working_days(self) -> int:
        return working_days(self.begin, self.end)


def working_days(begin: dt.date, end: dt.date) -> int:
    """Monday–Friday days from begin to end inclusive (public holidays are not known here)."""
    days = 0
    day = begin
    while day <= end:
        days += day.weekday() < 5
        day += dt.timedelta(days=1)
    return days


def add_working_days(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


@dataclass(frozen=True)
class ElementLine:
    element: Any
    total: int | None
    count: int | None
    nrr: Fraction | None
    weighted: Fraction | None
    score: Fraction | None
    band: Band | None


@dataclass(frozen=True)
class ReportData(Counted):
    unit: Unit
    period: Period
    city_name: str
    weight: Weight
    tally: Tally
    score: UnitScore
    services: list[tuple[str, Tally, UnitScore]]
    profile: list[ProfileGroup]
    population: int | None
    plan: list[dict[str, Any]]
    previous_period: str | None
    previous_plan: list[dict[str, Any]]
    trend: list[tuple[str, Figures | None]]
    narrative: dict[str, str]
    schedule: list[ScheduleRow]
    collected_at: dt.datetime
    frozen: bool
    # `unit_perception_section()`'s dict (SPKP and SPAK), None without perception responses or in older snapshots.
    perception: dict[str, Any] | None = None
    # The counter's funnel (surveys.funnel): served, invitations issued/answered, verified, response rate.
    funnel: dict[str, Any] | None = None
    # The counted result (results.service): system responses or the unit's imported result.
    figures: Figures | None = None
    source: str | None = None
    flags: tuple[str, ...] = ()
    stated_ikm: Fraction | None = None
    stated_mutu: str | None = None
    rolled_up: str = ""
    chosen_priorities: tuple[str, ...] = ()  # element codes the unit chose; empty: the lowest are proposed

    @property
    def flag_text(self) -> str:
        return "; ".join(FLAG_LABELS.get(flag, flag) for flag in self.flags)

    @property
    def element_table(self) -> list[ElementLine]:
        """The element worksheet: sum, count, NRR, weighted NRR, value and letter of each element.

        From the responses when the system result counts; an imported result has no sums or counts, so
        its NRR is the stated value ÷ 25.
        """
        if self.source == "system" or self.figures is None:
            return [
                ElementLine(e.element, e.total, e.count, e.nrr, e.weighted(self.weight), e.score, e.band)
                for e in self.score.elements
            ]
        lines = []
        for e in self.figures.elements:
            nrr = None if e.score is None else e.score / 25
            weighted = None if nrr is None else nrr * self.weight.fraction
            lines.append(ElementLine(e.element, None, None, nrr, weighted, e.score, e.band))
        return lines

    @property
    def ikm_1_4(self) -> Fraction | None:
        return None if self.ikm is None else self.ikm / 25

    @property
    def target(self) -> int | None:
        return krejcie_morgan(self.population) if self.population else None

    @property
    def sample_ok(self) -> bool | None:
        target = self.target
        return None if target is None else self.respondents >= target

    @property
    def priorities(self) -> list[Any]:
        """The unit's chosen priority elements with their values; without a choice, the three lowest."""
        if self.ikm is None or self.figures is None:
            return []
        if self.chosen_priorities:
            by_code = {e.element.code: e for e in self.figures.elements}
            return [by_code[code] for code in self.chosen_priorities if code in by_code]
        return self.figures.priorities(3)

    @property
    def strengths(self) -> list[Any]:
        return self.figures.strengths(3) if self.ikm is not None else []  # type: ignore[union-attr]

    @property
    def first_day(self) -> dt.date | None:
        return timezone.localtime(self.tally.first).date() if self.tally.first else None

    @property
    def last_day(self) -> dt.date | None:
        return timezone.localtime(self.tally.last).date() if self.tally.last else None

    @property
    def channels(self) -> str:
        """The survey methods used, e.g. "Daring, Kuesioner kertas"."""
        group = next((g for g in self.profile if g.name == "Metode survei"), None)
        used = [label for label, count, _ in group.rows if count and label != NOT_FILLED] if group else []
        return ", ".join(used) or "–"

    @property
    def element_names(self) -> dict[str, str]:
        return {e.code: f"U{e.u} {e.name}" for e in ELEMENTS}


def _schedule(period: Period, tally: Tally, window: list[str | None]) -> list[ScheduleRow]:
    """BAB II's timetable, derived from the period and the first and last response dates."""
    first = timezone.localtime(tally.first).date() if tally.first else None
    last = timezone.localtime(tally.last).date() if tally.last else None
    begin = dt.date.fromisoformat(window[0]) if window[0] else (first or period.start)
    end = dt.date.fromisoformat(window[1]) if window[1] else (last or period.end)
    begin, end = min(begin, first or begin), max(end, last or end)
    preparation_end = max(begin - dt.timedelta(days=1), period.start)
    preparation_begin = min(_back_working_days(begin, 5), preparation_end)
    processing_end = add_working_days(end, 5)
    reporting_end = (
        period.report_deadline
        if period.report_deadline and period.report_deadline > processing_end
        else add_working_days(processing_end, 5)
    )
    return [
        ScheduleRow("Persiapan (pembentukan tim, penyiapan kuesioner)", preparation_begin, preparation_end),
        ScheduleRow("Pengumpulan data", begin, end),
        ScheduleRow("Pengolahan dan analisis data", end + dt.timedelta(days=1), processing_end),
        ScheduleRow("Penyusunan dan pelaporan hasil", processing_end + dt.timedelta(days=1), reporting_end),
    ]


def _back_working_days(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day -= dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


def build(unit: Unit, period: Period, content: dict[str, Any], frozen: bool = False) -> ReportData:
    """Score the collected content with the SKM core and resolve the narrative defaults."""
    weight = Weight.parse(content["weight"])
    tally = tally_from_json(content["tally"])
    score = tally.score(weight)
    services = []
    for row in content["services"]:
        service_tally = tally_from_json(row["tally"])
        services.append((row["name"], service_tally, service_tally.score(weight)))
    profile = []
    for group in content["profile"]:
        total = sum(count for _, count in group["rows"]) or 1
        profile.append(
            ProfileGroup(group["name"], [(label, count, 100 * count / total) for label, count in group["rows"]])
        )
    names = {e.code: f"U{e.u} {e.name}" for e in ELEMENTS}
    plan = [{**row, "element_name": names.get(row["element"], row["element"])} for row in content["plan"]]
    previous_plan = [
        {**row, "element_name": names.get(row["element"], row["element"])} for row in content["previous_plan"]
    ]
    if "result" in content:  # version 3: the counted result, whatever its source
        counted = content["result"]
        figures = figures_from_json(counted["figures"]) if counted["figures"] else None
        trend = [
            (row["name"], figures_from_json(row["result"]["figures"]) if row["result"]["figures"] else None)
            for row in content["trend"]
        ]
    else:  # versions 1 and 2 froze the system tally only
        counted = {"source": "system" if tally.respondents else None}
        figures = figures_of(score) if tally.respondents else None
        trend = [(row["name"], figures_of(tally_from_json(row["tally"]).score(weight))) for row in content["trend"]]
    trend.append((period.name, figures))
    data = ReportData(
        unit=unit,
        period=period,
        city_name=settings.SKM_CITY_NAME,
        weight=weight,
        tally=tally,
        score=score,
        services=services,
        profile=profile,
        population=content.get("population"),
        plan=plan,
        previous_period=content.get("previous_period"),
        previous_plan=previous_plan,
        trend=trend,
        narrative={},
        schedule=_schedule(period, tally, content.get("survey_window") or [None, None]),
        collected_at=dt.datetime.fromisoformat(content["collected_at"]),
        frozen=frozen,
        perception=content.get("perception"),
        funnel=content.get("funnel"),
        figures=figures,
        source=counted.get("source"),
        flags=tuple(counted.get("flags", ())),
        stated_ikm=Fraction(counted["stated_ikm"]) if counted.get("stated_ikm") else None,
        stated_mutu=counted.get("stated_mutu"),
        rolled_up=counted.get("rolled_up", ""),
        chosen_priorities=tuple(content.get("priorities") or ()),
    )
    defaults = default_narrative(data)
    data.narrative.update(
        {name: (content["narrative"].get(name) or "").strip() or defaults[name] for name in NARRATIVE_FIELDS}
    )
    return data


def report_data(unit: Unit, period: Period) -> ReportData:
    """The report as it stands: from the snapshot once submitted or accepted, else from live data."""
    report = UnitReport.objects.filter(unit=unit, period=period).first()
    if report and report.frozen and report.snapshot:
        return build(unit, period, report.snapshot, frozen=True)
    return build(unit, period, collect(unit, period, report))


def frozen_differs(snapshot: dict[str, Any], live: UnitResult) -> bool:
    """True when a submitted report's numbers are no longer the live ones (later exclusions, late entries,
    another result imported or chosen). Reads every snapshot version."""
    frozen_tally = snapshot["tally"]
    live_tally = tally_to_json(live.tally or Tally())
    if "result" not in snapshot:  # versions 1 and 2: the system tally is all that was frozen
        return live_tally != frozen_tally
    frozen = snapshot["result"]
    frozen_ikm = frozen["figures"]["ikm"] if frozen["figures"] else None
    live_ikm = None if live.ikm is None else str(live.ikm)
    return (live.source, live_ikm, live.respondents) != (
        frozen["source"],
        frozen_ikm,
        frozen["figures"]["respondents"] if frozen["figures"] else 0,
    ) or (live.source == "system" and live_tally != frozen_tally)


def live_differs(report: UnitReport) -> bool:
    """True when the live result no longer equals the frozen one."""
    if not report.snapshot:
        return False
    return frozen_differs(report.snapshot, unit_result(report.unit, report.period))


# --- Narrative defaults --------------------------------------------------------------------------


def _element_list(scores: list[Any]) -> str:
    names = [f"{s.element.name} ({format_number(s.score)})" for s in scores]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " dan " + names[-1]


def integrity_sentence(counts: integrity.Counts) -> str:
    """ " Pemeriksaan integritas menandai 12 respons: …" (empty without flags), for the unit and city reports."""
    if not counts.flagged:
        return ""
    return (
        f" Pemeriksaan integritas menandai {format_number(counts.flagged, 0)} respons: "
        f"{format_number(counts.excluded, 0)} dikeluarkan dari perhitungan, {format_number(counts.kept, 0)} tetap "
        f"dihitung setelah diperiksa, {format_number(counts.pending, 0)} masih menunggu keputusan (tetap dihitung)."
    )


def default_narrative(data: ReportData) -> dict[str, str]:
    """Pre-filled Indonesian text, a starting point the operator edits in the browser."""
    unit, period, city = data.unit.name, data.period.name, data.city_name
    band = data.band
    if data.ikm is None:
        result = (
            f"Pada {period} belum terdapat cukup data survei untuk menghitung Indeks Kepuasan Masyarakat (IKM) {unit}."
        )
        analysis = result
    else:
        result = (
            f"Nilai IKM {unit} pada {period} adalah {format_number(data.ikm)} dengan mutu pelayanan "
            f"{band.letter if band else '–'} ({band.kinerja if band else '–'}), dari "
            f"{format_number(data.respondents, 0)} responden."
        )
        if data.source == "system":
            result += integrity_sentence(integrity.counts(data.period, [data.unit.pk]))
        if data.source == "imported":
            origin = (
                f"gabungan {data.rolled_up}, dibobot jumlah responden" if data.rolled_up else "hasil yang dikirim unit"
            )
            result += (
                f" Nilai ini berasal dari hasil impor ({origin}), bukan dari respons yang dikumpulkan di Sumber Daya."
            )
            if data.flags and data.stated_ikm is not None:
                result += (
                    f" IKM yang dikirim ({format_number(data.stated_ikm)}, mutu {data.stated_mutu or '–'}) "
                    "tidak sesuai dengan nilai unsurnya; yang dihitung adalah IKM dari nilai unsur."
                )
        which = (
            "Unsur prioritas perbaikan yang dipilih unit adalah"
            if data.chosen_priorities
            else "Unsur dengan nilai terendah, yang diusulkan menjadi prioritas perbaikan, adalah"
        )
        analysis = (
            f"{result} {which} "
            f"{_element_list(data.priorities)}. Unsur dengan nilai tertinggi adalah "
            f"{_element_list(data.strengths)}; kualitas pada unsur-unsur ini perlu dipertahankan.\n\n"
            "Rencana tindak lanjut disusun untuk unsur prioritas perbaikan dengan memperhatikan saran dan "
            "keluhan yang disampaikan responden."
        )
    return {
        "background": (
            "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik mewajibkan setiap penyelenggara "
            "pelayanan publik melakukan penilaian kinerja secara berkala, antara lain melalui survei "
            "kepuasan masyarakat. Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi "
            "Nomor 14 Tahun 2017 menetapkan pedoman penyusunan Survei Kepuasan Masyarakat (SKM) sebagai "
            "tolok ukur untuk menilai tingkat kualitas pelayanan.\n\n"
            f"Sebagai unit penyelenggara pelayanan publik di lingkungan Pemerintah {city}, {unit} "
            f"melaksanakan SKM pada {period} untuk mengetahui tingkat kepuasan penerima layanan dan "
            "menjadikannya dasar perbaikan kualitas pelayanan secara berkelanjutan."
        ),
        "legal_basis": (
            "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik.\n"
            "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 "
            "tentang Pelayanan Publik.\n"
            "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 "
            "tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik."
        ),
        "purpose": (
            "Maksud pelaksanaan SKM adalah mengetahui tingkat kepuasan masyarakat atas pelayanan yang "
            f"diberikan oleh {unit}.\n\n"
            "Tujuannya adalah mengukur kinerja pelayanan secara berkala, mengetahui kelemahan dan kekuatan "
            "setiap unsur pelayanan, dan menetapkan rencana tindak lanjut perbaikan kualitas pelayanan."
        ),
        "team": (
            f"SKM dilaksanakan secara swakelola oleh tim pelaksana yang dibentuk oleh pimpinan {unit}, "
            "terdiri atas penanggung jawab, ketua, sekretaris dan anggota yang bertugas menyiapkan kuesioner, "
            "mengumpulkan dan mengolah data, serta menyusun laporan."
        ),
        "analysis": analysis,
        "conclusion": (
            f"{result} Hasil ini menjadi dasar penyusunan rencana tindak lanjut pada unsur prioritas "
            "perbaikan, yang pelaksanaannya akan dipantau dan dilaporkan pada periode berikutnya. Hasil SKM "
            "dipublikasikan kepada masyarakat sebagai wujud transparansi penyelenggaraan pelayanan publik."
        ),
    }
