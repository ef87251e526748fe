"""Reports built in the background (django-tasks, database backend) and reused while nothing changed.

`request_file()` returns the `GeneratedFile` for a report and format: the ready one whose fingerprint matches
(reused), the one being built, or a new one queued for the worker (`sumberdaya db_worker`). The fingerprint
covers what a report prints: responses (their count and newest row, so an exclusion changes it), imported
results, narratives, follow-up plans and chosen priorities, submissions, the units' heads, the period's
dates, the aggregation settings and the day (the signature date). `run_build()` is the worker's side:
status and progress in the row, the file's bytes and how many seconds it took.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from sumberdaya.reports.models import GeneratedFile, UnitReport
from sumberdaya.surveys.models import Period, Response
from sumberdaya.units.models import Unit

Progress = Callable[[int, str], None]


def fingerprint(period: Period, unit: Unit | None = None, extra: tuple[Any, ...] = ()) -> str:
    """A digest of everything the report depends on (a handful of aggregate queries); `extra` is what an upper
    layer adds (the city report: its narrative's last change)."""
    from sumberdaya.followup.models import PlanItem, Priority
    from sumberdaya.results.models import ImportedResult

    scope = Q(unit=unit) if unit is not None else Q()
    parts: list[Any] = [
        period.pk,
        period.start,
        period.end,
        period.input_deadline,
        period.report_deadline,
        settings.SKM_WEIGHT,
        settings.SKM_AGGREGATION,
        settings.SKM_CITY_NAME,
        timezone.localdate(),
        Response.objects.filter(scope, status=Response.Status.VALID).aggregate(n=Count("pk"), last=Max("pk")),
        ImportedResult.objects.filter(scope).aggregate(
            n=Count("pk"), last=Max("pk"), preferred=Count("pk", filter=Q(preferred=True))
        ),
        PlanItem.objects.filter(scope).aggregate(n=Count("pk"), changed=Max("updated_at")),
        Priority.objects.filter(scope).aggregate(n=Count("pk"), changed=Max("chosen_at")),
        UnitReport.objects.filter(scope).aggregate(n=Count("pk"), changed=Max("updated_at")),
        list(
            Unit.objects.filter(Q(pk=unit.pk) if unit else Q())
            .order_by("pk")
            .values_list("pk", "name", "kind", "active", "head_title", "head_name", "head_nip")
        ),
        *extra,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def request_file(
    kind: str, period: Period | None, unit: Unit | None, fmt: str, digest: str, task: Any, retry: bool = False
) -> GeneratedFile:
    """The file for this report as it stands: reused when ready, else queued once (two clicks, one build).
    A failed build stays shown as failed until someone asks again (`retry`). A file of no period (the poster
    sheet) is serialised on its unit rows instead."""
    lookup = {"kind": kind, "period": period, "unit": unit, "fmt": fmt, "fingerprint": digest}
    with transaction.atomic():
        if period is not None:
            Period.objects.select_for_update().filter(pk=period.pk).first()  # serialises two requests for one period
        else:
            Unit.objects.select_for_update().order_by("pk").first()
        current = GeneratedFile.objects.filter(**lookup).order_by("-pk").first()
        if current is not None and not (retry and current.status == GeneratedFile.Status.FAILED):
            return current
        current = GeneratedFile.objects.create(**lookup, step="Menunggu giliran")
    result = task.enqueue(current.pk)
    GeneratedFile.objects.filter(pk=current.pk, task_id="").update(task_id=str(result.id))
    current.refresh_from_db()
    return current


def run_build(file_id: int, build: Callable[[GeneratedFile, Progress], bytes]) -> None:
    """The worker's part: build, store, record how long it took; a failure is kept with its message."""
    record = GeneratedFile.objects.select_related("period", "unit").get(pk=file_id)
    started = time.perf_counter()

    def progress(percent: int, step: str) -> None:
        GeneratedFile.objects.filter(pk=file_id).update(progress=percent, step=step)

    GeneratedFile.objects.filter(pk=file_id).update(status=GeneratedFile.Status.RUNNING, progress=5, step="Mulai")
    try:
        content = build(record, progress)
    except Exception as error:  # the page says it failed; the admin can ask again
        GeneratedFile.objects.filter(pk=file_id).update(
            status=GeneratedFile.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    GeneratedFile.objects.filter(pk=file_id).update(
        status=GeneratedFile.Status.READY,
        progress=100,
        step="Selesai",
        content=content,
        seconds=time.perf_counter() - started,
        finished_at=timezone.now(),
    )
    # Older files of the same report are superseded (the data changed since): keep the table small.
    GeneratedFile.objects.filter(kind=record.kind, period=record.period, unit=record.unit, fmt=record.fmt).exclude(
        fingerprint=record.fingerprint
    ).exclude(status__in=[GeneratedFile.Status.QUEUED, GeneratedFile.Status.RUNNING]).delete()


def file_response(request: Any, record: GeneratedFile, filename: str, content_type: str, title: str) -> Any:
    """The file when ready (an attachment); otherwise the progress page, which refreshes itself (no JavaScript)."""
    from django.http import HttpResponse
    from django.shortcuts import render

    if record.status == GeneratedFile.Status.READY and record.content is not None:
        response = HttpResponse(bytes(record.content), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(
        request,
        "reports/progress.html",
        {"file": record, "title": title, "filename": filename, "failed": record.status == GeneratedFile.Status.FAILED},
    )
