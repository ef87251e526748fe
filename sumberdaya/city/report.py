"""The city's annual SKM report (Laporan SKM Kota) as the Bagian Organisasi publishes it (SKM.md section 5).

BAB I Pendahuluan (latar belakang, dasar, maksud dan tujuan); BAB II Pengumpulan data (the units by group,
method, location, the schedule table and the Sekda's deadline letter); BAB III Hasil (one recap table per
group with its average, the city average and the counts per category, the trend since the first year
available with the units behind each figure); BAB IV Kesimpulan (the generated sentences, units without a
report and why, units surveying for the first time only when history exists); the Sekda's signature;
appendices (imported results and their check, the unit reports received, the elements).

`city_document(period)` builds it once as blocks (`reports.blocks`); `render_city_report(period, fmt)`
writes them as PDF, Word or Excel. Every number comes from `results.service.period_results`, the same data
as the recap page and `/hasil/`. Every generated sentence has a key in `sentences()`; the admin's edit
(or removal: an empty text) is kept per period in `ReportNarrative.sentences`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone, translation

from sumberdaya.city.followup_summary import FollowupSummary, followup_for
from sumberdaya.city.history import PUBLISHED, city_trend
from sumberdaya.city.models import ReportNarrative
from sumberdaya.core.charts import trend_chart
from sumberdaya.reports import blocks as B
from sumberdaya.reports import documents as doc
from sumberdaya.reports.render import category, introduction, schedule_table
from sumberdaya.reports.unit import ScheduleRow, add_working_days, integrity_sentence
from sumberdaya.results.service import (
    IMPORTED,
    SYSTEM,
    PeriodResults,
    TrendPoint,
    UnitResult,
    new_units,
    period_results,
    trend_table,
)
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.numbers import format_number
from sumberdaya.surveys import integrity
from sumberdaya.surveys.models import Period

Format = Literal["pdf", "docx", "xlsx"]
NARRATIVE_FIELDS = ("background", "legal_basis", "purpose", "location", "schedule", "conclusion")
ELEMENT_HEADERS = [e.key.upper() for e in ELEMENTS]
# Widths in cm on A4 landscape (26,7 cm between the margins): the text columns get room to wrap.
RECAP_COLUMNS = (
    B.Column("No", 0.6, "int"),
    B.Column("Unit", 2.8),
    B.Column("Periode", 1.8),
    *[B.Column(key, 0.9, "number") for key in ELEMENT_HEADERS],
    B.Column("IKM", 1.0, "number"),
    B.Column("Kategori", 1.5),
    B.Column("Jumlah responden", 1.1, "int"),
    B.Column("Metode", 1.9),
    B.Column("Unsur prioritas perbaikan", 3.0),
    B.Column("Rencana tindak lanjut", 2.3),
    B.Column("Realisasi RTL periode sebelumnya", 2.2),
)
RECAP_HEADER = [c.title for c in RECAP_COLUMNS]


def default_narrative(period: Period) -> dict[str, str]:
    """The standard text of each narrative part; the admin edits it in the city's ReportNarrative."""
    city = settings.SKM_CITY_NAME
    schedule = (
        f"Survei dilaksanakan dalam {period.name} ({doc.tanggal(period.start)} sampai {doc.tanggal(period.end)})."
    )
    if period.input_deadline:
        schedule += f" Batas input data hasil survei {doc.tanggal(period.input_deadline)}."
    if period.report_deadline:
        schedule += f" Batas penyampaian laporan {doc.tanggal(period.report_deadline)}."
    schedule += (
        " Setiap unit dapat menetapkan rentang waktu survei sendiri di dalam periode tersebut; rentang tiap unit"
        " tercantum pada kolom Periode tabel rekapitulasi."
    )
    return {
        "background": (
            "Pelayanan publik yang baik merupakan hak setiap warga negara. Undang-Undang Nomor 25 Tahun 2009 "
            "tentang Pelayanan Publik mewajibkan penyelenggara pelayanan untuk secara berkala menilai kinerja "
            "pelayanannya dengan melibatkan masyarakat.\n\n"
            "Survei Kepuasan Masyarakat (SKM) adalah pengukuran kepuasan masyarakat atas pelayanan yang "
            f"diterimanya. Pemerintah {city} melalui Bagian Organisasi Sekretariat Daerah menghimpun hasil SKM "
            "seluruh unit penyelenggara pelayanan publik sebagai bahan evaluasi dan perbaikan pelayanan."
        ),
        "legal_basis": "\n".join(
            [
                "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
                "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 "
                "tentang Pelayanan Publik;",
                "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 tentang "
                "Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik.",
            ]
        ),
        "purpose": (
            "Maksud penyusunan laporan ini adalah menyajikan hasil SKM seluruh unit penyelenggara pelayanan "
            f"publik di lingkungan Pemerintah {city} pada {period.name}.\n\n"
            "Tujuannya adalah mengetahui Indeks Kepuasan Masyarakat (IKM) setiap unit, setiap kelompok unit "
            "dan kota; mengetahui unsur pelayanan yang perlu diperbaiki; serta menjadi bahan penetapan "
            "kebijakan peningkatan kualitas pelayanan publik."
        ),
        "location": (
            "Survei dilaksanakan di lokasi pelayanan masing-masing unit dan secara daring melalui tautan dan "
            "kode QR Sumber Daya. Unit yang melaksanakan survei bersama pihak ketiga atau dengan kuesioner "
            "kertas menyampaikan hasilnya kepada Bagian Organisasi."
        ),
        "schedule": schedule,
        "conclusion": "",
    }


