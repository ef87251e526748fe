"""The unit report in three formats from one `ReportData`: PDF (WeasyPrint), Word (.docx), Excel (.xlsx)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from django.utils import timezone

from sumberdaya.core.charts import element_chart, trend_chart
from sumberdaya.reports import blocks as B
from sumberdaya.reports import documents as doc
from sumberdaya.reports.unit import ReportData, ScheduleRow
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.skm.instruments import to_0_100
from sumberdaya.skm.numbers import format_number, format_percent
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


def _sample_text(data: ReportData) -> str:
    if data.sample_ok is None:
        return "–"
    return "Sesuai" if data.sample_ok else "Belum sesuai"


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


# --- The document (one sequence of blocks for PDF, Word and Excel) -------------------------------------

ELEMENT_COLUMNS = (
    B.Column("No", 1.0),
    B.Column("Unsur pelayanan", 5.4),
    B.Column("Jumlah nilai", 1.4, "int"),
    B.Column("Jumlah jawaban", 1.5, "int"),
    B.Column("NRR", 1.4, "number", 4),
    B.Column("NRR tertimbang", 1.7, "number", 4),
    B.Column("Nilai (25–100)", 1.7, "number"),
    B.Column("Mutu", 1.3),
)


def _element_rows(data: ReportData) -> list[tuple[B.Cell, ...]]:
    rows: list[tuple[B.Cell, ...]] = [
        (
            e.element.key.upper(),
            e.element.name,
            e.total,
            e.count,
            e.nrr,
            e.weighted,
            e.score,
            e.band.letter if e.band else "–",
        )
        for e in data.element_table
    ]
    band = data.band
    # NRR tertimbang column: the IKM on the 1–4 scale (their sum); value column: the IKM × 25.
    rows.append(("", "NILAI IKM UNIT PELAYANAN", "", "", "", data.ikm_1_4, data.ikm, band.letter if band else "–"))
    return rows


def category(band: Any) -> str:
    """The Kategori cell as the regulation and the city print it: "A (Sangat Baik)"."""
    return f"{band.letter} ({band.kinerja})" if band else "–"


def _band_note() -> str:
    from sumberdaya.skm.scoring import BANDS

    edges = {"A": "88,31–100,00", "B": "76,61–88,30", "C": "65,00–76,60", "D": "25,00–64,99"}
    return "Mutu: " + "; ".join(f"{b.letter} ({b.kinerja}) {edges[b.letter]}" for b in BANDS) + "."


def signature(data: ReportData) -> B.Signature:
    unit = data.unit
    place = data.city_name.removeprefix("Kota ").removeprefix("Kabupaten ")
    return B.Signature(
        place_date=f"{place}, {doc.tanggal(timezone.localdate())}",
        title=unit.head_of_unit,
        name=unit.head_name,
        nip=unit.head_nip,
    )


def introduction(d: B.Document, narrative: dict[str, str]) -> None:
    """BAB I of every report: background, legal basis and purpose, from the (editable) narrative."""
    d.add(B.Heading("BAB I\nPENDAHULUAN"), B.Heading("1.1 Latar Belakang", 2))
    d.paragraphs(narrative["background"])
    d.add(B.Heading("1.2 Dasar Hukum", 2), B.NumberedList(B.lines(narrative["legal_basis"])))
    d.add(B.Heading("1.3 Maksud dan Tujuan", 2))
    d.paragraphs(narrative["purpose"])


def schedule_table(rows: Sequence[ScheduleRow], when: str) -> B.Table:
    """The timetable of BAB II (Kegiatan | Waktu | Jumlah hari kerja), the unit's and the city's."""
    return B.Table(
        (
            B.Column("No", 1.0, "int"),
            B.Column("Kegiatan", 6.5),
            B.Column(when, 5.5),
            B.Column("Jumlah hari kerja", 2.5, "int"),
        ),
        tuple((i, row.activity, row.when, row.working_days) for i, row in enumerate(rows, start=1)),
    )


def _funnel_blocks(funnel: dict[str, Any]) -> list[Any]:
    """3.4: people served, invitation slips and the response rate (surveys.funnel), as frozen in the report."""
    months = f"{funnel['served_months']} dari {funnel['months']} bulan"
    return [
        B.Heading("3.4 Jumlah Dilayani dan Tingkat Respons", 2),
        B.Table(
            (
                B.Column("Dilayani", 2.6, "int"),
                B.Column("Bulan tercatat", 3.0),
                B.Column("Responden", 2.6, "int"),
                B.Column("Undangan dicetak", 2.8, "int"),
                B.Column("Undangan dijawab", 2.8, "int"),
                B.Column("Terverifikasi", 2.6, "int"),
                B.Column("Tingkat respons (%)", 2.8, "number", 1),
            ),
            (
                (
                    funnel["served"] if funnel["served"] is not None else "–",
                    months,
                    funnel["responses"],
                    funnel["invitations_issued"] if funnel["invitations_issued"] is not None else "–",
                    funnel["invitations_answered"] if funnel["invitations_answered"] is not None else "–",
                    funnel["verified"] if funnel["verified"] is not None else "–",
                    funnel["response_rate"] if funnel["response_rate"] is not None else "–",
                ),
            ),
            size="small",
        ),
        B.Paragraph(
            "Tingkat respons = responden pada bulan yang jumlah dilayaninya tercatat ÷ jumlah dilayani. Respons "
            "terverifikasi datang melalui undangan sekali pakai yang diberikan kepada orang yang dilayani.",
            "note",
        ),
    ]


def unit_document(data: ReportData) -> B.Document:
    """The unit's Laporan Pelaksanaan SKM (2023 template, SKM.md section 5) as blocks."""
    band = data.band
    unit, period = data.unit.name, data.period.name
    respondents = format_number(data.respondents, 0)
    d = B.Document(f"Laporan Pelaksanaan SKM {unit} {period}", f"Laporan SKM {unit} · {period}")
    d.add(
        B.Cover(
            kicker="Laporan",
            title="Pelaksanaan Survei Kepuasan Masyarakat",
            subject=unit,
            subtitle=period,
            figure_label="Indeks Kepuasan Masyarakat",
            figure=format_number(data.ikm),
            figure_note=f"Mutu pelayanan {category(band)} · {respondents} responden",
            footer=(f"Pemerintah {data.city_name}", unit, str(data.period.start.year)),
        ),
    )
    introduction(d, data.narrative)

    d.add(B.Heading("BAB II\nPENGUMPULAN DATA SURVEI KEPUASAN MASYARAKAT"), B.Heading("2.1 Pelaksana SKM", 2))
    d.paragraphs(data.narrative["team"])
    d.add(
        B.Heading("2.2 Metode Pengumpulan Data", 2),
        B.Paragraph(
            "Data dikumpulkan dengan kuesioner sembilan unsur pelayanan sesuai PermenPAN-RB Nomor 14 Tahun 2017 "
            f"({data.period.questionnaire_version}). Metode yang digunakan: {data.channels}. Setiap unsur dinilai "
            f"dengan skala 1–4; nilai indeks dihitung dengan bobot rata-rata tertimbang {data.weight.label} per unsur."
        ),
        B.Heading("2.3 Lokasi Pengumpulan Data", 2),
        B.Paragraph(f"Pengumpulan data dilakukan di lokasi pelayanan {unit} dan melalui kanal daring yang disediakan."),
        B.Heading("2.4 Waktu Pelaksanaan SKM", 2),
        schedule_table(data.schedule, "Waktu"),
        B.Heading("2.5 Penentuan Jumlah Responden", 2),
        B.Paragraph(
            f"Jumlah penerima layanan (populasi) pada periode ini sebanyak {_population(data)} orang. Berdasarkan "
            f"tabel Krejcie dan Morgan, jumlah responden minimal adalah {format_number(data.target, 0)} orang."
            if data.population
            else "Jumlah populasi penerima layanan belum diisi, sehingga target sampel Krejcie dan Morgan belum "
            "dapat ditentukan."
        ),
        B.Table(
            (
                B.Column("Populasi (N)", 3.5, "int"),
                B.Column("Target sampel (Krejcie–Morgan)", 4.5, "int"),
                B.Column("Responden tercapai", 3.5, "int"),
                B.Column("Keterangan", 4.0),
            ),
            ((data.population, data.target, data.respondents, _sample_text(data)),),
        ),
    )

    first = (
        f", dikumpulkan dari {doc.tanggal(data.first_day)} sampai {doc.tanggal(data.last_day)}"
        if data.first_day
        else ""
    )
    profile_rows: list[tuple[B.Cell, ...]] = []
    for number, group in enumerate(data.profile, start=1):
        for index, (label, count, pct) in enumerate(group.rows):
            profile_rows.append((number if index == 0 else "", group.name if index == 0 else "", label, count, pct))
    d.add(
        B.Heading("BAB III\nHASIL PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT"),
        B.Heading("3.1 Jumlah Responden", 2),
        B.Paragraph(
            f"Jumlah responden yang jawabannya sah pada {period} adalah {respondents} orang{first}. "
            "Karakteristik responden:"
        ),
        B.Table(
            (
                B.Column("No", 1.0, "int"),
                B.Column("Karakteristik", 3.8),
                B.Column("Indikator", 5.4),
                B.Column("Jumlah", 2.5, "int"),
                B.Column("Persentase", 2.8, "percent", 1),
            ),
            tuple(profile_rows),
            size="small",
        ),
        B.Heading("3.2 Indeks Kepuasan Masyarakat per Unsur", 2),
        B.Table(
            ELEMENT_COLUMNS,
            tuple(_element_rows(data)),
            total_rows=frozenset({len(ELEMENTS)}),
            caption=f"Nilai per unsur pelayanan (bobot {data.weight.label})",
            size="small",
        ),
        B.Paragraph(f"{_band_note()} Kinerja unit: {category(band)}.", "note"),
    )
    if data.figures is not None and data.ikm is not None:
        d.add(
            B.Figure(element_chart(data.figures.pairs(), width=400), f"Grafik 1. Nilai unsur pelayanan {unit} {period}")
        )
    d.add(
        B.Heading("3.3 Indeks per Jenis Layanan", 2),
        B.Table(
            (
                B.Column("No", 1.0, "int"),
                B.Column("Jenis layanan", 8.0),
                B.Column("Responden", 2.4, "int"),
                B.Column("IKM", 2.2, "number"),
                B.Column("Mutu", 1.9),
            ),
            tuple(
                (i, name, tally.respondents, score.ikm, score.band.letter if score.band else "–")
                for i, (name, tally, score) in enumerate(data.services, start=1)
            ),
            empty="Belum ada data per jenis layanan.",
        ),
    )
    if data.funnel:
        d.add(*_funnel_blocks(data.funnel))

    d.add(B.Heading("BAB IV\nANALISIS HASIL SURVEI KEPUASAN MASYARAKAT"), B.Heading("4.1 Analisis Unsur Pelayanan", 2))
    d.paragraphs(data.narrative["analysis"])
    d.add(
        B.Table(
            (
                B.Column("No", 1.0, "int"),
                B.Column("Unsur prioritas perbaikan", 9.0),
                B.Column("Nilai (25–100)", 3.0, "number"),
                B.Column("Mutu", 2.5),
            ),
            tuple(
                (i, f"{p.element.key.upper()} {p.element.name}", p.score, p.band.letter if p.band else "–")
                for i, p in enumerate(data.priorities, start=1)
            ),
            caption="Unsur prioritas perbaikan" + ("" if data.chosen_priorities else " (usulan: nilai terendah)"),
            empty="Belum ada hasil survei.",
        ),
        B.Heading("4.2 Rencana Tindak Lanjut", 2),
    )
    if data.plan:
        d.add(
            B.Table(
                (
                    B.Column("No", 0.9, "int"),
                    B.Column("Prioritas unsur", 2.9),
                    B.Column("Permasalahan", 3.3),
                    B.Column("Program/kegiatan", 4.0),
                    B.Column("Waktu", 2.0),
                    B.Column("Penanggung jawab", 2.4),
                ),
                tuple(
                    (i, row["element_name"], row["problem"], row["action"], row["timing"], row["responsible"])
                    for i, row in enumerate(data.plan, start=1)
                ),
                size="small",
            )
        )
    else:
        d.add(B.Paragraph("Rencana tindak lanjut belum disusun."))
    d.add(B.Heading("4.3 Hasil Tindak Lanjut Periode Sebelumnya", 2))
    if data.previous_plan:
        d.add(
            B.Paragraph(f"Realisasi RTL {data.previous_period}:", "plain"),
            B.Table(
                (
                    B.Column("No", 0.9, "int"),
                    B.Column("RTL", 4.3),
                    B.Column("Status pelaksanaan", 2.3),
                    B.Column("Deskripsi", 5.0),
                    B.Column("Dokumentasi", 3.0),
                ),
                tuple(
                    (
                        i,
                        f"{row['element_name']}: {row['action']}",
                        row["status"],
                        row["realisation"] or "–",
                        "; ".join(row["evidence"]) or "–",
                    )
                    for i, row in enumerate(data.previous_plan, start=1)
                ),
                size="small",
            ),
        )
    else:
        since = f" ({data.previous_period})" if data.previous_period else ""
        d.add(B.Paragraph(f"Tidak ada rencana tindak lanjut pada periode sebelumnya{since}."))
    d.add(
        B.Heading("4.4 Tren Nilai IKM", 2),
        B.Table(
            (
                B.Column("Periode", 5.0),
                B.Column("Responden", 3.0, "int"),
                B.Column("IKM", 3.0, "number"),
                B.Column("Mutu", 4.0),
            ),
            tuple(
                (name, f.respondents if f else 0, f.ikm if f else None, category(f.band) if f and f.band else "–")
                for name, f in data.trend
            ),
        ),
    )
    trend = _trend_chart(data)
    if trend:
        d.add(B.Figure(trend, f"Grafik 2. Tren IKM {unit}", 13, with_previous=True))
    perception = perception_blocks(data)
    if perception:
        d.add(B.Paragraph(PERCEPTION_REFERENCE))

    d.add(B.Heading("BAB V\nPENUTUP"))
    d.paragraphs(data.narrative["conclusion"])
    d.add(
        signature(data),
        B.Paragraph(
            f"Laporan ini dihasilkan oleh Sumber Daya pada {doc.tanggal_jam(timezone.now())}"
            + (" dari angka yang dibekukan saat pengajuan" if data.frozen else "")
            + ". Angka dihitung dari data survei, bukan diketik.",
            "note",
        ),
        B.Heading(("LAMPIRAN I" if perception else "LAMPIRAN") + "\nKUESIONER SURVEI KEPUASAN MASYARAKAT"),
        B.Paragraph(
            f"Kuesioner yang digunakan ({data.period.questionnaire_version}). "
            "Pilih satu jawaban untuk setiap pertanyaan.",
            "plain",
        ),
        B.Table(
            (
                B.Column("No", 1.0),
                B.Column("Pertanyaan", 6.1),
                B.Column("1", 2.1),
                B.Column("2", 2.1),
                B.Column("3", 2.1),
                B.Column("4", 2.1),
            ),
            tuple((e.key.upper(), f"{e.name}\n{e.question}", *e.labels) for e in ELEMENTS),
            size="small",
        ),
    )
    if perception:
        _perception_section(d, data, perception)
    return d


