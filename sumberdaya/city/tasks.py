"""Background tasks of the city app (run by `sumberdaya db_worker`): the city report and the QR poster sheet."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from sumberdaya.reports.building import Progress, request_file, run_build
from sumberdaya.reports.models import GeneratedFile

POSTER_SHEET = "posters"


def _city_report(record: GeneratedFile, progress: Progress) -> bytes:
    from sumberdaya.city.report import render_city_report

    assert record.period is not None
    return render_city_report(record.period, record.fmt, progress)  # type: ignore[arg-type]


@task()
def build_city_report(file_id: int) -> None:
    run_build(file_id, _city_report)


def _poster_sheet(record: GeneratedFile, progress: Progress) -> bytes:
    from sumberdaya.surveys import posters

    # Posters hang where citizens are served: always in Indonesian, whatever the admin's page language.
    with translation.override("id"):
        progress(15, "Menyiapkan kode QR semua unit")
        units = posters.sheet_units()
        progress(35, f"Menulis {len(units)} poster (PDF)")
        return posters.poster_pdf(units)


@task()
def build_poster_sheet(file_id: int) -> None:
    run_build(file_id, _poster_sheet)


def poster_sheet_file(retry: bool = False) -> GeneratedFile:
    """The all-units poster sheet: the built one while units and addresses are unchanged, else queued."""
    from sumberdaya.surveys.posters import sheet_fingerprint

    return request_file(POSTER_SHEET, None, None, "pdf", sheet_fingerprint(), build_poster_sheet, retry=retry)