def narrative_for(period: Period) -> dict[str, str]:
    stored = ReportNarrative.objects.filter(period=period).first()
    defaults = default_narrative(period)
    return {
        name: (getattr(stored, name) if stored and getattr(stored, name).strip() else defaults[name])
        for name in NARRATIVE_FIELDS
    }


@dataclass
class CityReportData:
    period: Period
    results: PeriodResults
    new_units: list[UnitResult]
    has_history: bool
    trend_points: list[TrendPoint]
    trend_periods: list[Period]
    trend_rows: list[tuple[str, list[TrendPoint | None]]]
    narrative: dict[str, str]
    stored: ReportNarrative | None
    city_name: str
    followups: dict[int, FollowupSummary]

    def followup(self, row: UnitResult) -> FollowupSummary:
        return self.followups.get(row.unit.pk, FollowupSummary())

    @property
    def channel_counts(self) -> list[tuple[str, int]]:
        """How many units used each method (a unit may use several)."""
        counter: Counter[str] = Counter()
        for row in self.results.with_result:
            if row.source == SYSTEM:
                for name in row.channels.split(", "):
                    if name:
                        counter[name] += 1
            else:
                counter["Hasil impor (pihak ketiga/kertas)"] += 1
        return counter.most_common()

    @property
    def respondents(self) -> int:
        return sum(r.respondents for r in self.results.with_result)

    def trend_chart(self) -> Any:
        points = [(p.series, p.period.name, float(p.value) if p.value is not None else None) for p in self.trend_points]
        return trend_chart(points, width=620) if len(self.trend_periods) >= 2 else None

    def missing_reason(self, row: UnitResult) -> str:
        reasons = self.stored.missing_reasons if self.stored else {}
        return str(reasons.get(row.unit.code, "")).strip() or "Belum menyampaikan hasil SKM"


def _n(value: int) -> str:
    return format_number(value, 0)


