"""`sumberdaya add-period SLUG [--start --end]`: dates default from the slug."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from sumberdaya.surveys.models import Period


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("add_period", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_a_year_takes_its_dates_from_the_slug() -> None:
    code, out, _err = run("2024")
    assert code == 0
    period = Period.objects.get(slug="2024")
    assert (period.name, period.start, period.end) == ("Tahun 2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert "Periode 2024 (Tahun 2024) dibuat" in out


@pytest.mark.django_db
def test_a_quarter_and_a_semester_take_their_dates_from_the_slug() -> None:
    run("2024-tw2")
    run("2024-S2")
    quarter = Period.objects.get(slug="2024-TW2")
    assert (quarter.name, quarter.start, quarter.end) == ("Triwulan II 2024", dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    semester = Period.objects.get(slug="2024-S2")
    assert (semester.start, semester.end) == (dt.date(2024, 7, 1), dt.date(2024, 12, 31))


@pytest.mark.django_db
def test_explicit_dates_and_deadlines_override_the_defaults() -> None:
    code, _out, _err = run(
        "2025",
        "--start",
        "2025-06-01",
        "--end",
        "2025-11-12",
        "--input-deadline",
        "2025-11-26",
    )
    assert code == 0
    period = Period.objects.get(slug="2025")
    assert (period.start, period.end, period.input_deadline) == (
        dt.date(2025, 6, 1),
        dt.date(2025, 11, 12),
        dt.date(2025, 11, 26),
    )


@pytest.mark.django_db
def test_running_it_twice_is_harmless_but_other_dates_are_refused() -> None:
    assert run("2024")[0] == 0
    code, out, _err = run("2024")
    assert code == 0 and "sudah ada" in out
    code, _out, err = run("2024", "--start", "2024-03-01")
    assert code == 1 and "sudah ada dengan tanggal 2024-01-01" in err
    assert Period.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2024-TW5",), "Kode periode '2024-TW5' tidak dikenal"),
        (("2024", "--start", "01/06/2024"), "Tanggal '01/06/2024' tidak sah"),
        (("2024", "--start", "2024-10-01", "--end", "2024-09-30"), "sebelum tanggal mulai"),
    ],
)
def test_it_refuses_bad_input_in_indonesian_with_exit_code_1(args: tuple[str, ...], message: str) -> None:
    code, _out, err = run(*args)
    assert code == 1
    assert message in err
    assert not Period.objects.exists()
