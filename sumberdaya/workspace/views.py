"""The unit workspace: paper entry, spreadsheet import, response review and the comments inbox.

Views stay thin: permission (`get_unit_for`), a form, one call, a message. Every change is logged with
`accounts.audit.record` in the same transaction. Citizens' answers are never updated or deleted here:
review changes only a response's status (with a reason), comments get a separate follow-up note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.permissions import get_unit_for, staff_user
from sumberdaya.complaints.handling import tagged_with
from sumberdaya.skm.elements import ELEMENTS
from sumberdaya.surveys import exporting, importing, integrity
from sumberdaya.surveys.models import ImportRecord, Response
from sumberdaya.surveys.periods import calendar_order, chosen_period
from sumberdaya.units.models import Unit
from sumberdaya.workspace import complaints, importer
from sumberdaya.workspace.forms import EntryForm, ExcludeForm, FollowUpForm, UploadForm
from sumberdaya.workspace.models import CommentFollowUp, ImportMapping

PAGE_SIZE = 50
SESSION_KEY = "workspace_imports"


def _entered_today(user: Any) -> int:
    today = timezone.localdate()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    return Response.objects.filter(entered_by=user, created_at__gte=start).count()


# ------------------------------------------------------------------------------------------ paper entry


@login_required
def entry(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    if request.method == "POST":
        form = EntryForm(unit, request.POST)
        if form.is_valid():
            with transaction.atomic():
                response = form.build(request.user)
                response.save()
                record(
                    request.user,
                    "response.enter",
                    response,
                    after=snapshot(response, ["channel", "submitted_at", *[e.column for e in ELEMENTS]]),
                )
                integrity.queue_scan([unit.pk], [response.submitted_at])
            messages.success(
                request,
                _("Kuesioner tersimpan. Hari ini Anda sudah mengentri %(n)d kuesioner.")
                % {"n": _entered_today(request.user)},
            )
            # Keep the date and method for the next paper of the same pile.
            query = f"?tanggal={form.cleaned_data['submitted_on']:%Y-%m-%d}&metode={form.cleaned_data['channel']}"
            return redirect(reverse("workspace:entry", args=[unit.code]) + query)
    else:
        initial = {"submitted_on": timezone.localdate(), "channel": Response.Channel.PAPER}
        with contextlib.suppress(ValueError):
            initial["submitted_on"] = dt.date.fromisoformat(request.GET.get("tanggal", ""))
        if request.GET.get("metode") in (Response.Channel.PAPER, Response.Channel.INTERVIEW):
            initial["channel"] = request.GET["metode"]
        form = EntryForm(unit, initial=initial)
    return render(
        request,
        "workspace/entry.html",
        {
            "unit": unit,
            "form": form,
            "entered_today": _entered_today(request.user),
        },
    )


# ----------------------------------------------------------------------------------------------- import


@login_required
def import_file(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    context: dict[str, Any] = {
        "unit": unit,
        "max_mb": importer.MAX_BYTES // (1024 * 1024),
        "max_rows": importer.MAX_ROWS,
        "channels": Response.Channel.choices,
    }
    if request.method != "POST":
        context["form"] = UploadForm()
        return render(request, "workspace/import.html", context)

    if "file" in request.FILES or "token" not in request.POST:
        return _receive_upload(request, unit, context)
    done = ImportRecord.objects.filter(upload_token=request.POST["token"][:40], unit=unit).first()
    if done is not None:
        return _already_imported(request, unit, done)
    parked = _parked_from_session(request, unit)
    if parked is None:
        messages.error(request, _("Berkas unggahan tidak ditemukan atau sudah kedaluwarsa. Unggah ulang."))
        return redirect("workspace:import", code=unit.code)
    token, path, name, sha256 = parked
    mapping = {field: request.POST.get(f"map_{field}", "")[:300] for field in importer.FIELDS}
    channel = request.POST.get("default_channel", Response.Channel.PAPER)
    if channel not in Response.Channel.values:
        channel = Response.Channel.PAPER
    return _preview_or_store(
        request,
        unit,
        context,
        token,
        path,
        name,
        sha256,
        mapping,
        channel,
        store=request.POST.get("action") == "import",
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def import_template(request: HttpRequest, code: str) -> HttpResponse:
    """The spreadsheet to start from: Indonesian headings and one example row for this unit."""
    unit = get_unit_for(request, code, change=True)
    buffer = io.BytesIO()
    importer.template_workbook(unit).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="contoh-impor-skm-{unit.code}.xlsx"'
    return response


def _already_imported(request: HttpRequest, unit: Unit, done: ImportRecord) -> HttpResponse:
    """A repeated POST of an upload already stored (a lost connection, a second tap): show that result."""
    messages.info(
        request,
        _("Berkas ini sudah diimpor (%(what)s); tidak diimpor dua kali.") % {"what": done.describe()},
    )
    return redirect("workspace:review", code=unit.code)


def _receive_upload(request: HttpRequest, unit: Unit, context: dict[str, Any]) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "workspace/import.html", context, status=400)
    upload = form.cleaned_data["file"]
    if not upload.name.lower().endswith(importer.EXTENSIONS):
        form.add_error("file", _("Jenis berkas tidak didukung: unggah berkas .xlsx atau .csv."))
        return render(request, "workspace/import.html", context, status=400)
    if upload.size > importer.MAX_BYTES:
        form.add_error(
            "file",
            _("Berkas terlalu besar (paling besar %(mb)d MB). Pecah menjadi beberapa berkas.")
            % {"mb": importer.MAX_BYTES // (1024 * 1024)},
        )
        return render(request, "workspace/import.html", context, status=400)
    parked = importer.park(upload)
    imports = request.session.get(SESSION_KEY, {})
    imports = dict(list(imports.items())[-4:])  # keep the session small: only the last few uploads
    imports[parked.token] = {
        "unit": unit.code,
        "name": parked.name,
        "suffix": parked.path.suffix,
        "sha256": parked.sha256,
    }
    request.session[SESSION_KEY] = imports
    try:
        header = importer.header_of(parked.path, parked.name)
    except (importing.UnreadableTable, importing.TableTooLarge) as error:
        form.add_error("file", str(error))
        return render(request, "workspace/import.html", context, status=400)
    remembered = ImportMapping.objects.filter(unit=unit).values_list("mapping", flat=True).first() or {}
    mapping = importer.guess_mapping(header, remembered)
    return _preview_or_store(
        request, unit, context, parked.token, parked.path, parked.name, parked.sha256, mapping,
        Response.Channel.PAPER, store=False,
    )


def _parked_from_session(request: HttpRequest, unit: Unit) -> tuple[str, Path, str, str] | None:
    token = request.POST.get("token", "")
    info = request.session.get(SESSION_KEY, {}).get(token)
    if not info or info.get("unit") != unit.code:
        return None
    path = importer.parked(token, info.get("suffix", ""))
    if path is None:
        return None
    sha256 = info.get("sha256")
    if not sha256:  # parked before fingerprints were kept
        with path.open("rb") as handle:
            sha256 = importing.fingerprint(handle)
    return token, path, info["name"], sha256


def _preview_or_store(
    request: HttpRequest,
    unit: Unit,
    context: dict[str, Any],
    token: str,
    path: Path,
    name: str,
    sha256: str,
    mapping: dict[str, str],
    channel: str,
    *,
    store: bool,
) -> HttpResponse:
    try:
        header, result = importer.check_file(path, name, unit, mapping, request.user, channel)
    except (importing.UnreadableTable, importing.TableTooLarge) as error:
        messages.error(request, str(error))
        return redirect("workspace:import", code=unit.code)
    earlier = importing.earlier_imports(sha256, [unit])
    confirmed = request.POST.get("allow_duplicate") == "1"
    refused_duplicate = store and result.ok and bool(earlier) and not confirmed
    if store and result.ok and not refused_duplicate:
        try:
            stored = _store(request, unit, result, name, sha256, token, mapping, duplicate=bool(earlier))
        except IntegrityError:
            # The same upload token was stored by a request that committed first (a double submit).
            done = ImportRecord.objects.filter(upload_token=token, unit=unit).first()
            if done is None:
                raise
            return _already_imported(request, unit, done)
        path.unlink(missing_ok=True)
        request.session[SESSION_KEY] = {k: v for k, v in request.session.get(SESSION_KEY, {}).items() if k != token}
        messages.success(request, _("%(n)d respons dari %(file)s berhasil diimpor.") % {"n": stored, "file": name})
        return redirect("workspace:review", code=unit.code)
    if refused_duplicate:
        messages.error(
            request,
            _("Tidak ada yang disimpan: berkas yang sama persis sudah diimpor untuk unit ini. Centang konfirmasi "
              "di bawah bila memang perlu diimpor lagi."),
        )
    elif store:
        messages.error(
            request,
            _("Tidak ada yang disimpan: perbaiki kesalahan di bawah, lalu unggah ulang atau ubah pemetaan kolom."),
        )
    problems = result.problems()
    context.update(
        {
            "token": token,
            "file_name": name,
            "header": [h for h in header if h.strip()],
            "fields": [(field, importer.FIELD_LABELS[field], mapping.get(field, "")) for field in importer.FIELDS],
            "result": result,
            "problems": problems[:200],
            "more_problems": max(0, len(problems) - 200),
            "default_channel": channel,
            "preview": [_preview_row(r) for r in result.responses[:10]],
            "earlier": earlier,
        }
    )
    status = 409 if refused_duplicate else 200 if result.ok or not store else 400
    return render(request, "workspace/import_preview.html", context, status=status)


def _store(
    request: HttpRequest,
    unit: Unit,
    result: importing.ParseResult,
    name: str,
    sha256: str,
    token: str,
    mapping: dict[str, str],
    *,
    duplicate: bool,
) -> int:
    """Store a checked file with its import record and audit entry, all in one transaction.

    The record (unique per upload token) is written first, so a concurrent second request with the same
    token waits on it and then fails before storing a single response.
    """
    with transaction.atomic():
        records = importing.record_import(
            result, sha256, name, staff_user(request), ImportRecord.Source.WEB,
            upload_token=token, duplicate_confirmed=duplicate,
        )
        importing.assign_batches(result, records)
        stored = importing.store_responses(result)
        saved, _created = ImportMapping.objects.update_or_create(
            unit=unit,
            defaults={"mapping": {k: v for k, v in mapping.items() if v}, "updated_by": request.user},
        )
        record(
            request.user,
            "response.import",
            saved,
            unit=unit,
            after={
                "file": name,
                "rows": stored,
                "mapping": saved.mapping,
                "sha256": sha256,
                "duplicate_confirmed": duplicate,
            },
        )
    # The integrity rules over the unit's period, now that the file is in, in the background (flags only).
    integrity.queue_scan(importing.units_of(result), (r.submitted_at for r in result.responses))
    return stored


def _preview_row(response: Response) -> dict[str, Any]:
    return {
        "submitted_at": response.submitted_at,
        "channel": response.get_channel_display(),
        "service": response.service.name if response.service else "",
        "answers": response.answers,
    }


# ----------------------------------------------------------------------------------------------- review


def _period_responses(unit: Unit, request: HttpRequest) -> tuple[Any, QuerySet[Response]]:
    period = chosen_period(request)
    begin, end = period.bounds()
    return period, Response.objects.filter(unit=unit, submitted_at__gte=begin, submitted_at__lt=end)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("halaman", None)
    return query.urlencode()


@login_required
@require_safe
def review(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period, responses = _period_responses(unit, request)
    responses, status, channel = _filtered(request, responses)
    page = Paginator(
        responses.select_related("service", "entered_by", "invitation").order_by("-submitted_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("halaman"))
    return render(
        request,
        "workspace/review.html",
        {
            "unit": unit,
            "period": period,
            "page": page,
            "status": status,
            "flagged": bool(request.GET.get("tanda")),
            "channel": channel,
            "statuses": Response.Status.choices,
            "channels": Response.Channel.choices,
            "can_change": staff_user(request).can_change_unit(unit),
            "query": _query_without_page(request),
            "elements": ELEMENTS,
            "periods": _periods(),
        },
    )


def _filtered(request: HttpRequest, responses: QuerySet[Response]) -> tuple[QuerySet[Response], str, str]:
    """The review list's filters (status, flagged, channel) applied; (responses, status, channel)."""
    status = request.GET.get("status", "")
    if status in Response.Status.values:
        responses = responses.filter(status=status)
    if request.GET.get("tanda"):
        responses = responses.filter(flagged=True)
    channel = request.GET.get("metode", "")
    if channel in Response.Channel.values:
        responses = responses.filter(channel=channel)
    return responses, status, channel