def _perception_section(d: B.Document, data: ReportData, blocks: list[dict[str, Any]]) -> None:
    d.add(B.Heading(f"LAMPIRAN II\n{PERCEPTION_TITLE}"), B.Paragraph(perception_intro(data)))
    for block in blocks:
        d.add(
            B.Heading(block["heading"], 2),
            B.Paragraph(block["summary"], "plain"),
            B.Paragraph(block["formula"], "plain"),
        )
        for note in block["notes"]:
            d.add(B.Paragraph(note, "strong" if note.startswith("Catatan") else "body"))
        if "steered_text" in block:
            d.add(
                B.Paragraph(block["steered_text"], "strong"),
                B.Paragraph(block["steered_detail"]),
                B.Paragraph(block["steered_treatment"], "strong"),
            )
        i = block["i"]
        if i["respondents"]:
            rows: list[tuple[B.Cell, ...]] = [
                (item["number"], item["statement"], item["mean"], _item_index(item["mean"], i["scale"]))
                for item in i["items"]
            ]
            rows.append(("", block["total"][1], i["mean"], i["index_0_100"]))
            d.add(
                B.Table(
                    (
                        B.Column("No", 1.0, "int"),
                        B.Column("Pernyataan", 9.6),
                        B.Column("Rata-rata", 2.6, "number", 3),
                        B.Column("Nilai (0–100)", 2.8, "number"),
                    ),
                    tuple(rows),
                    total_rows=frozenset({len(rows) - 1}),
                )
            )