def generated_sentences(data: CityReportData) -> dict[str, str]:
    """Every sentence the report writes from the data, by key, before the admin's edits."""
    r = data.results
    city = r.city
    period = data.period
    out: dict[str, str] = {}
    out["units"] = (
        f"{_n(len(r.rows))} unit penyelenggara pelayanan publik di lingkungan Pemerintah {data.city_name} tercatat "
        f"dalam {_n(len(r.groups))} kelompok; {_n(len(r.with_result))} unit memiliki hasil SKM pada {period.name} "
        f"dengan total {_n(data.respondents)} responden."
    ) + integrity_sentence(integrity.counts(period))
    stored = data.stored
    if stored and stored.letter_number:
        when = f" tanggal {doc.tanggal(stored.letter_date)}" if stored.letter_date else ""
        deadline = (
            f" menetapkan batas input data hasil survei {doc.tanggal(period.input_deadline)}"
            if period.input_deadline
            else ""
        )
        report_deadline = (
            f"{' dan' if deadline else ' menetapkan'} batas penyampaian laporan {doc.tanggal(period.report_deadline)}"
            if period.report_deadline
            else ""
        )
        out["letter"] = (
            f"Surat Sekretaris Daerah {data.city_name} Nomor {stored.letter_number}{when}{deadline}{report_deadline}."
        )
    if city.value is not None and city.band is not None:
        out["city"] = (
            f"Indeks Kepuasan Masyarakat {data.city_name} pada {period.name} adalah {format_number(city.value)} "
            f"dengan mutu pelayanan {category(city.band)}, dihitung dari {_n(city.units)} unit "
            f"(metode: {r.method.label}; bobot unsur {r.weight.label})."
        )
    counts = ", ".join(f"{_n(n)} unit mutu {letter} ({kinerja})" for letter, kinerja, n in r.band_counts() if n)
    if counts:
        out["categories"] = f"Sebaran kategori: {counts}."
    ranked = [g for g in r.groups if g.aggregate.value is not None]
    if len(ranked) >= 2:
        top = max(ranked, key=lambda g: g.aggregate.value or 0)
        low = min(ranked, key=lambda g: g.aggregate.value or 0)
        out["groups"] = (
            f"Rata-rata kelompok tertinggi {top.name} ({format_number(top.aggregate.value)}), "
            f"terendah {low.name} ({format_number(low.aggregate.value)})."
        )
    missing = r.without_result
    out["missing"] = (
        f"{_n(len(missing))} unit belum melaporkan hasil SKM (daftar dan alasannya pada subbab 4.1)."
        if missing
        else "Seluruh unit telah melaporkan hasil SKM."
    )
    # Only with earlier periods in the system can a unit be said to survey for the first time.
    if data.new_units:
        out["new_units"] = (
            f"{_n(len(data.new_units))} unit melaksanakan SKM untuk pertama kali dan masih perlu pembinaan "
            "(subbab 4.2)."
        )
    if r.imported_rows:
        out["imported"] = (
            f"{_n(len(r.imported_rows))} hasil unit berasal dari impor (survei pihak ketiga atau kertas) "
            "dan ditandai pada tabel."
        )
    return out


SENTENCE_LABELS = {
    "units": "BAB II – jumlah unit dan responden",
    "letter": "BAB II – surat Sekda tentang batas waktu",
    "city": "BAB IV – IKM kota",
    "categories": "BAB IV – sebaran kategori",
    "groups": "BAB IV – kelompok tertinggi dan terendah",
    "missing": "BAB IV – unit yang belum melapor",
    "new_units": "BAB IV – unit yang baru pertama kali",
    "imported": "BAB IV – hasil impor",
}


def sentences(data: CityReportData) -> dict[str, str]:
    """The sentences as printed: the admin's text where edited, nothing where removed (empty)."""
    edited = data.stored.sentences if data.stored else {}
    out = {}
    for key, text in generated_sentences(data).items():
        chosen = edited.get(key, text) if isinstance(edited.get(key, text), str) else text
        if chosen.strip():
            out[key] = chosen.strip()
    return out


def city_schedule(period: Period, first: dt.date | None, last: dt.date | None) -> list[ScheduleRow]:
    """BAB II's timetable: preparation before the period, data collection as the units did it, then
    processing up to the input deadline (or ten working days) and reporting up to the report deadline."""
    begin = first or period.start
    end = last or period.end
    preparation_begin = period.start - dt.timedelta(days=14) if begin <= period.start else period.start
    preparation_end = max(begin - dt.timedelta(days=1), preparation_begin)
    processing_end = period.input_deadline if period.input_deadline and period.input_deadline > end else None
    processing_end = processing_end or add_working_days(end, 10)
    reporting_end = (
        period.report_deadline if period.report_deadline and period.report_deadline > processing_end else None
    )
    reporting_end = reporting_end or add_working_days(processing_end, 10)
    return [
        ScheduleRow("Persiapan", preparation_begin, preparation_end),
        ScheduleRow("Pengumpulan data", begin, end),
        ScheduleRow("Pengolahan dan analisis data", end + dt.timedelta(days=1), processing_end),
        ScheduleRow("Penyusunan dan pelaporan hasil", processing_end + dt.timedelta(days=1), reporting_end),
    ]


def city_report_data(period: Period) -> CityReportData:
    results = period_results(period)
    points = city_trend(period, results.weight, results.method)
    trend_periods, trend_rows = trend_table(points)
    return CityReportData(
        period=period,
        results=results,
        new_units=new_units(results),
        has_history=Period.objects.filter(end__lt=period.start).exists(),
        trend_points=points,
        trend_periods=trend_periods,
        trend_rows=trend_rows,
        narrative=narrative_for(period),
        stored=ReportNarrative.objects.filter(period=period).first(),
        city_name=settings.SKM_CITY_NAME,
        followups=followup_for([row.unit for row in results.rows], period),
    )


