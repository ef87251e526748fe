"""The city admin's export of every unit's responses in a period (CSV streamed, Excel from a temporary file).

The work is `surveys.exporting` (chunked reads, flat memory at a million rows); this is the permission, the
period and the audit event.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.views.decorators.http import require_safe

from sumberdaya.accounts.audit import record
from sumberdaya.accounts.permissions import admin_required, staff_user
from sumberdaya.results.tallies import valid_responses
from sumberdaya.surveys import exporting
from sumberdaya.surveys.periods import chosen_period


@admin_required
@require_safe
def responses(request: HttpRequest, kind: str) -> Any:  # a streamed or a file response
    """/kota/respons.csv|xlsx?periode=…: the valid SKM responses of the period, every unit."""
    period = chosen_period(request)
    rows = valid_responses(period)
    record(staff_user(request), "responses.export", None, after={"period": period.slug, "format": kind})
    filename = f"respons-skm-kota-{period.slug}.{kind}"
    if kind == "xlsx":
        return exporting.xlsx_response(rows, filename)
    return exporting.csv_response(rows, filename)
