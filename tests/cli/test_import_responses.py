"""`sumberdaya import-responses` and the shared reader/validator: all or nothing, every problem listed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from sumberdaya.surveys.importing import (
    CONTRACT_COLUMNS,
    ParseResult,
    TableTooLarge,
    parse_responses,
    read_table,
    store_responses,
)
from sumberdaya.surveys.models import Response

WITA = ZoneInfo("Asia/Makassar")
HEADER = ",".join(CONTRACT_COLUMNS)


def csv_file(tmp_path: Path, *lines: str, header: str = HEADER, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_responses", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def parse(lines: Sequence[str], header: str = HEADER, **options: Any) -> ParseResult:
    text = "\n".join([header, *lines]) + "\n"
    head, rows = read_table(io.BytesIO(text.encode()), "data.csv")
    return parse_responses(head, rows, **options)


@pytest.mark.django_db
def test_a_good_file_is_stored_with_every_field(tmp_path: Path, unit: Any, other_unit: Any) -> None:
    path = csv_file(
        tmp_path,
        "kelurahan-mawar,2024-03-05,surat KETERANGAN domisili,,4,3,3,4,3,4,4,3,,L,34,SMA,Swasta,Cepat sekali",
        "puskesmas-cempaka,2024-03-06 09:15,Poli umum,daring,4.0,4,4,4,4,4,4,4,4,Perempuan,51.0,s1/d4,pns,",
        "kelurahan-mawar,30/06/2024 14:05,,Wawancara,1,2,3,4,1,2,3,4,1,,,,,",
    )
    code, out, err = run(str(path))
    assert code == 0, err
    assert "3 kuesioner disimpan" in out
    first, second, third = Response.objects.order_by("submitted_at")
    assert first.unit == unit and first.service is not None and first.service.name == "Surat keterangan domisili"
    assert first.answers == [4, 3, 3, 4, 3, 4, 4, 3, None]  # the blank stays blank, never 0
    assert first.submitted_at == dt.datetime(2024, 3, 5, 12, 0, tzinfo=WITA)  # a date alone means noon local
    assert first.channel == "paper"  # the default channel of an imported file
    assert (first.sex, first.age, first.education, first.occupation) == ("L", 34, "SMA", "Swasta")
    assert first.comment == "Cepat sekali"
    assert second.submitted_at == dt.datetime(2024, 3, 6, 9, 15, tzinfo=WITA)  # naive = local time
    assert (second.channel, second.sex, second.age, second.education, second.occupation) == (
        "online",
        "P",
        51,
        "S1/D4",
        "PNS",
    )
    assert second.answers == [4] * 9
    assert third.submitted_at == dt.datetime(2024, 6, 30, 14, 5, tzinfo=WITA)
    assert (third.channel, third.service, third.sex, third.age) == ("interview", None, "", None)
    assert all(r.status == Response.Status.VALID for r in (first, second, third))


@pytest.mark.django_db
def test_a_value_5_an_unknown_unit_a_bad_date_are_refused_by_row_and_nothing_is_stored(
    tmp_path: Path, unit: Any
) -> None:
    path = csv_file(
        tmp_path,
        "kelurahan-mawar,2024-03-05,,,4,3,3,4,3,4,4,3,3,,,,,",
        "kelurahan-mawar,2024-03-05,,,5,3,3,4,3,4,4,3,0,,,,,",
        "kelurahan-melati,2024-03-05,,,4,3,3,4,3,4,4,3,3,,,,,",
        "kelurahan-mawar,2024-13-45,,,4,3,3,4,3,4,4,3,3,,,,,",
    )
    code, _out, err = run(str(path))
    assert code == 1
    assert "tidak ada yang disimpan" in err
    assert "Baris 3, kolom u1: nilai '5' tidak sah" in err
    assert "Baris 3, kolom u9: nilai '0' tidak sah" in err  # every problem of a row, not just the first
    assert "Baris 4, kolom unit: kode unit 'kelurahan-melati' tidak dikenal." in err
    assert "Baris 5, kolom submitted_at: tanggal '2024-13-45' tidak dikenal" in err
    assert "Baris 2" not in err
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_missing_header_column_is_refused_at_row_1(tmp_path: Path, unit: Any) -> None:
    header = HEADER.replace(",u3", "").replace("submitted_at,", "")
    path = csv_file(tmp_path, "kelurahan-mawar,,,4,3,4,3,4,4,3,3,,,,,", header=header)
    code, _out, err = run(str(path))
    assert code == 1
    assert "Baris 1: kolom submitted_at (tanggal), u3 tidak ada di baris judul." in err
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_the_dry_run_checks_but_stores_nothing(tmp_path: Path, unit: Any) -> None:
    path = csv_file(tmp_path, "kelurahan-mawar,2024-03-05,,,4,3,3,4,3,4,4,3,3,,,,,")
    code, out, _err = run(str(path), "--dry-run")
    assert code == 0
    assert "1 kuesioner sah; tidak disimpan" in out
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_each_field_is_checked_with_a_clear_message(unit: Any) -> None:
    result = parse(
        [
            "kelurahan-mawar,2024-03-05,Akta kelahiran,faks,4,3,3,4,3,4,4,3,3,X,9,SD kelas 3,Petani," + "a" * 2001,
            "kelurahan-mawar,2099-01-01,,,,,,,,,,,,,,,,",
        ]
    )
    assert not result.ok and result.responses == []
    messages = [str(error) for error in result.errors]
    assert messages == [
        "Baris 2, kolom service: jenis layanan 'Akta kelahiran' tidak ada di Kelurahan Mawar "
        "(pilihan: Surat keterangan domisili, Surat pengantar nikah).",
        "Baris 2, kolom channel: metode 'faks' tidak dikenal; pilih online, kiosk, paper atau interview.",
        "Baris 2, kolom sex: jenis kelamin 'X' tidak dikenal; isi L atau P.",
        "Baris 2, kolom age: umur '9' tidak sah; isi bilangan bulat 10–120.",
        "Baris 2, kolom education: nilai 'SD kelas 3' tidak dikenal; pilih salah satu: "
        "D1-D3, S1/D4, S2, S3, SD, SMA, SMP.",
        "Baris 2, kolom occupation: nilai 'Petani' tidak dikenal; pilih salah satu: "
        "Lainnya, PNS, POLRI, Swasta, TNI, Wirausaha.",
        "Baris 2, kolom comment: komentar 2001 karakter, paling banyak 2000.",
        "Baris 3, kolom submitted_at: tanggal '2099-01-01' ada di masa depan.",
        "Baris 3: semua jawaban u1–u9 kosong; baris tanpa jawaban tidak dapat dihitung.",
    ]


@pytest.mark.django_db
def test_blank_lines_are_skipped_but_keep_spreadsheet_row_numbers(unit: Any) -> None:
    result = parse(
        [
            "",
            "kelurahan-mawar,2024-03-05,,,4,3,3,4,3,4,4,3,3,,,,,",
            ",,,,,,,,,,,,,,,,,",
            "x,2024-03-05,,,4,,,,,,,,,,,,,",
        ]
    )
    assert result.rows == 2
    assert [(e.row, e.column) for e in result.errors] == [(5, "unit")]


@pytest.mark.django_db
def test_a_file_with_only_a_header_is_refused(unit: Any) -> None:
    result = parse([])
    assert not result.ok
    assert result.header_errors == ["Berkas tidak berisi baris data di bawah baris judul."]


@pytest.mark.django_db
def test_an_inactive_unit_and_a_unit_the_user_may_not_write_to_are_refused(unit: Any, other_unit: Any) -> None:
    other_unit.active = False
    other_unit.save()
    result = parse(["puskesmas-cempaka,2024-03-05,,,4,3,3,4,3,4,4,3,3,,,,,"], allowed_units={"kelurahan-mawar"})
    assert [e.message for e in result.errors] == ["unit 'puskesmas-cempaka' tidak aktif."]
    other_unit.active = True
    other_unit.save()
    result = parse(["puskesmas-cempaka,2024-03-05,,,4,3,3,4,3,4,4,3,3,,,,,"], allowed_units={"kelurahan-mawar"})
    assert [e.message for e in result.errors] == ["Anda tidak berwenang mengisi data unit 'puskesmas-cempaka'."]


@pytest.mark.django_db
def test_a_google_forms_export_is_read_through_a_mapping_into_the_default_unit(unit: Any, operator: Any) -> None:
    questions = [f"Pertanyaan {i}" for i in range(1, 10)]
    header = ",".join(["Timestamp", "Jenis layanan", *questions, "Jenis kelamin", "Kritik dan saran"])
    mapping = {
        "submitted_at": "Timestamp",
        "service": "Jenis layanan",
        "sex": "Jenis kelamin",
        "comment": "Kritik dan saran",
        **{f"u{i}": questions[i - 1] for i in range(1, 10)},
    }
    result = parse(
        [
            "05/03/2024 10:15:42,Surat pengantar nikah,4,4,3,3,4,4,4,3,2,Laki-laki,Mohon antrean diperbaiki",
            "06/03/2024 08:01:00,,4,4,4,4,4,4,4,4,5,P,",
        ],
        header=header,
        mapping=mapping,
        default_unit=unit,
        default_channel="online",
        entered_by=operator,
    )
    assert [str(e) for e in result.errors] == [
        "Baris 3, kolom Pertanyaan 9: nilai '5' tidak sah; isi 1, 2, 3, 4 atau kosongkan."
    ]
    result = parse(
        ["05/03/2024 10:15:42,Surat pengantar nikah,4,4,3,3,4,4,4,3,2,Laki-laki,Mohon antrean diperbaiki"],
        header=header,
        mapping=mapping,
        default_unit=unit,
        default_channel="online",
        entered_by=operator,
    )
    assert result.ok
    assert store_responses(result) == 1
    stored = Response.objects.get()
    assert (stored.unit, stored.channel, stored.entered_by, stored.sex) == (unit, "online", operator, "L")
    assert stored.submitted_at == dt.datetime(2024, 3, 5, 10, 15, 42, tzinfo=WITA)


@pytest.mark.django_db
def test_store_responses_refuses_a_result_with_errors(unit: Any) -> None:
    result = parse(["kelurahan-mawar,2024-03-05,,,5,3,3,4,3,4,4,3,3,,,,,"])
    with pytest.raises(ValueError, match="tidak ada yang disimpan"):
        store_responses(result)
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_semicolon_file_with_a_bom_and_a_windows_encoded_file_are_read(tmp_path: Path, unit: Any) -> None:
    line = "kelurahan-mawar;2024-03-05;;;4;3;3;4;3;4;4;3;3;;;;;Pelayanan baik"
    (tmp_path / "bom.csv").write_bytes(("\ufeff" + HEADER.replace(",", ";") + "\n" + line + "\n").encode("utf-8"))
    (tmp_path / "ansi.csv").write_bytes(
        (HEADER + "\nkelurahan-mawar,2024-03-05,,,4,3,3,4,3,4,4,3,3,,,,,Café ramah\n").encode("cp1252")
    )
    assert run(str(tmp_path / "bom.csv"))[0] == 0
    assert run(str(tmp_path / "ansi.csv"))[0] == 0
    assert sorted(Response.objects.values_list("comment", flat=True)) == ["Café ramah", "Pelayanan baik"]


@pytest.mark.django_db
def test_an_excel_file_with_number_and_date_cells_is_read(tmp_path: Path, unit: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(CONTRACT_COLUMNS))
    sheet.append(
        [
            "kelurahan-mawar",
            dt.datetime(2024, 5, 2, 10, 30),
            None,
            "kertas",
            4.0,
            3,
            3,
            4,
            3,
            4,
            4,
            3,
            None,
            "P",
            41.0,
            "D3",
            "Wirausaha",
            None,
        ]
    )
    sheet.append(["kelurahan-mawar", dt.date(2024, 5, 3), None, None, 4, 4, 4, 4, 4, 4, 4, 4, 4])
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    code, out, err = run(str(path))
    assert code == 0, err
    first, second = Response.objects.order_by("submitted_at")
    assert first.submitted_at == dt.datetime(2024, 5, 2, 10, 30, tzinfo=WITA)
    assert first.answers == [4, 3, 3, 4, 3, 4, 4, 3, None]
    assert (first.channel, first.age, first.education) == ("paper", 41, "D1-D3")
    assert second.submitted_at == dt.datetime(2024, 5, 3, 12, 0, tzinfo=WITA)


def test_read_table_refuses_more_rows_than_allowed() -> None:
    text = HEADER + "\n" + "x\n" * 11
    header, rows = read_table(io.BytesIO(text.encode()), "data.csv", max_rows=10)
    assert header[0] == "unit"
    with pytest.raises(TableTooLarge):
        list(rows)


@pytest.mark.django_db
def test_a_large_file_shows_a_progress_bar_on_stderr(tmp_path: Path, unit: Any) -> None:
    line = "kelurahan-mawar,2024-03-05 10:00,,online,4,3,3,4,3,4,4,3,3,L,30,SMA,Swasta,"
    path = csv_file(tmp_path, *[line] * 2500)
    code, out, err = run(str(path))
    assert code == 0
    assert "2500 kuesioner disimpan" in out
    assert "Memeriksa [##############################] 2.500/2.500" in err
    assert "Menyimpan [" in err
    assert Response.objects.count() == 2500


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026/11/28 10:15:32", (2026, 11, 28, 10, 15, 32)),
        ("2026/11/28", (2026, 11, 28, 12, 0, 0)),
        ("11/28/2026 10:15:32 AM", (2026, 11, 28, 10, 15, 32)),
        ("11/28/2026 1:05:00 PM", (2026, 11, 28, 13, 5, 0)),
        ("28/11/2026 10:15", (2026, 11, 28, 10, 15, 0)),
    ],
)
def test_it_reads_the_timestamps_spreadsheets_and_google_forms_write(text: str, expected: tuple[int, ...]) -> None:
    from zoneinfo import ZoneInfo

    from sumberdaya.surveys.importing import parse_moment

    moment = parse_moment(text, ZoneInfo("Asia/Makassar"))
    assert moment is not None
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second) == expected
    assert moment.utcoffset() is not None


@pytest.mark.parametrize("text", ["2026-12-02", "02/12/2026"])
def test_a_date_alone_of_today_entered_before_noon_is_not_in_the_future(text: str) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from sumberdaya.surveys.importing import parse_moment

    wita = ZoneInfo("Asia/Makassar")
    morning = dt.datetime(2026, 12, 2, 0, 5, tzinfo=wita)  # 16:05 UTC the day before
    assert parse_moment(text, wita, morning) == morning
    afternoon = dt.datetime(2026, 12, 2, 15, 0, tzinfo=wita)
    assert parse_moment(text, wita, afternoon) == dt.datetime(2026, 12, 2, 12, 0, tzinfo=wita)
    assert parse_moment("2026-12-03", wita, morning) == dt.datetime(2026, 12, 3, 12, 0, tzinfo=wita)  # still future
