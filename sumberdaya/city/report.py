"""The city's annual SKM report (Laporan SKM Kota) as PDF, Word and Excel.

Structure of the city's report: BAB I Pendahuluan (latar belakang, dasar, maksud dan tujuan); BAB II
Pengumpulan data (units, method, location, schedule); BAB III Hasil (the grouped recap tables, the trend);
BAB IV Kesimpulan (city average and category, units not reporting, units new this year); appendices.
Every number comes from `city.results.period_results`, the same data as the recap page and `/hasil/`.
`render_city_report(period, fmt)` is what `sumberdaya report city` and the recap page's downloads call.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone, translation

from sumberdaya.city.followup_summary import FollowupSummary, followup_for
from sumberdaya.city.models import ReportNarrative
from sumberdaya.core.charts import trend_chart
from sumberdaya.reports import documents as doc
from sumberdaya.results.service import (
    IMPORTED,
    SYSTEM,
    PeriodResults,
    TrendPoint,
    UnitResult,
    new_units,
    period_results,
    trend,
    trend_table,
)
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.numbers import format_number
from sumberdaya.surveys.models import Period

Format = Literal["pdf", "docx", "xlsx"]
NARRATIVE_FIELDS = ("background", "legal_basis", "purpose", "location", "schedule", "conclusion")
ELEMENT_HEADERS = [e.key.upper() for e in ELEMENTS]
RECAP_HEADER = [
    "No",
    "Unit",
    "Periode",
    *ELEMENT_HEADERS,
    "IKM",
    "Kategori",
    "Jumlah responden",
    "Metode",
    "Unsur prioritas perbaikan",
    "Rencana tindak lanjut",
    "Realisasi RTL periode sebelumnya",
]


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


def paragraphs(text: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


@dataclass
class CityReportData:
    period: Period
    results: PeriodResults
    new_units: list[UnitResult]
    trend_points: list[TrendPoint]
    trend_periods: list[Period]
    trend_rows: list[tuple[str, list[TrendPoint | None]]]
    narrative: dict[str, str]
    city_name: str
    generated: str
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

    def conclusion_lines(self) -> list[str]:
        r = self.results
        city = r.city
        lines = []
        if city.value is not None and city.band is not None:
            lines.append(
                f"Indeks Kepuasan Masyarakat {self.city_name} pada {self.period.name} adalah "
                f"{format_number(city.value)} dengan mutu pelayanan {city.band.letter} ({city.band.kinerja}), "
                f"dihitung dari {city.units} unit (metode: {r.method.label}; bobot unsur {r.weight.label})."
            )
        counts = ", ".join(f"{n} unit mutu {letter}" for letter, _k, n in r.band_counts() if n)
        if counts:
            lines.append(f"Sebaran kategori: {counts}.")
        best = [g for g in r.groups if g.aggregate.value is not None]
        if best:
            top = max(best, key=lambda g: g.aggregate.value or 0)
            low = min(best, key=lambda g: g.aggregate.value or 0)
            lines.append(
                f"Rata-rata kelompok tertinggi {top.name} ({format_number(top.aggregate.value)}), "
                f"terendah {low.name} ({format_number(low.aggregate.value)})."
            )
        missing = r.without_result
        lines.append(
            f"{len(missing)} unit belum melaporkan hasil SKM."
            if missing
            else "Seluruh unit telah melaporkan hasil SKM."
        )
        if self.new_units:
            lines.append(f"{len(self.new_units)} unit melaksanakan SKM untuk pertama kali dan masih perlu pembinaan.")
        if r.imported_rows:
            lines.append(
                f"{len(r.imported_rows)} hasil unit berasal dari impor (survei pihak ketiga atau kertas) "
                "dan ditandai pada tabel."
            )
        return lines


def city_report_data(period: Period) -> CityReportData:
    results = period_results(period)
    points = trend(period, results.weight, results.method)
    trend_periods, trend_rows = trend_table(points)
    return CityReportData(
        period=period,
        results=results,
        new_units=new_units(results),
        trend_points=points,
        trend_periods=trend_periods,
        trend_rows=trend_rows,
        narrative=narrative_for(period),
        city_name=settings.SKM_CITY_NAME,
        generated=doc.tanggal(timezone.now()),
        followups=followup_for([row.unit for row in results.rows], period),
    )


def recap_cells(number: int, row: UnitResult, followup: FollowupSummary) -> list[Any]:
    """One unit's line of the recap table, as text (docx/pdf) in the report's column order."""
    name = row.unit.name + (" (impor)" if row.source == IMPORTED else "") + (" *" if row.flagged else "")
    return [
        number,
        name,
        row.window,
        *[format_number(v) for v in row.elements],
        format_number(row.ikm),
        row.letter or "–",
        row.respondents,
        row.channels or "–",
        row.priority_codes,
        followup.rtl,
        followup.previous_realisation,
    ]


def _check_text(row: UnitResult) -> str:
    """The import check of a row: the flags in words, and what was stated when it differs."""
    if not row.flags:
        return "Sesuai"
    stated = f" Dikirim: IKM {format_number(row.stated_ikm)}, mutu {row.stated_mutu or '–'}." if row.stated_ikm else ""
    return row.flag_text + "." + stated


def render_city_report(period: Period, fmt: Format) -> bytes:
    if fmt not in ("pdf", "docx", "xlsx"):
        raise ValueError(f"Format laporan tidak dikenal: {fmt}")
    with translation.override("id"):  # an official Indonesian document, whatever the reader's UI language
        data = city_report_data(period)
        if fmt == "pdf":
            return _pdf(data)
        if fmt == "docx":
            return _docx(data)
        return _xlsx(data)


# --- PDF ------------------------------------------------------------------------------------------


def _pdf(data: CityReportData) -> bytes:
    chart = data.trend_chart()
    narrative = {name: paragraphs(text) for name, text in data.narrative.items()}
    legal = [line.strip() for line in data.narrative["legal_basis"].splitlines() if line.strip()]
    groups = [
        (group, [recap_cells(i, row, data.followup(row)) for i, row in enumerate(group.with_result, start=1)])
        for group in data.results.groups
        if group.with_result
    ]
    return doc.render_pdf(
        "reports/city_report.html",
        {
            "d": data,
            "r": data.results,
            "narrative": narrative,
            "legal": legal,
            "groups": groups,
            "header": RECAP_HEADER,
            "trend_svg": chart.svg() if chart else "",
            "conclusions": data.conclusion_lines(),
            "elements": [(e.key.upper(), e.name) for e in ELEMENTS],
        },
    )


# --- Word -----------------------------------------------------------------------------------------


def _landscape_section(document: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    margin = Cm(1.5) if landscape else Cm(2.5)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin


def _docx(data: CityReportData) -> bytes:
    r = data.results
    document = doc.new_document()
    doc.add_paragraph(document, "LAPORAN", bold=True, center=True, size=14)
    doc.add_paragraph(document, "SURVEI KEPUASAN MASYARAKAT", bold=True, center=True, size=18)
    doc.add_paragraph(document, f"PEMERINTAH {data.city_name.upper()}", bold=True, center=True, size=14)
    doc.add_paragraph(document, data.period.name, center=True, size=14)
    doc.add_paragraph(
        document,
        f"IKM kota {format_number(r.city.value)} · mutu {r.city.band.letter if r.city.band else '–'}",
        center=True,
    )
    doc.add_page_break(document)

    doc.add_heading(document, "BAB I PENDAHULUAN", 1, center=True)
    doc.add_heading(document, "1.1 Latar Belakang", 2)
    doc.add_paragraphs(document, data.narrative["background"])
    doc.add_heading(document, "1.2 Dasar Hukum", 2)
    for number, line in enumerate([x for x in data.narrative["legal_basis"].splitlines() if x.strip()], start=1):
        doc.add_paragraph(document, f"{number}. {line.strip()}")
    doc.add_heading(document, "1.3 Maksud dan Tujuan", 2)
    doc.add_paragraphs(document, data.narrative["purpose"])

    doc.add_page_break(document)
    doc.add_heading(document, "BAB II PENGUMPULAN DATA", 1, center=True)
    doc.add_heading(document, "2.1 Unit Pelaksana", 2)
    doc.add_paragraph(
        document,
        f"{len(r.rows)} unit penyelenggara pelayanan publik tercatat; {len(r.with_result)} unit memiliki hasil "
        f"SKM pada {data.period.name} dengan total {data.respondents} responden.",
    )
    doc.add_table(
        document,
        ["No", "Kelompok unit", "Jumlah unit", "Unit dengan hasil"],
        [[i, g.name, len(g.rows), len(g.with_result)] for i, g in enumerate(r.groups, start=1)],
        numeric=(0, 2, 3),
    )
    doc.add_heading(document, "2.2 Metode", 2)
    doc.add_paragraph(
        document,
        "Kuesioner sembilan unsur pelayanan sesuai PermenPAN-RB Nomor 14 Tahun 2017, skala 1–4, bobot unsur "
        f"{r.weight.label}. Metode rata-rata kelompok dan kota: {r.method.label}.",
    )
    doc.add_table(document, ["Metode", "Jumlah unit"], [[name, n] for name, n in data.channel_counts], numeric=(1,))
    doc.add_heading(document, "2.3 Lokasi", 2)
    doc.add_paragraphs(document, data.narrative["location"])
    doc.add_heading(document, "2.4 Jadwal", 2)
    doc.add_paragraphs(document, data.narrative["schedule"])

    _landscape_section(document, landscape=True)
    doc.add_heading(document, "BAB III HASIL", 1, center=True)
    doc.add_heading(document, "3.1 Rekapitulasi IKM per kelompok unit", 2)
    widths = [0.7, 3.6, 2.2, *[0.95] * 9, 1.1, 0.9, 1.2, 2.2, 1.7, 2.2, 2.2]  # 26,55 cm: A4 landscape
    for group in r.groups:
        if not group.with_result:
            continue
        doc.add_paragraph(
            document,
            f"{group.name} – rata-rata IKM {format_number(group.aggregate.value)} "
            f"({group.aggregate.band.letter if group.aggregate.band else '–'}), {group.aggregate.units} unit",
            bold=True,
        )
        doc.add_table(
            document,
            RECAP_HEADER,
            [recap_cells(i, row, data.followup(row)) for i, row in enumerate(group.with_result, start=1)],
            widths_cm=widths,
            numeric=(0, *range(3, 13), 14),
            font_size=7,
        )
    doc.add_paragraph(
        document,
        "(impor) = hasil dikirim unit dari survei pihak ketiga/kertas; * = hasil impor bertanda (lihat lampiran).",
        italic=True,
        size=9,
    )
    _landscape_section(document, landscape=False)
    doc.add_heading(document, "3.2 IKM Kota", 2)
    doc.add_paragraph(
        document,
        f"Rata-rata IKM kota {format_number(r.city.value)} ({r.city.band.letter if r.city.band else '–'}, "
        f"{r.city.band.kinerja if r.city.band else '–'}); metode: {r.method.label}, {r.city.units} unit.",
    )
    doc.add_table(
        document,
        ["Kategori", "Kinerja", "Jumlah unit"],
        [[letter, kinerja, n] for letter, kinerja, n in r.band_counts()]
        + [["–", "Belum ada hasil", len(r.without_result)]],
        numeric=(2,),
    )
    doc.add_heading(document, "3.3 Tren IKM", 2)
    chart = data.trend_chart()
    if chart is not None:
        doc.add_image(document, chart.png(), 15.5, "Grafik tren IKM kota dan kelompok unit")
    if data.trend_periods:
        doc.add_table(
            document,
            ["Kelompok", *[p.name for p in data.trend_periods]],
            [[name, *[format_number(c.value if c else None) for c in cells]] for name, cells in data.trend_rows],
            numeric=tuple(range(1, len(data.trend_periods) + 1)),
            font_size=8,
        )

    doc.add_page_break(document)
    doc.add_heading(document, "BAB IV KESIMPULAN", 1, center=True)
    for number, line in enumerate(data.conclusion_lines(), start=1):
        doc.add_paragraph(document, f"{number}. {line}", justify=True)
    if data.narrative["conclusion"].strip():
        doc.add_paragraphs(document, data.narrative["conclusion"])
    doc.add_heading(document, "4.1 Unit yang belum melaporkan", 2)
    doc.add_table(
        document,
        ["No", "Unit", "Kelompok"],
        [[i, row.unit.name, row.group] for i, row in enumerate(r.without_result, start=1)] or [["–", "Tidak ada", ""]],
        numeric=(0,),
    )
    doc.add_heading(document, "4.2 Unit yang baru pertama kali melaksanakan SKM", 2)
    doc.add_table(
        document,
        ["No", "Unit", "IKM"],
        [[i, row.unit.name, format_number(row.ikm)] for i, row in enumerate(data.new_units, start=1)]
        or [["–", "Tidak ada", ""]],
        numeric=(0, 2),
    )

    doc.add_page_break(document)
    doc.add_heading(document, "LAMPIRAN", 1, center=True)
    doc.add_heading(document, "Lampiran 1. Hasil impor dan catatan pemeriksaan", 2)
    doc.add_table(
        document,
        ["No", "Unit", "Metode", "IKM", "Mutu", "Catatan pemeriksaan"],
        [
            [
                i,
                row.unit.name,
                row.channels,
                format_number(row.ikm),
                row.letter or "–",
                _check_text(row),
            ]
            for i, row in enumerate(r.imported_rows, start=1)
        ]
        or [["–", "Tidak ada hasil impor", "", "", "", ""]],
        numeric=(0, 3),
        font_size=9,
    )
    doc.add_heading(document, "Lampiran 2. Unsur pelayanan", 2)
    doc.add_table(document, ["Kode", "Unsur"], [[e.key.upper(), e.name] for e in ELEMENTS])
    doc.add_paragraph(document, f"Dibuat oleh Sumber Daya pada {data.generated}.", italic=True, size=9)
    return doc.docx_bytes(document)


# --- Excel ----------------------------------------------------------------------------------------


def _xlsx(data: CityReportData) -> bytes:
    from openpyxl import Workbook

    r = data.results
    book = Workbook()
    book.remove(book.worksheets[0])
    summary = book.create_sheet("Ringkasan")
    doc.append_row(summary, [f"Rekapitulasi SKM {data.city_name}", data.period.name])
    doc.append_row(summary, ["IKM kota", _num(r.city.value)])
    doc.append_row(summary, ["Mutu", r.city.band.letter if r.city.band else "–"])
    doc.append_row(summary, ["Metode rata-rata", r.method.label])
    doc.append_row(summary, ["Bobot unsur", r.weight.label])
    doc.append_row(summary, ["Unit dengan hasil", len(r.with_result)])
    doc.append_row(summary, ["Unit belum melapor", len(r.without_result)])
    for letter, kinerja, n in r.band_counts():
        doc.append_row(summary, [f"Mutu {letter} ({kinerja})", n])
    summary.cell(row=2, column=2).number_format = doc.NUMBER_FORMAT
    doc.set_widths(summary, [34, 24])

    sheet = book.create_sheet("Rekap")
    header = ["Kelompok", *RECAP_HEADER, "Sumber"]
    doc.append_row(sheet, header)
    doc.style_header(sheet)
    for group in r.groups:
        for i, row in enumerate(group.with_result, start=1):
            doc.append_row(
                sheet,
                [
                    group.name,
                    i,
                    row.unit.name,
                    row.window,
                    *[_num(v) for v in row.elements],
                    _num(row.ikm),
                    row.letter or "",
                    row.respondents,
                    row.channels,
                    row.priority_text,
                    data.followup(row).rtl,
                    data.followup(row).previous_realisation,
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
                group.aggregate.band.letter if group.aggregate.band else "",
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
            r.city.band.letter if r.city.band else "",
            r.city.units,
        ],
    )
    for row_cells in sheet.iter_rows(min_row=2, min_col=5, max_col=14):
        for cell in row_cells:
            cell.number_format = doc.NUMBER_FORMAT
    doc.set_widths(sheet, [20, 5, 36, 24, *[8] * 9, 8, 9, 11, 18, 28, 28, 28, 9])

    missing = book.create_sheet("Belum melapor")
    doc.append_row(missing, ["No", "Unit", "Kelompok"])
    doc.style_header(missing)
    for i, row in enumerate(r.without_result, start=1):
        doc.append_row(missing, [i, row.unit.name, row.group])
    doc.set_widths(missing, [5, 40, 24])

    fresh = book.create_sheet("Unit baru")
    doc.append_row(fresh, ["No", "Unit", "IKM"])
    doc.style_header(fresh)
    for i, row in enumerate(data.new_units, start=1):
        doc.append_row(fresh, [i, row.unit.name, _num(row.ikm)])
    doc.set_widths(fresh, [5, 40, 10])

    trend_sheet = book.create_sheet("Tren")
    doc.append_row(trend_sheet, ["Kelompok", *[p.name for p in data.trend_periods]])
    doc.style_header(trend_sheet)
    for name, cells in data.trend_rows:
        doc.append_row(trend_sheet, [name, *[_num(c.value if c else None) for c in cells]])
    doc.set_widths(trend_sheet, [26, *[12] * len(data.trend_periods)])
    return doc.workbook_bytes(book)


def _num(value: Any) -> float | None:
    """A cell value rounded as printed (2 decimals); Excel formats it with the reader's locale."""
    from sumberdaya.results.service import display

    return display(value)
