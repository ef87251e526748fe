"""Background tasks of the city app (run by `sumberdaya db_worker`): the city report."""

from __future__ import annotations

from django_tasks import task

from sumberdaya.reports.building import Progress, run_build
from sumberdaya.reports.models import GeneratedFile


def _city_report(record: GeneratedFile, progress: Progress) -> bytes:
    from sumberdaya.city.report import render_city_report

    return render_city_report(record.period, record.fmt, progress)  # type: ignore[arg-type]


@task()
def build_city_report(file_id: int) -> None:
    run_build(file_id, _city_report)
