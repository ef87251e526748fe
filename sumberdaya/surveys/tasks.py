"""Background tasks of the surveys app (run by `sumberdaya db_worker`): the integrity scan after paper entry
and imports."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def scan_units(unit_ids: list[int], days: list[str]) -> dict[str, int]:
    """The integrity rules over the periods holding these days, for these units (`integrity.scan_days`)."""
    from sumberdaya.surveys import integrity

    summary = integrity.scan_days(unit_ids, [dt.date.fromisoformat(day) for day in days])
    if summary is None:
        return {}
    return {
        "units": summary.units, "responses": summary.responses, "flagged": summary.flagged,
        "findings": summary.findings, "removed": summary.removed, "unflagged": summary.unflagged,
    }