@login_required
@require_safe
def export(request: HttpRequest, code: str, kind: str) -> HttpResponseBase:
    """The unit's responses of the period (with the review list's filters) as CSV or Excel, streamed."""
    unit = get_unit_for(request, code)
    period, responses = _period_responses(unit, request)
    responses, _status, _channel = _filtered(request, responses)
    record(staff_user(request), "responses.export", unit, after={"period": period.slug, "format": kind})
    filename = f"respons-{unit.code}-{period.slug}.{kind}"
    if kind == "xlsx":
        return exporting.xlsx_response(responses, filename)
    return exporting.csv_response(responses, filename)


def _periods() -> list[Any]:
    return calendar_order()


STATUS_FIELDS = ["status", "excluded_reason", "excluded_by", "excluded_at"]


def _back_to(request: HttpRequest, url_name: str, unit: Unit) -> str:
    """Where to return after a POST: the list page the user came from (with its filters), never elsewhere."""
    page = reverse(url_name, args=[unit.code])
    back = request.POST.get("next", "")
    return back if back.startswith(page) else page


@login_required
@require_POST
def exclude(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    response = get_object_or_404(Response, pk=pk, unit=unit)
    form = ExcludeForm(request.POST)
    target = _back_to(request, "workspace:review", unit)
    if not form.is_valid():
        for error in form.errors["reason"]:
            messages.error(request, str(error))
        return redirect(target)
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        before = snapshot(response, STATUS_FIELDS)
        # Only the status columns change; the answers stay exactly as the citizen gave them.
        Response.objects.filter(pk=response.pk).update(
            status=Response.Status.EXCLUDED,
            excluded_reason=form.cleaned_data["reason"],
            excluded_by=request.user,
            excluded_at=timezone.now(),
        )
        response.refresh_from_db()
        record(request.user, "response.exclude", response, before=before, after=snapshot(response, STATUS_FIELDS))
    messages.success(request, _("Respons #%(pk)d dikeluarkan dari perhitungan indeks.") % {"pk": response.pk})
    return redirect(target)


@login_required
@require_POST
def include(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    response = get_object_or_404(Response, pk=pk, unit=unit)
    target = _back_to(request, "workspace:review", unit)
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        before = snapshot(response, STATUS_FIELDS)
        Response.objects.filter(pk=response.pk).update(
            status=Response.Status.VALID,
            excluded_reason="",
            excluded_by=None,
            excluded_at=None,
        )
        response.refresh_from_db()
        record(request.user, "response.include", response, before=before, after=snapshot(response, STATUS_FIELDS))
    messages.success(request, _("Respons #%(pk)d dihitung kembali dalam indeks.") % {"pk": response.pk})
    return redirect(target)


# --------------------------------------------------------------------------------------------- comments


@login_required
@require_safe
def comments(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period, responses = _period_responses(unit, request)
    responses = responses.exclude(comment="")
    kind = request.GET.get("jenis", "")
    if kind in Response.CommentKind.values:
        responses = responses.filter(comment_kind=kind)
    state = request.GET.get("tindak", "")
    if state == "belum":
        responses = responses.filter(follow_up__isnull=True)
    elif state == "sudah":
        responses = responses.filter(follow_up__isnull=False)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        responses = responses.filter(Q(comment__icontains=q))
    element = request.GET.get("unsur", "")
    if element in {e.code for e in ELEMENTS}:
        responses = responses.filter(pk__in=tagged_with(responses, element))
    page = Paginator(
        responses.select_related("service", "follow_up", "follow_up__by").order_by("-submitted_at", "-pk"), 30
    ).get_page(request.GET.get("halaman"))
    return render(
        request,
        "workspace/comments.html",
        {
            "unit": unit,
            "period": period,
            "page": page,
            # Masked text and tags (workspace.complaints); tracked complaints open in this unit, oldest first.
            "rows": complaints.comment_rows(request, list(page)),
            "open_complaints": complaints.open_complaints(unit),
            # Those it forwarded to another unit: read-only here (status, where they went, the replies).
            "forwarded_away": complaints.forwarded_away(unit),
            "element_choices": [(e.code, f"U{e.u} {e.name}") for e in ELEMENTS],
            "element": element,
            "kind": kind,
            "state": state,
            "q": q,
            "kinds": Response.CommentKind.choices,
            "can_change": staff_user(request).can_change_unit(unit),
            "query": _query_without_page(request),
            "periods": _periods(),
        },
    )


@login_required
@require_POST
def follow_up(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    response = get_object_or_404(Response.objects.exclude(comment=""), pk=pk, unit=unit)
    form = FollowUpForm(request.POST)
    target = _back_to(request, "workspace:comments", unit)
    if not form.is_valid():
        for error in form.errors["note"]:
            messages.error(request, str(error))
        return redirect(target)
    with transaction.atomic():
        existing = CommentFollowUp.objects.filter(response=response).first()
        before = snapshot(existing, ["note"]) if existing else None
        saved, _created = CommentFollowUp.objects.update_or_create(
            response=response, defaults={"note": form.cleaned_data["note"], "by": request.user}
        )
        record(
            request.user,
            "comment.follow_up",
            saved,
            unit=unit,
            before=before,
            after=snapshot(saved, ["note"]),
        )
    messages.success(request, _("Tindak lanjut komentar dicatat."))
    return redirect(target)