def unit_pdf(data: ReportData) -> bytes:
    return B.to_pdf(unit_document(data))


def unit_docx(data: ReportData) -> bytes:
    return B.to_docx(unit_document(data))


# --- Excel ---------------------------------------------------------------------------------------

RAW_SHEET = "Data mentah"
FIRST_ELEMENT_ROW = 7


def unit_xlsx(data: ReportData) -> bytes:
    """The report's chapters (the same blocks as PDF and Word), then the computation sheet with live
    formulas beside the computed values, and the raw answers streamed (write-only: memory does not grow
    with the unit's responses)."""
    workbook = B.to_workbook(unit_document(data))
    _computation_sheet(workbook, data)
    return doc.streamed_workbook_bytes(workbook, [(RAW_SHEET, lambda sheet: _raw_sheet(sheet, data))])


def _computation_sheet(workbook: Any, data: ReportData) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet("Perhitungan IKM")
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

    _print_setup(sheet, landscape=True)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


RAW_WIDTHS = [6, 20, 28, 16, 8, 7, 10, 12, *[5] * len(ELEMENTS), 12, 60]


def _raw_sheet(raw: Any, data: ReportData) -> None:
    """One row per valid questionnaire of the period (the answers as stored, never edited), into a
    write-only sheet: widths, panes and print setup first, then the rows as the database yields them."""
    from openpyxl.cell import WriteOnlyCell

    from sumberdaya.results.tallies import valid_responses

    doc.set_widths(raw, RAW_WIDTHS)
    raw.freeze_panes = "A2"
    _print_setup(raw, landscape=True)
    raw.append(
        doc.header_cells(
            raw,
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
            ],
        )
    )
    responses = (
        valid_responses(data.period).filter(unit=data.unit).select_related("service").order_by("submitted_at", "pk")
    )
    for index, r in enumerate(responses.iterator(chunk_size=2000), start=1):
        when = WriteOnlyCell(raw, value=timezone.localtime(r.submitted_at).replace(tzinfo=None))  # a real date-time
        when.number_format = "dd/mm/yyyy hh:mm"
        texts = [r.service.name if r.service else "", r.get_channel_display(), r.sex, r.age, r.education]
        row: list[Any] = [index, when, *texts, r.occupation or "", *r.answers, r.get_comment_kind_display()]
        row.append(r.comment)
        raw.append([_plain(raw, v) for v in row])  # a comment never becomes a formula
    if data.frozen:
        raw.append([])
        raw.append([doc.cell_text("Catatan: data mentah adalah data terkini; angka laporan dibekukan saat pengajuan.")])


def _plain(sheet: Any, value: Any) -> Any:
    """A text cell of the raw sheet: XML-safe, and kept as text (quote prefix) if it looks like a formula."""
    if not isinstance(value, str):
        return value
    from sumberdaya.core.spreadsheet import formula_like, protect_cell

    text = doc.plain_text(value)
    if not formula_like(text):
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    protect_cell(cell)
    return cell


def _print_setup(sheet: Any, landscape: bool) -> None:
    """A4, fit to the page width, the header row repeated on every printed page."""
    from openpyxl.worksheet.worksheet import Worksheet

    setup = sheet.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4  # also on a write-only sheet
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if sheet.freeze_panes:
        header = int(sheet.freeze_panes[1:]) - 1
        sheet.print_title_rows = f"{header}:{header}"
