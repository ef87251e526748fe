"""The unit report in three formats from one `ReportData`: PDF (WeasyPrint), Word (.docx), Excel (.xlsx)."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from django.utils import timezone

from sumberdaya.core.charts import element_chart, trend_chart
from sumberdaya.reports import documents as doc
from sumberdaya.reports.unit import ReportData
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.instruments import to_0_100
from sumberdaya.skm.numbers import format_number, format_percent
from sumberdaya.skm.results import Figures
from sumberdaya.skm.scoring import Weight

FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def render(data: ReportData, fmt: str) -> bytes:
    if fmt == "pdf":
        return unit_pdf(data)
    if fmt == "docx":
        return unit_docx(data)
    if fmt == "xlsx":
        return unit_xlsx(data)
    raise ValueError(f"Format tidak dikenal: {fmt}. Pilih pdf, docx atau xlsx.")


def filename(data: ReportData, fmt: str) -> str:
    return f"laporan-skm-{data.unit.code}-{data.period.slug}.{FORMATS[fmt][1]}"


def paragraphs(text: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _sample_text(data: ReportData) -> str:
    if data.sample_ok is None:
        return "–"
    return "Sesuai" if data.sample_ok else "Belum sesuai"


def _letter(figures: Figures | None) -> str:
    return (figures.letter if figures else None) or "–"


def _population(data: ReportData) -> str:
    return format_number(data.population, 0) if data.population else "–"


def _trend_chart(data: ReportData) -> Any:
    points = [(name, float(f.ikm)) for name, f in data.trend if f is not None and f.ikm is not None]
    return trend_chart(points, width=440, height=180) if len(points) >= 2 else None


# --- Zona Integritas perception section (one text for all three formats) ---------------------------

PERCEPTION_TITLE = "SURVEI PERSEPSI ZONA INTEGRITAS (SPKP DAN SPAK)"
PERCEPTION_SHEET = "SPKP-SPAK"
PERCEPTION_HEADER = ["No", "Pernyataan", "Rata-rata", "Nilai (0–100)"]


def _item_index(mean: float | None, scale: int) -> Fraction | None:
    # The snapshot holds floats; their shortest repr is the exact mean for any terminating decimal, so the
    # 0–100 value rounds as the perception page's (computed from the exact fraction) does.
    return None if mean is None else to_0_100(Fraction(repr(mean)), scale)


def perception_blocks(data: ReportData) -> list[dict[str, Any]]:
    """Per instrument: its numbers (as `unit_perception_section` gives them) and the sentences every format prints."""
    if not data.perception:
        return []
    blocks = []
    for number, i in enumerate(data.perception["instruments"], start=1):
        name, scale, minimum = i["name"], i["scale"], i["minimum_respondents"]
        block: dict[str, Any] = {
            "i": i,
            "heading": f"{number}. {name} – {i['title']}",
            "summary": f"Skala jawaban 1–{scale} · {i['respondents']} responden"
            + (
                f" · Indeks {name} {format_number(i['index_0_100'])} (0–100), "
                f"rata-rata {format_number(i['mean'], 3)} pada skala 1–{scale}."
                if i["index_0_100"] is not None
                else "."
            ),
            "formula": f"Rumus konversi: {i['formula']}.",
            "notes": [],
            "rows": [
                [
                    str(item["number"]),
                    item["statement"],
                    format_number(item["mean"], 3),
                    format_number(_item_index(item["mean"], scale)),
                ]
                for item in i["items"]
            ],
            "total": [
                "",
                f"Indeks {name} (rata-rata seluruh pernyataan)",
                format_number(i["mean"], 3),
                format_number(i["index_0_100"]),
            ],
        }
        if i["respondents"] == 0:
            block["notes"].append(f"Belum ada respons {name} yang dihitung pada periode ini.")
        elif i["below_minimum"]:
            block["notes"].append(
                f"Catatan: < {minimum} responden. Jumlah responden {name} ({i['respondents']}) belum memenuhi "
                f"jumlah minimal {minimum} responden per unit; hasil perlu dibaca dengan hati-hati."
            )
        if i["other_scale"]:
            block["notes"].append(
                f"{i['other_scale']} respons diisi dengan skala lain dan tidak dihitung dalam indeks {name}."
            )
        if i["control_question"]:
            block["steered_share"] = format_percent(i["steered_share"])
            block["steered_text"] = (
                f"{format_percent(i['steered_share'])} responden menyatakan diarahkan untuk memberi jawaban yang baik"
            )
            block["steered_detail"] = (
                f"{i['steered']} dari {i['controlled']} responden yang menjawab pertanyaan kontrol "
                f"(“{i['control_question']}”) menjawab “ya”."
                if i["controlled"]
                else f"Belum ada responden yang menjawab pertanyaan kontrol (“{i['control_question']}”)."
            )
            block["steered_treatment"] = (
                f"Jawaban responden yang diarahkan dikeluarkan dari perhitungan indeks {name}."
                if i["exclude_steered"]
                else f"Jawaban responden yang diarahkan tetap dihitung dalam indeks {name}."
            )
        blocks.append(block)
    return blocks


def perception_intro(data: ReportData) -> str:
    return (
        f"Selain SKM, pengguna layanan {data.unit.name} pada {data.period.name} mengisi survei persepsi "
        "Zona Integritas: Survei Persepsi Kualitas Pelayanan (SPKP) dan Survei Persepsi Anti Korupsi (SPAK). "
        "Nilai setiap pernyataan adalah rata-rata jawaban pada skala instrumen; indeks instrumen adalah "
        "rata-rata nilai seluruh pernyataan, dikonversi ke 0–100. Belum ada tabel kategori resmi untuk indeks "
        "persepsi, sehingga yang disajikan adalah nilai beserta skalanya, tanpa huruf mutu."
    )


PERCEPTION_REFERENCE = (
    "Hasil Survei Persepsi Zona Integritas (SPKP dan SPAK) pada periode yang sama disajikan pada Lampiran II."
)


# --- PDF -----------------------------------------------------------------------------------------


def unit_pdf(data: ReportData) -> bytes:
    narrative = {name: paragraphs(text) for name, text in data.narrative.items()}
    narrative["legal_basis_lines"] = _lines(data.narrative["legal_basis"])
    trend = _trend_chart(data)
    context = {
        "d": data,
        "narrative": narrative,
        "elements": data.element_table,
        "element_svg": element_chart(data.figures.pairs(), width=380).svg() if data.figures and data.ikm else "",
        "trend_svg": trend.svg() if trend else "",
        "questionnaire": ELEMENTS,
        "population_text": _population(data),
        "first_day": doc.tanggal(data.first_day),
        "last_day": doc.tanggal(data.last_day),
        "today": doc.tanggal(timezone.localdate()),
        "generated": doc.tanggal_jam(timezone.now()),
        "perception": perception_blocks(data),
        "perception_intro": perception_intro(data),
        "perception_title": PERCEPTION_TITLE,
        "perception_reference": PERCEPTION_REFERENCE,
    }
    return doc.render_pdf("reports/unit_report.html", context)


# --- Word ----------------------------------------------------------------------------------------


def _element_rows(data: ReportData) -> list[list[str]]:
    rows = []
    for e in data.element_table:
        rows.append(
            [
                e.element.key.upper(),
                e.element.name,
                "–" if e.total is None else str(e.total),
                "–" if e.count is None else str(e.count),
                format_number(e.nrr, 4),
                format_number(e.weighted, 4),
                format_number(e.score),
                e.band.letter if e.band else "–",
            ]
        )
    band = data.band
    rows.append(
        [
            "",
            "NILAI IKM UNIT PELAYANAN",
            "",
            "",
            "",
            format_number(data.ikm_1_4, 4),
            format_number(data.ikm),
            band.letter if band else "–",
        ]
    )
    return rows


def unit_docx(data: ReportData) -> bytes:
    d = doc.new_document()
    band = data.band
    # Cover: typographic, no logo.
    for _ in range(4):
        doc.add_paragraph(d)
    doc.add_paragraph(d, "LAPORAN", bold=True, center=True, size=13)
    doc.add_paragraph(d, "PELAKSANAAN SURVEI KEPUASAN MASYARAKAT", bold=True, center=True, size=18)
    doc.add_paragraph(d, "—————", center=True)
    doc.add_paragraph(d, data.unit.name, bold=True, center=True, size=16)
    doc.add_paragraph(d, data.period.name, center=True, size=13)
    for _ in range(3):
        doc.add_paragraph(d)
    doc.add_paragraph(d, "Indeks Kepuasan Masyarakat", center=True, size=11)
    doc.add_paragraph(d, format_number(data.ikm), bold=True, center=True, size=28)
    doc.add_paragraph(
        d,
        f"Mutu pelayanan {band.letter if band else '–'} ({band.kinerja if band else '–'}) · "
        f"{data.respondents} responden",
        center=True,
        size=11,
    )
    for _ in range(5):
        doc.add_paragraph(d)
    doc.add_paragraph(d, f"PEMERINTAH {data.city_name.upper()}", bold=True, center=True, size=14)
    doc.add_paragraph(d, data.unit.name, center=True)
    doc.add_paragraph(d, str(data.period.start.year), center=True)
    doc.add_page_break(d)

    doc.add_heading(d, "BAB I\nPENDAHULUAN", 1, center=True)
    doc.add_heading(d, "1.1 Latar Belakang", 2)
    doc.add_paragraphs(d, data.narrative["background"])
    doc.add_heading(d, "1.2 Dasar Hukum", 2)
    for number, line in enumerate(_lines(data.narrative["legal_basis"]), start=1):
        doc.add_paragraph(d, f"{number}. {line}")
    doc.add_heading(d, "1.3 Maksud dan Tujuan", 2)
    doc.add_paragraphs(d, data.narrative["purpose"])
    doc.add_page_break(d)

    doc.add_heading(d, "BAB II\nPENGUMPULAN DATA SURVEI KEPUASAN MASYARAKAT", 1, center=True)
    doc.add_heading(d, "2.1 Pelaksana SKM", 2)
    doc.add_paragraphs(d, data.narrative["team"])
    doc.add_heading(d, "2.2 Metode Pengumpulan Data", 2)
    doc.add_paragraph(
        d,
        "Data dikumpulkan dengan kuesioner sembilan unsur pelayanan sesuai PermenPAN-RB Nomor 14 Tahun 2017 "
        f"({data.period.questionnaire_version}). Metode yang digunakan: {data.channels}. Setiap unsur dinilai "
        f"dengan skala 1–4; nilai indeks dihitung dengan bobot rata-rata tertimbang {data.weight.label} per unsur.",
        justify=True,
    )
    doc.add_heading(d, "2.3 Lokasi Pengumpulan Data", 2)
    doc.add_paragraph(d, f"Pengumpulan data dilakukan di lokasi pelayanan {data.unit.name} dan melalui kanal daring.")
    doc.add_heading(d, "2.4 Waktu Pelaksanaan SKM", 2)
    doc.add_table(
        d,
        ["No", "Kegiatan", "Waktu", "Jumlah hari kerja"],
        [[str(i), row.activity, row.when, str(row.working_days)] for i, row in enumerate(data.schedule, start=1)],
        widths_cm=[1.0, 6.0, 6.0, 2.5],
        numeric=[3],
    )
    doc.add_heading(d, "2.5 Penentuan Jumlah Responden", 2)
    doc.add_table(
        d,
        ["Populasi (N)", "Target sampel (Krejcie–Morgan)", "Responden tercapai", "Keterangan"],
        [[_population(data), str(data.target or "–"), str(data.respondents), _sample_text(data)]],
        numeric=[0, 1, 2],
    )
    doc.add_page_break(d)

    doc.add_heading(d, "BAB III\nHASIL PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT", 1, center=True)
    doc.add_heading(d, "3.1 Jumlah Responden", 2)
    doc.add_paragraph(
        d,
        f"Jumlah responden yang jawabannya sah pada {data.period.name} adalah {data.respondents} orang.",
    )
    profile_rows = []
    for number, group in enumerate(data.profile, start=1):
        for index, (label, count, pct) in enumerate(group.rows):
            first = index == 0
            profile_rows.append(
                [str(number) if first else "", group.name if first else "", label, str(count), format_percent(pct)]
            )
    doc.add_table(
        d,
        ["No", "Karakteristik", "Indikator", "Jumlah", "Persentase"],
        profile_rows,
        widths_cm=[1.0, 4.0, 5.2, 2.5, 2.8],
        numeric=[3, 4],
    )
    doc.add_heading(d, "3.2 Indeks Kepuasan Masyarakat per Unsur", 2)
    doc.add_paragraph(d, f"Bobot per unsur: {data.weight.label}.")
    doc.add_table(
        d,
        ["No", "Unsur pelayanan", "Jumlah nilai", "Jumlah jawaban", "NRR", "NRR tertimbang", "Nilai (25–100)", "Mutu"],
        _element_rows(data),
        widths_cm=[1.0, 4.3, 1.6, 1.8, 1.6, 2.0, 1.9, 1.3],
        numeric=[2, 3, 4, 5, 6],
        bold_rows=[len(ELEMENTS)],
        font_size=9,
    )
    if data.figures is not None and data.ikm is not None:
        doc.add_image(
            d,
            element_chart(data.figures.pairs(), width=420).png(),
            15,
            f"Grafik 1. Nilai unsur pelayanan {data.unit.name} {data.period.name}",
        )
    doc.add_heading(d, "3.3 Indeks per Jenis Layanan", 2)
    doc.add_table(
        d,
        ["No", "Jenis layanan", "Responden", "IKM", "Mutu"],
        [
            [str(i), name, str(tally.respondents), format_number(score.ikm), score.band.letter if score.band else "–"]
            for i, (name, tally, score) in enumerate(data.services, start=1)
        ],
        widths_cm=[1.0, 8.0, 2.4, 2.4, 1.7],
        numeric=[2, 3],
    )
    doc.add_page_break(d)

    doc.add_heading(d, "BAB IV\nANALISIS HASIL SURVEI KEPUASAN MASYARAKAT", 1, center=True)
    doc.add_heading(d, "4.1 Analisis Unsur Pelayanan", 2)
    doc.add_paragraphs(d, data.narrative["analysis"])
    doc.add_heading(d, "4.2 Rencana Tindak Lanjut", 2)
    if data.plan:
        doc.add_table(
            d,
            ["No", "Prioritas unsur", "Permasalahan", "Program/kegiatan", "Waktu", "Penanggung jawab"],
            [
                [str(i), row["element_name"], row["problem"], row["action"], row["timing"], row["responsible"]]
                for i, row in enumerate(data.plan, start=1)
            ],
            widths_cm=[1.0, 2.8, 3.4, 3.9, 2.0, 2.4],
            font_size=9,
        )
    else:
        doc.add_paragraph(d, "Rencana tindak lanjut belum disusun.")
    doc.add_heading(d, "4.3 Hasil Tindak Lanjut Periode Sebelumnya", 2)
    if data.previous_plan:
        doc.add_paragraph(d, f"Realisasi RTL {data.previous_period}:")
        doc.add_table(
            d,
            ["No", "RTL", "Status pelaksanaan", "Deskripsi", "Dokumentasi"],
            [
                [
                    str(i),
                    f"{row['element_name']}: {row['action']}",
                    row["status"],
                    row["realisation"] or "–",
                    "; ".join(row["evidence"]) or "–",
                ]
                for i, row in enumerate(data.previous_plan, start=1)
            ],
            widths_cm=[1.0, 4.2, 2.3, 5.0, 3.0],
            font_size=9,
        )
    else:
        doc.add_paragraph(d, "Tidak ada rencana tindak lanjut pada periode sebelumnya.")
    doc.add_heading(d, "4.4 Tren Nilai IKM", 2)
    doc.add_table(
        d,
        ["Periode", "Responden", "IKM", "Mutu"],
        [
            [name, str(f.respondents if f else 0), format_number(f.ikm if f else None), _letter(f)]
            for name, f in data.trend
        ],
        numeric=[1, 2],
    )
    trend = _trend_chart(data)
    if trend:
        doc.add_image(d, trend.png(), 13, f"Grafik 2. Tren IKM {data.unit.name}")
    perception = perception_blocks(data)
    if perception:
        doc.add_paragraph(d, PERCEPTION_REFERENCE, justify=True)
    doc.add_page_break(d)

    doc.add_heading(d, "BAB V\nPENUTUP", 1, center=True)
    doc.add_paragraphs(d, data.narrative["conclusion"])
    doc.add_paragraph(d)
    doc.add_paragraph(
        d,
        f"{doc.tanggal(timezone.localdate())}\nKepala {data.unit.name}\n\n\n\n"
        "(.............................................)",
        center=True,
    )
    doc.add_page_break(d)

    doc.add_heading(d, f"LAMPIRAN{' I' if perception else ''}\nKUESIONER SURVEI KEPUASAN MASYARAKAT", 1, center=True)
    doc.add_table(
        d,
        ["No", "Pertanyaan", "1", "2", "3", "4"],
        [[e.key.upper(), f"{e.name}\n{e.question}", *e.labels] for e in ELEMENTS],
        font_size=9,
        widths_cm=[1.0, 6.1, 2.1, 2.1, 2.1, 2.1],
    )
    if perception:
        doc.add_page_break(d)
        _perception_docx(d, data, perception)
    return doc.docx_bytes(d)


def _perception_docx(d: Any, data: ReportData, blocks: list[dict[str, Any]]) -> None:
    doc.add_heading(d, f"LAMPIRAN II\n{PERCEPTION_TITLE}", 1, center=True)
    doc.add_paragraph(d, perception_intro(data), justify=True)
    for index, block in enumerate(blocks):
        if index:
            doc.add_page_break(d)  # keeps each instrument's notes and table together
        doc.add_heading(d, block["heading"], 2)
        doc.add_paragraph(d, block["summary"])
        doc.add_paragraph(d, block["formula"])
        for note in block["notes"]:
            doc.add_paragraph(d, note, bold=note.startswith("Catatan"), justify=True)
        if "steered_text" in block:
            doc.add_paragraph(d, block["steered_text"], bold=True, size=14)
            doc.add_paragraph(d, block["steered_detail"], justify=True)
            doc.add_paragraph(d, block["steered_treatment"], bold=True)
        if block["i"]["respondents"]:
            doc.add_table(
                d,
                PERCEPTION_HEADER,
                [*block["rows"], block["total"]],
                widths_cm=[1.0, 9.6, 2.6, 2.8],
                numeric=[2, 3],
                bold_rows=[len(block["rows"])],
            )


# --- Excel ---------------------------------------------------------------------------------------

RAW_SHEET = "Data mentah"
FIRST_ELEMENT_ROW = 7


def unit_xlsx(data: ReportData) -> bytes:
    """The computation sheet with live formulas beside the computed values, plus raw answers, services, RTL."""
    from openpyxl.styles import Font

    workbook, sheet = doc.new_workbook("Perhitungan IKM")
    sheet["A1"] = doc.cell_text(f"Perhitungan IKM {data.unit.name}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = doc.cell_text(f"{data.period.name} · {data.respondents} responden")
    sheet["A3"] = "Jumlah responden"
    sheet["C3"] = data.respondents
    sheet["A4"] = doc.cell_text(f"Bobot per unsur ({data.weight.label})")
    # The weight cell every formula refers to: 0,111 as printed on the official worksheet, or exactly 1/9.
    sheet["C4"] = 0.111 if data.weight is Weight.OFFICIAL else "=1/9"
    sheet["C4"].number_format = "0.0000"
    header = [
        "No",
        "Unsur",
        "Jumlah nilai",
        "Jumlah jawaban",
        "NRR",
        "NRR tertimbang",
        "Nilai unsur (25–100)",
        "Mutu",
        "nilai NRR",
        "nilai NRR tertimbang",
        "nilai unsur",
    ]
    header_row = FIRST_ELEMENT_ROW - 1
    for column, title in enumerate(header, start=1):
        sheet.cell(row=header_row, column=column, value=title)
    doc.style_header(sheet, header_row, len(header))
    for index, e in enumerate(data.element_table):
        row = FIRST_ELEMENT_ROW + index
        # An imported result has no sums or counts: its NRR (value ÷ 25) stands in E, the rest still computes.
        nrr_cell: Any = f'=IF(D{row}=0,"",C{row}/D{row})' if e.total is not None else _float(e.nrr)
        values: list[Any] = [
            e.element.key.upper(),
            e.element.name,
            e.total,
            e.count,
            nrr_cell,
            f'=IF(E{row}="","",E{row}*$C$4)',
            f'=IF(E{row}="","",E{row}*25)',
            e.band.letter if e.band else "–",
            _float(e.nrr),
            _float(e.weighted),
            _float(e.score),
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
        for column, fmt in (
            (5, doc.NRR_FORMAT),
            (6, doc.NRR_FORMAT),
            (7, doc.NUMBER_FORMAT),
            (9, doc.NRR_FORMAT),
            (10, doc.NRR_FORMAT),
            (11, doc.NUMBER_FORMAT),
        ):
            sheet.cell(row=row, column=column).number_format = fmt
    last = FIRST_ELEMENT_ROW + len(ELEMENTS) - 1
    total_row, ikm_row = last + 1, last + 2
    band = data.band
    sheet.cell(row=total_row, column=2, value="IKM (skala 1–4) = jumlah NRR tertimbang")
    sheet.cell(row=total_row, column=6, value=f"=SUM(F{FIRST_ELEMENT_ROW}:F{last})").number_format = doc.NRR_FORMAT
    sheet.cell(row=total_row, column=10, value=_float(data.ikm_1_4)).number_format = doc.NRR_FORMAT
    sheet.cell(row=ikm_row, column=2, value="NILAI IKM UNIT PELAYANAN = IKM × 25")
    sheet.cell(row=ikm_row, column=7, value=f"=F{total_row}*25").number_format = doc.NUMBER_FORMAT
    sheet.cell(row=ikm_row, column=8, value=band.letter if band else "–")
    sheet.cell(row=ikm_row, column=11, value=_float(data.ikm)).number_format = doc.NUMBER_FORMAT
    for row in (total_row, ikm_row):
        for column in range(1, len(header) + 1):
            sheet.cell(row=row, column=column).font = Font(bold=True)
    sheet.cell(
        row=ikm_row + 2,
        column=1,
        value=("Kolom E–G dihitung Excel dengan rumus; kolom I–K berisi nilai yang dihitung Sumber Daya (harus sama)."),
    )
    doc.set_widths(sheet, [6, 38, 13, 14, 11, 15, 17, 7, 12, 15, 12])

    services = workbook.create_sheet("Per jenis layanan")
    services.append(["No", "Jenis layanan", "Responden", "IKM", "Mutu"])
    doc.style_header(services, 1, 5)
    for index, (name, tally, score) in enumerate(data.services, start=1):
        doc.append_row(
            services, [index, name, tally.respondents, _float(score.ikm), score.band.letter if score.band else "–"]
        )
        services.cell(row=index + 1, column=4).number_format = doc.NUMBER_FORMAT
    doc.set_widths(services, [6, 44, 12, 10, 8])

    plan = workbook.create_sheet("RTL")
    plan.append(
        [
            "No",
            "Prioritas unsur",
            "Permasalahan",
            "Program/kegiatan",
            "Waktu",
            "Penanggung jawab",
            "Status",
            "Realisasi",
        ]
    )
    doc.style_header(plan, 1, 8)
    for index, item in enumerate(data.plan, start=1):
        doc.append_row(
            plan,
            [
                index,
                item["element_name"],
                item["problem"],
                item["action"],
                item["timing"],
                item["responsible"],
                item["status"],
                item["realisation"],
            ],
        )
    doc.set_widths(plan, [6, 28, 40, 40, 18, 24, 18, 40])

    _perception_sheet(workbook, data)
    _raw_sheet(workbook, data)
    return doc.workbook_bytes(workbook)


MEAN_FORMAT = "0.000"


def _perception_sheet(workbook: Any, data: ReportData) -> None:
    """The ZI section's numbers as values (not formulas): the per-statement means come from the responses."""
    from openpyxl.styles import Font

    blocks = perception_blocks(data)
    if not blocks:
        return
    sheet = workbook.create_sheet(PERCEPTION_SHEET)
    doc.append_row(sheet, [f"Survei Persepsi Zona Integritas (SPKP dan SPAK) {data.unit.name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    doc.append_row(sheet, [data.period.name])
    doc.append_row(sheet, [perception_intro(data)])
    for block in blocks:
        i = block["i"]
        sheet.append([])
        doc.append_row(sheet, [block["heading"]])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        doc.append_row(sheet, ["Skala", f"1–{i['scale']}"])
        doc.append_row(sheet, ["Jumlah responden", i["respondents"]])
        doc.append_row(sheet, ["Rumus", i["formula"]])
        for note in block["notes"]:
            doc.append_row(sheet, ["Catatan", note.removeprefix("Catatan: ")])
        if i["control_question"]:
            doc.append_row(sheet, ["Responden diarahkan (%)", i["steered_share"]])
            sheet.cell(row=sheet.max_row, column=2).number_format = "0.0"
            for column in (1, 2):
                sheet.cell(row=sheet.max_row, column=column).font = Font(bold=True)
            doc.append_row(sheet, ["Responden diarahkan", i["steered"]])
            doc.append_row(sheet, ["Menjawab pertanyaan kontrol", i["controlled"]])
            doc.append_row(sheet, ["Perlakuan", block["steered_treatment"]])
        doc.append_row(sheet, [*PERCEPTION_HEADER, "Jumlah jawaban"])
        doc.style_header(sheet, sheet.max_row, len(PERCEPTION_HEADER) + 1)
        for item in i["items"]:
            doc.append_row(
                sheet,
                [
                    item["number"],
                    item["statement"],
                    item["mean"],
                    _float(_item_index(item["mean"], i["scale"])),
                    item["answers"],
                ],
            )
            sheet.cell(row=sheet.max_row, column=3).number_format = MEAN_FORMAT
            sheet.cell(row=sheet.max_row, column=4).number_format = doc.NUMBER_FORMAT
        doc.append_row(sheet, [None, block["total"][1], i["mean"], i["index_0_100"]])
        row = sheet.max_row
        sheet.cell(row=row, column=3).number_format = MEAN_FORMAT
        sheet.cell(row=row, column=4).number_format = doc.NUMBER_FORMAT
        for column in range(1, 6):
            sheet.cell(row=row, column=column).font = Font(bold=True)
    sheet.freeze_panes = None  # style_header froze a row in the middle of the sheet
    doc.set_widths(sheet, [26, 70, 12, 14, 15])


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _raw_sheet(workbook: Any, data: ReportData) -> None:
    """One row per valid questionnaire of the period (the answers as stored, never edited)."""
    from sumberdaya.results.tallies import valid_responses

    raw = workbook.create_sheet(RAW_SHEET)
    raw.append(
        [
            "No",
            "Waktu pengisian",
            "Jenis layanan",
            "Metode",
            "Jenis kelamin",
            "Umur",
            "Pendidikan",
            "Pekerjaan",
            *[e.key.upper() for e in ELEMENTS],
            "Jenis komentar",
            "Komentar",
        ]
    )
    doc.style_header(raw, 1)
    responses = (
        valid_responses(data.period).filter(unit=data.unit).select_related("service").order_by("submitted_at", "pk")
    )
    for index, r in enumerate(responses.iterator(chunk_size=2000), start=1):
        doc.append_row(
            raw,
            [
                index,
                doc.tanggal_jam(r.submitted_at),
                r.service.name if r.service else "",
                r.get_channel_display(),
                r.sex,
                r.age,
                r.education,
                r.occupation or "",
                *r.answers,
                r.get_comment_kind_display(),
                r.comment,
            ],
        )
    if data.frozen:
        raw.append([])
        raw.append([doc.cell_text("Catatan: data mentah adalah data terkini; angka laporan dibekukan saat pengajuan.")])
    doc.set_widths(raw, [6, 20, 28, 16, 8, 7, 10, 12, *[5] * len(ELEMENTS), 12, 60])
