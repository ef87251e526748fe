"""`sumberdaya import-units`: the registry CSV, idempotent by code, parents by code, refused as a whole."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from sumberdaya.units.importing import PACKAGED_UNITS, UnitFileError, import_units_text, load_packaged_units
from sumberdaya.units.models import Unit


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_units", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_it_loads_the_156_packaged_units_with_their_parents() -> None:
    code, out, _err = run(str(PACKAGED_UNITS))
    assert code == 0
    assert "156 unit: 156 baru" in out
    assert Unit.objects.count() == 156
    mawar = Unit.objects.get(code="kelurahan-mawar")
    assert mawar.kind == "kelurahan" and mawar.order == 53
    assert mawar.parent is not None and mawar.parent.code == "kecamatan-banjarmasin-tengah"
    assert Unit.objects.filter(kind="uptd").count() == 33


@pytest.mark.django_db
def test_a_second_import_changes_nothing_and_an_edited_name_updates_by_code() -> None:
    load_packaged_units()
    again = load_packaged_units()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 156)
    summary = import_units_text("no,code,name,kind,parent_code\n53,kelurahan-mawar,Kelurahan Mawar Baru,kelurahan,\n")
    assert (summary.created, summary.updated) == (0, 1)
    mawar = Unit.objects.get(code="kelurahan-mawar")
    assert mawar.name == "Kelurahan Mawar Baru"
    assert mawar.parent is None
    assert Unit.objects.count() == 156


@pytest.mark.django_db
def test_a_parent_listed_after_its_child_is_resolved() -> None:
    import_units_text(
        "no,code,name,kind,parent_code\n"
        "1,kelurahan-a,Kelurahan A,kelurahan,kecamatan-x\n"
        "2,kecamatan-x,Kecamatan X,kecamatan,\n"
    )
    assert Unit.objects.get(code="kelurahan-a").parent == Unit.objects.get(code="kecamatan-x")


@pytest.mark.django_db
def test_a_bad_file_is_refused_with_every_problem_by_row_and_nothing_stored(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "no,code,name,kind,parent_code\n"
        "1,dinas-a,Dinas A,skpd,\n"
        "2,dinas-a,Dinas A lagi,skpd,\n"
        "3,kelurahan-b,Kelurahan B,desa,\n"
        "4,Kelurahan C,Kelurahan C,kelurahan,kecamatan-tidak-ada\n"
        "5,kelurahan-d,,kelurahan,\n",
        encoding="utf-8",
    )
    code, _out, err = run(str(path))
    assert code == 1
    assert "Baris 3: kode 'dinas-a' sudah dipakai di baris 2." in err
    assert "Baris 4: jenis unit 'desa' tidak dikenal" in err
    assert "Baris 5: kode 'kelurahan c' hanya boleh huruf kecil" in err
    assert "Baris 5: unit induk 'kecamatan-tidak-ada' tidak dikenal." in err
    assert "Baris 6: nama unit kosong." in err
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_a_file_without_the_kind_column_is_refused_at_row_1() -> None:
    with pytest.raises(UnitFileError) as refused:
        import_units_text("no,code,name\n1,dinas-a,Dinas A\n")
    assert refused.value.problems == ["Baris 1: kolom kind tidak ada (kolom: no, code, name, kind, parent_code)."]


@pytest.mark.django_db
def test_a_missing_file_exits_with_code_1(tmp_path: Path) -> None:
    code, _out, err = run(str(tmp_path / "tidak-ada.csv"))
    assert code == 1
    assert "Berkas tidak ditemukan" in err