def city_fingerprint(period: Period) -> str:
    """What the city report depends on, for reusing a built file (`reports.building.fingerprint`)."""
    from sumberdaya.reports.building import fingerprint

    changed = tuple(ReportNarrative.objects.filter(period=period).values_list("updated_at", flat=True))
    return fingerprint(period, extra=changed)


def unit_name(row: UnitResult) -> str:
    return row.unit.name + (" (impor)" if row.source == IMPORTED else "") + (" *" if row.flagged else "")


def priority_names(row: UnitResult, followup: FollowupSummary) -> str:
    """The unit's chosen priority elements by name; else the lowest elements, proposed."""
    if followup.priorities:
        return "; ".join(e.name for e in followup.priorities)
    return "; ".join(e.name for e in row.priorities) + " (usulan)" if row.priorities else "–"


def recap_cells(number: int, row: UnitResult, followup: FollowupSummary) -> tuple[B.Cell, ...]:
    """One unit's line of the recap table in the report's column order, as typed values."""
    return (
        number,
        unit_name(row),
        row.window,
        *row.elements,
        row.ikm,
        category(row.band) if row.has_result else "–",
        row.respondents,
        row.channels or "–",
        priority_names(row, followup),
        followup.rtl_full,
        followup.realisation_full,
    )


def _check_text(row: UnitResult) -> str:
    """The import check of a row: the flags in words, and what was stated when it differs."""
    if not row.flags:
        return "Sesuai"
    stated = f" Dikirim: IKM {format_number(row.stated_ikm)}, mutu {row.stated_mutu or '–'}." if row.stated_ikm else ""
    return row.flag_text + "." + stated


def _report_state(followup: FollowupSummary) -> str:
    from sumberdaya.city.followup_summary import REPORT_LATE, REPORT_MISSING, REPORT_ON_TIME

    return {
        REPORT_ON_TIME: "Tepat waktu",
        REPORT_LATE: "Terlambat",
        REPORT_MISSING: "Belum diajukan",
    }.get(followup.report or "", "Belum diajukan")


