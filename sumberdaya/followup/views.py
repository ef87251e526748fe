"""Follow-up plan (RTL) pages: plan per unit and period, add/edit items, progress, evidence files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.permissions import check_unit, get_unit_for
from sumberdaya.followup.forms import EvidenceForm, PlanItemForm, PriorityForm, ProgressForm
from sumberdaya.followup.models import Evidence, PlanItem, Priority
from sumberdaya.followup.plans import PUBLIC_PHOTO_TYPES, citizen_comments, priority_choices
from sumberdaya.surveys.models import Period
from sumberdaya.surveys.periods import calendar_order, chosen_period


def _plan_url(item: PlanItem) -> str:
    return f"{reverse('followup:plan', args=[item.unit.code])}?periode={item.period.slug}"


def _item_for(request: HttpRequest, pk: int) -> PlanItem:
    item = get_object_or_404(PlanItem.objects.select_related("unit", "period"), pk=pk)
    check_unit(request, item.unit)
    return item


@login_required
def plan(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_unit_for(request, code)
    period = chosen_period(request)
    items = PlanItem.objects.filter(unit=unit, period=period).prefetch_related("evidence")
    return _plan_page(request, unit, period, items, None)


def _plan_page(request: HttpRequest, unit: Any, period: Period, items: Any, form: PriorityForm | None) -> HttpResponse:
    choices, proposal = priority_choices(unit, period)
    chosen = Priority.objects.filter(unit=unit, period=period).first()
    if form is None:
        form = PriorityForm(choices=choices, initial={"elements": chosen.elements if chosen else proposal})
    planned = {item.element for item in items}
    return render(
        request,
        "followup/plan.html",
        {
            "unit": unit,
            "period": period,
            "periods": calendar_order(),
            "items": items,
            "chosen": [(e, e.code in planned) for e in chosen.element_objs] if chosen else [],
            "proposal": bool(proposal),
            "priority_form": form,
            "can_change": request.user.can_change_unit(unit),  # type: ignore[union-attr]
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_POST
def choose_priorities(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    """The unit's 1–5 priority elements for the period (audit-logged; one row per unit and period, locked)."""
    unit = get_unit_for(request, code, change=True)
    period = get_object_or_404(Period, slug=slug)
    choices, _proposal = priority_choices(unit, period)
    form = PriorityForm(request.POST, choices=choices)
    if not form.is_valid():
        items = PlanItem.objects.filter(unit=unit, period=period).prefetch_related("evidence")
        return _plan_page(request, unit, period, items, form)
    with transaction.atomic():
        current, _created = Priority.objects.select_for_update().get_or_create(unit=unit, period=period)
        before = {"elements": list(current.elements)}
        current.elements, current.chosen_by = form.cleaned_data["elements"], request.user  # type: ignore[assignment]
        current.save()
        record(request.user, "priority.choose", current, before=before, after={"elements": current.elements})
    messages.success(request, _("Unsur prioritas perbaikan disimpan."))
    return redirect(f"{reverse('followup:plan', args=[unit.code])}?periode={period.slug}")


def _priority_codes(unit: Any, period: Period) -> list[str] | None:
    chosen = Priority.objects.filter(unit=unit, period=period).first()
    return chosen.elements if chosen else None


