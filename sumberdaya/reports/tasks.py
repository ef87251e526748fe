"""Background tasks of the reports app (run by `sumberdaya db_worker`)."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from sumberdaya.reports.building import Progress, run_build
from sumberdaya.reports.models import GeneratedFile


def _unit_report(record: GeneratedFile, progress: Progress) -> bytes:
    from sumberdaya.reports.render import render
    from sumberdaya.reports.unit import report_data

    assert record.unit is not None and record.period is not None
    with translation.override("id"):
        progress(20, "Mengumpulkan data unit")
        data = report_data(record.unit, record.period)
        progress(50, f"Menulis berkas {record.fmt.upper()}")
        return render(data, record.fmt)


# Not deferred to the commit: the page that asks for a report waits for nothing, and tests run it at once.
@task()
def build_unit_report(file_id: int) -> None:
    run_build(file_id, _unit_report)