def city_document(data: CityReportData) -> B.Document:
    r = data.results
    period = data.period
    said = sentences(data)
    narrative = data.narrative
    d = B.Document(f"Laporan SKM {data.city_name} {period.name}", f"Laporan SKM {data.city_name} · {period.name}")
    d.add(
        B.Cover(
            kicker="Laporan",
            title="Survei Kepuasan Masyarakat",
            subject="Unit Penyelenggara Pelayanan Publik",
            subtitle=period.name,
            figure_label="Indeks Kepuasan Masyarakat kota",
            figure=format_number(r.city.value),
            figure_note=f"Mutu pelayanan {category(r.city.band)} · {_n(r.city.units)} unit · "
            f"{_n(data.respondents)} responden",
            footer=(f"Pemerintah {data.city_name}", "Bagian Organisasi Sekretariat Daerah", str(period.end.year)),
        ),
    )
    introduction(d, narrative)

    d.add(B.Heading("BAB II\nPENGUMPULAN DATA SURVEI KEPUASAN MASYARAKAT"), B.Heading("2.1 Unit Pelaksana", 2))
    if "units" in said:
        d.add(B.Paragraph(said["units"]))
    d.add(
        B.Table(
            (
                B.Column("No", 1.0, "int"),
                B.Column("Kelompok unit", 8.0),
                B.Column("Jumlah unit", 3.0, "int"),
                B.Column("Unit dengan hasil", 3.5, "int"),
            ),
            tuple((i, g.name, len(g.rows), len(g.with_result)) for i, g in enumerate(r.groups, start=1)),
        )
    )
    for group in r.groups:
        d.add(
            B.Paragraph(f"{group.name} ({_n(len(group.rows))} unit)", "strong"),
            B.Table(
                (
                    B.Column("No", 1.0, "int"),
                    B.Column("Unit penyelenggara pelayanan", 11.0),
                    B.Column("Hasil SKM", 3.5),
                ),
                tuple(
                    (i, row.unit.name, "Ada" if row.has_result else "Belum ada")
                    for i, row in enumerate(group.rows, start=1)
                ),
                size="small",
            ),
        )
    d.add(
        B.Heading("2.2 Metode", 2),
        B.Paragraph(
            "Data dikumpulkan dengan kuesioner sembilan unsur pelayanan sesuai PermenPAN-RB Nomor 14 Tahun 2017 "
            f"({period.questionnaire_version}), skala 1–4. Nilai indeks dihitung dengan bobot {r.weight.label} "
            f"per unsur. Metode rata-rata kelompok dan kota: {r.method.label}."
        ),
        B.Table(
            (B.Column("Metode", 11.0), B.Column("Jumlah unit", 4.5, "int")),
            tuple(data.channel_counts),
            empty="–",
        ),
        B.Heading("2.3 Lokasi", 2),
    )
    d.paragraphs(narrative["location"])
    d.add(B.Heading("2.4 Waktu Pelaksanaan", 2))
    d.paragraphs(narrative["schedule"])
    firsts = [row.first for row in r.with_result if row.first]
    lasts = [row.last for row in r.with_result if row.last]
    d.add(
        schedule_table(city_schedule(period, min(firsts, default=None), max(lasts, default=None)), "Waktu pelaksanaan")
    )
    if "letter" in said:
        d.add(B.Paragraph(said["letter"]))

    d.add(
        B.Orientation(landscape=True),
        B.Heading("BAB III\nHASIL SURVEI KEPUASAN MASYARAKAT"),
        B.Heading("3.1 Rekapitulasi IKM per kelompok unit", 2),
    )
    printed = 0
    for group in r.groups:
        if not group.with_result:
            continue
        aggregate = group.aggregate
        if printed and len(group.with_result) > B.KEEP_ROWS:
            # A long group's table starts on a page of its own (its heading never left at a page's foot),
            # which also lets the PDF lay the recap out in parallel parts (reports.pdf).
            d.add(B.PageBreak())
        printed += 1
        d.add(
            B.Heading(
                f"{group.name} – rata-rata IKM {format_number(aggregate.value)} "
                f"({aggregate.band.letter}, {aggregate.band.kinerja}), {_n(aggregate.units)} unit"
                if aggregate.band
                else f"{group.name} – rata-rata IKM –, {_n(aggregate.units)} unit",
                3,
            ),
            B.Table(
                RECAP_COLUMNS,
                tuple(recap_cells(i, row, data.followup(row)) for i, row in enumerate(group.with_result, start=1)),
                size="tiny",
                keep=False,
            ),
        )
    d.add(
        B.Paragraph(
            "(impor) = hasil dikirim unit dari survei pihak ketiga atau kuesioner kertas; * = hasil impor bertanda, "
            "lihat Lampiran 1. Unsur prioritas perbaikan: pilihan unit; bila unit belum memilih, unsur dengan nilai "
            "terendah, ditandai (usulan).",
            "note",
        ),
        B.Orientation(landscape=False),
        B.Heading("3.2 IKM Kota", 2),
    )
    if "city" in said:
        d.add(B.Paragraph(said["city"]))
    d.add(
        B.Table(
            (B.Column("Kategori", 3.0), B.Column("Kinerja", 6.5), B.Column("Jumlah unit", 3.0, "int")),
            tuple((letter, kinerja, n) for letter, kinerja, n in r.band_counts())
            + (("–", "Belum ada hasil", len(r.without_result)),),
        ),
        B.Table(
            (
                B.Column("Kelompok", 7.0),
                B.Column("Jumlah unit", 3.0, "int"),
                B.Column("Rata-rata IKM", 3.0, "number"),
                B.Column("Kategori", 3.5),
            ),
            tuple(
                (g.name, g.aggregate.units, g.aggregate.value, category(g.aggregate.band))
                for g in r.groups
                if g.aggregate.units
            )
            + ((data.city_name, r.city.units, r.city.value, category(r.city.band)),),
            total_rows=frozenset({sum(1 for g in r.groups if g.aggregate.units)}),
            caption="Rata-rata IKM per kelompok dan kota",
        ),
        B.Heading("3.3 Tren IKM", 2),
    )
    chart = data.trend_chart()
    if data.trend_periods:
        first_year = data.trend_periods[0].name
        d.add(
            B.Paragraph(
                f"Tren IKM sejak {first_year}, tahun pertama yang datanya tersedia; angka dalam kurung adalah "
                "jumlah unit yang menjadi dasar rata-rata tahun itu. Tahun yang belum memiliki data unit di "
                "Sumber Daya memakai angka yang diterbitkan kota (ditandai † dan “angka terbit”).",
            )
        )
        city_row = next((cells for name, cells in data.trend_rows if name == "Kota"), [])
        d.add(
            B.Table(
                (
                    B.Column("Tahun", 3.0),
                    B.Column("IKM kota", 2.8, "number"),
                    B.Column("Kategori", 3.8),
                    B.Column("Jumlah unit", 2.6, "int"),
                    B.Column("Sumber", 3.3),
                ),
                tuple(
                    (
                        p.name,
                        c.value if c else None,
                        category(band_of(c)),
                        c.units if c and c.units else None,
                        ("Angka terbit" if c.source == PUBLISHED else "Sumber Daya")
                        if c and c.value is not None
                        else "–",
                    )
                    for p, c in zip(data.trend_periods, city_row, strict=False)
                ),
            ),
        )
        if chart is not None:
            d.add(B.Figure(chart, "Grafik tren IKM kota dan kelompok unit", 15.5))
        d.add(
            B.Table(
                (
                    # The years get the room: "81,02† (140)" should not wrap, even over six or more years.
                    B.Column("Kelompok", 3.4),
                    *[B.Column(p.name, 12.1 / len(data.trend_periods)) for p in data.trend_periods],
                ),
                tuple((name, *[_trend_cell(c) for c in cells]) for name, cells in data.trend_rows),
                total_rows=frozenset(i for i, (name, _cells) in enumerate(data.trend_rows) if name == "Kota"),
                caption="IKM per kelompok (jumlah unit)",
                size="small" if len(data.trend_periods) <= 4 else "tiny",
            )
        )
    else:
        d.add(B.Paragraph("Belum ada data tahun sebelumnya."))

    d.add(B.Heading("BAB IV\nKESIMPULAN"))
    conclusion = [
        said[key] for key in ("city", "categories", "groups", "missing", "new_units", "imported") if key in said
    ]
    if conclusion:
        d.add(B.NumberedList(tuple(conclusion)))
    if narrative["conclusion"].strip():
        d.paragraphs(narrative["conclusion"])
    d.add(
        B.Heading("4.1 Unit yang belum melaporkan hasil", 2),
        B.Table(
            (B.Column("No", 1.0, "int"), B.Column("Unit", 6.5), B.Column("Kelompok", 3.5), B.Column("Keterangan", 4.5)),
            tuple(
                (i, row.unit.name, row.group, data.missing_reason(row))
                for i, row in enumerate(r.without_result, start=1)
            ),
        ),
    )
    if data.has_history:
        d.add(
            B.Heading("4.2 Unit yang baru pertama kali melaksanakan SKM", 2),
            B.Table(
                (
                    B.Column("No", 1.0, "int"),
                    B.Column("Unit", 8.0),
                    B.Column("Kelompok", 4.0),
                    B.Column("IKM", 2.5, "number"),
                ),
                tuple((i, row.unit.name, row.group, row.ikm) for i, row in enumerate(data.new_units, start=1)),
            ),
        )
    d.add(_signature(data))

    d.add(
        B.Heading("LAMPIRAN"),
        B.Heading("Lampiran 1. Hasil impor dan catatan pemeriksaan", 2),
        B.Table(
            (
                B.Column("No", 1.0, "int"),
                B.Column("Unit", 4.5),
                B.Column("Metode", 2.8),
                B.Column("IKM", 1.6, "number"),
                B.Column("Mutu", 1.3),
                B.Column("Catatan pemeriksaan", 4.5),
            ),
            tuple(
                (i, row.unit.name, row.channels, row.ikm, row.letter or "–", _check_text(row))
                for i, row in enumerate(r.imported_rows, start=1)
            ),
            empty="Tidak ada hasil impor.",
            size="small",
        ),
        B.Heading("Lampiran 2. Laporan SKM unit", 2),
        B.Table(
            (
                B.Column("No", 1.0, "int"),
                B.Column("Unit", 7.5),
                B.Column("Status laporan", 3.5),
                B.Column("Diajukan", 3.5),
            ),
            tuple(
                (i, row.unit.name, _report_state(data.followup(row)), _submitted_day(data.followup(row)))
                for i, row in enumerate(r.rows, start=1)
            ),
            size="small",
        ),
        B.Heading("Lampiran 3. Unsur pelayanan", 2),
        B.Table((B.Column("Kode", 2.0), B.Column("Unsur", 13.5)), tuple((e.key.upper(), e.name) for e in ELEMENTS)),
    )
    return d