@login_required
def add(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    unit = get_unit_for(request, code, change=True)
    period = get_object_or_404(Period, slug=slug)
    form = PlanItemForm(
        request.POST or None,
        initial={"element": request.GET.get("unsur", "")},
        priorities=_priority_codes(unit, period),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            item = form.save(commit=False)
            item.unit, item.period, item.created_by = unit, period, request.user
            item.order = PlanItem.objects.filter(unit=unit, period=period).count() + 1
            item.save()
            record(request.user, "rtl.create", item, after=snapshot(item))
        messages.success(request, _("Rencana tindak lanjut disimpan."))
        return redirect(_plan_url(item))
    element = form["element"].value() or ""
    return render(
        request,
        "followup/item_form.html",
        {
            "unit": unit,
            "period": period,
            "form": form,
            "comments": citizen_comments(unit, period, str(element)),
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    can_change = request.user.can_change_unit(item.unit)  # type: ignore[union-attr]
    if request.method == "POST":
        check_unit(request, item.unit, change=True)
    before = snapshot(item)
    plan_form = PlanItemForm(
        request.POST if request.POST.get("part") == "plan" else None,
        instance=item,
        prefix="plan",
        priorities=_priority_codes(item.unit, item.period),
    )
    progress_form = ProgressForm(
        request.POST if request.POST.get("part") == "progress" else None, instance=item, prefix="progress"
    )
    for form, action in ((plan_form, "rtl.update"), (progress_form, "rtl.progress")):
        if form.is_bound and form.is_valid():
            with transaction.atomic():
                form.save()
                record(request.user, action, item, before=before, after=snapshot(item))
            messages.success(request, _("Perubahan disimpan."))
            return redirect("followup:edit", pk=item.pk)
    return render(
        request,
        "followup/item_edit.html",
        {
            "item": item,
            "unit": item.unit,
            "period": item.period,
            "plan_form": plan_form,
            "progress_form": progress_form,
            "evidence_form": EvidenceForm(),
            "can_change": can_change,
            "comments": citizen_comments(item.unit, item.period, item.element),
        },
    )


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    check_unit(request, item.unit, change=True)
    with transaction.atomic():
        record(request.user, "rtl.delete", item, before=snapshot(item))
        files = [e.file for e in item.evidence.all()]
        url = _plan_url(item)
        item.delete()
    for stored in files:
        stored.delete(save=False)
    messages.success(request, _("Rencana tindak lanjut dihapus."))
    return redirect(url)


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request, pk)
    check_unit(request, item.unit, change=True)
    form = EvidenceForm(request.POST, request.FILES, item=item)
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        with transaction.atomic():
            evidence = Evidence(
                item=item,
                original_name=upload_file.name[:200],
                content_type=form.content_type,
                size=upload_file.size,
                uploaded_by=request.user,  # type: ignore[misc]
            )
            evidence.file.save("bukti", upload_file, save=False)
            evidence.save()
            record(
                request.user,
                "rtl.evidence.add",
                evidence,
                unit=item.unit,
                after={"item": item.pk, "name": evidence.original_name, "size": evidence.size},
            )
        messages.success(request, _("Berkas bukti diunggah."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
    return redirect("followup:edit", pk=item.pk)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an evidence file to those who may see its unit, never as public media."""
    item = get_object_or_404(Evidence.objects.select_related("item__unit"), pk=pk)
    check_unit(request, item.item.unit)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=item.content_type, filename=item.original_name)
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
@require_POST
def evidence_public(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a photo public (shown with its published item on the unit's public page) or private again."""
    item = get_object_or_404(Evidence.objects.select_related("item__unit"), pk=pk)
    check_unit(request, item.item.unit, change=True)
    public = request.POST.get("public") == "1" and item.content_type in PUBLIC_PHOTO_TYPES
    with transaction.atomic():
        before = {"public": item.public}
        item.public = public
        item.save(update_fields=["public"])
        record(request.user, "rtl.evidence.public", item, unit=item.item.unit, before=before, after={"public": public})
    messages.success(request, _("Foto ditampilkan untuk publik.") if public else _("Foto tidak lagi publik."))
    return redirect("followup:edit", pk=item.item_id)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Evidence.objects.select_related("item__unit"), pk=pk)
    check_unit(request, item.item.unit, change=True)
    with transaction.atomic():
        record(
            request.user,
            "rtl.evidence.delete",
            item,
            unit=item.item.unit,
            before={"item": item.item_id, "name": item.original_name},
        )
        stored = item.file
        item.delete()
    stored.delete(save=False)
    messages.success(request, _("Berkas bukti dihapus."))
    return redirect("followup:edit", pk=item.item_id)