def _trend_cell(point: TrendPoint | None) -> str:
    """ "88,73 (52)"; a published figure is marked † and shows its unit count only when the city stated it."""
    if point is None or point.value is None:
        return "–"
    mark = "†" if point.source == PUBLISHED else ""
    return f"{format_number(point.value)}{mark}" + (f" ({_n(point.units)})" if point.units else "")


def _submitted_day(followup: FollowupSummary) -> dt.date | None:
    return timezone.localtime(followup.submitted_at).date() if followup.submitted_at else None


def band_of(point: TrendPoint | None) -> Any:
    from sumberdaya.skm.scoring import band_for

    return band_for(point.value) if point is not None and point.value is not None else None


def _signature(data: CityReportData) -> B.Signature:
    stored = data.stored
    place = data.city_name.removeprefix("Kota ").removeprefix("Kabupaten ")
    day = stored.signed_date if stored and stored.signed_date else timezone.localdate()
    return B.Signature(
        place_date=f"{place}, {doc.tanggal(day)}",
        title=(stored.signer_title if stored and stored.signer_title else f"Sekretaris Daerah {data.city_name}"),
        name=stored.signer_name if stored else "",
        nip=stored.signer_nip if stored else "",
        rank=stored.signer_rank if stored else "",
    )


def render_city_report(period: Period, fmt: Format, progress: Callable[[int, str], None] | None = None) -> bytes:
    if fmt not in ("pdf", "docx", "xlsx"):
        raise ValueError(f"Format laporan tidak dikenal: {fmt}")
    step = progress or (lambda _percent, _text: None)
    with translation.override("id"):  # an official Indonesian document, whatever the reader's UI language
        step(10, "Menghitung hasil seluruh unit")
        data = city_report_data(period)
        step(45, "Menyusun isi laporan")
        document = city_document(data)
        step(60, f"Menulis berkas {fmt.upper()}")
        if fmt == "pdf":
            return B.to_pdf(document)
        if fmt == "docx":
            return B.to_docx(document)
        return B.to_xlsx(document, extra=[lambda book: _recap_sheet(book, data)])


def _recap_sheet(book: Any, data: CityReportData) -> None:
    """The recap as one flat table (one row per unit, group and city), for sorting and filtering."""
    r = data.results
    sheet = book.create_sheet("Rekap")
    header = ["Kelompok", *RECAP_HEADER, "Sumber"]
    doc.append_row(sheet, header)
    doc.style_header(sheet)
    for group in r.groups:
        for i, row in enumerate(group.with_result, start=1):
            number, _name, *cells = recap_cells(i, row, data.followup(row))
            doc.append_row(
                sheet,
                [
                    group.name,
                    number,
                    row.unit.name,  # the source has its own column here
                    *[_num(v) if isinstance(v, Fraction) else v for v in cells],
                    "impor" if row.source == IMPORTED else "sistem",
                ],
            )
        doc.append_row(
            sheet,
            [
                group.name,
                "",
                f"Rata-rata {group.name}",
                "",
                *[""] * 9,
                _num(group.aggregate.value),
                category(group.aggregate.band),
                group.aggregate.units,
            ],
        )
    doc.append_row(
        sheet,
        [
            "Kota",
            "",
            f"Rata-rata {data.city_name}",
            "",
            *[""] * 9,
            _num(r.city.value),
            category(r.city.band),
            r.city.units,
        ],
    )
    for row_cells in sheet.iter_rows(min_row=2, min_col=5, max_col=14):
        for cell in row_cells:
            cell.number_format = "0.00"
    doc.set_widths(sheet, [20, 5, 36, 24, *[8] * 9, 8, 16, 11, 18, 28, 40, 40, 9])
    setup = sheet.page_setup
    setup.paperSize, setup.orientation = sheet.PAPERSIZE_A4, "landscape"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _num(value: Any) -> float | None:
    """A cell value rounded as printed (2 decimals); Excel formats it with the reader's locale."""
    from sumberdaya.results.service import display

    return display(value)
