"""Sign-in, password change, the city admin's account management and the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sumberdaya.accounts.audit import record, snapshot
from sumberdaya.accounts.forms import (
    AuditFilterForm,
    LoginForm,
    SetPasswordByAdminForm,
    UserCreateForm,
    UserEditForm,
)
from sumberdaya.accounts.models import AuditEvent, User
from sumberdaya.accounts.permissions import admin_required

# Suggestions for the action filter (any app may log others; the filter takes any prefix).
KNOWN_ACTIONS = (
    "response.",
    "response.enter",
    "response.import",
    "response.exclude",
    "response.include",
    "comment.follow_up",
    "unitperiod.population",
    "user.",
    "user.create",
    "user.change",
    "user.password_reset",
)
USER_FIELDS = ["username", "first_name", "last_name", "email", "phone", "role", "units", "is_active"]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@method_decorator(login_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            record(self.request.user, "user.password_change", form.user)
        messages.success(self.request, _("Kata sandi Anda sudah diganti."))
        return response


@admin_required
@require_safe
def users(request: HttpRequest) -> HttpResponse:
    accounts = User.objects.order_by("-is_active", "role", "username").prefetch_related("units")
    role = request.GET.get("peran", "")
    if role in User.Role.values:
        accounts = accounts.filter(role=role)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        accounts = accounts.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(units__name__icontains=q)
        ).distinct()
    page = Paginator(accounts, 50).get_page(request.GET.get("halaman"))
    return render(request, "accounts/users.html", {"page": page, "roles": User.Role.choices, "role": role, "q": q})


@admin_required
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            record(request.user, "user.create", user, after=snapshot(user, USER_FIELDS))
        messages.success(request, _("Akun %(username)s dibuat.") % {"username": user.username})
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@admin_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = UserEditForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        if account == request.user and not form.cleaned_data["is_active"]:
            form.add_error("is_active", _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        elif account == request.user and form.cleaned_data["role"] != User.Role.ADMIN:
            form.add_error("role", _("Anda tidak dapat mencabut peran admin dari akun Anda sendiri."))
        else:
            with transaction.atomic():
                before = snapshot(User.objects.get(pk=pk), USER_FIELDS)
                form.save()
                record(request.user, "user.change", account, before=before, after=snapshot(account, USER_FIELDS))
            messages.success(request, _("Akun %(username)s disimpan.") % {"username": account.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "account": account})


@admin_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = SetPasswordByAdminForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            account.set_password(form.cleaned_data["password"])
            account.save(update_fields=["password"])
            record(request.user, "user.password_reset", account)
        messages.success(request, _("Kata sandi %(username)s diganti.") % {"username": account.username})
        return redirect("accounts:users")
    return render(request, "accounts/user_password.html", {"form": form, "account": account})


@admin_required
@require_POST
def user_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    if account == request.user:
        messages.error(request, _("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        return redirect("accounts:users")
    with transaction.atomic():
        before = snapshot(account, ["is_active"])
        account.is_active = not account.is_active
        account.save(update_fields=["is_active"])
        record(
            request.user,
            "user.activate" if account.is_active else "user.deactivate",
            account,
            before=before,
            after=snapshot(account, ["is_active"]),
        )
    messages.success(request, _("Akun %(username)s diperbarui.") % {"username": account.username})
    return redirect("accounts:users")


@admin_required
@require_safe
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    # Newest first by id: ids grow with time, and the primary key index makes a page cheap at any size.
    events = AuditEvent.objects.select_related("unit").order_by("-pk")
    if form.is_valid():
        if form.cleaned_data["pengguna"]:
            events = events.filter(username=form.cleaned_data["pengguna"].strip())
        if form.cleaned_data["tindakan"]:
            events = events.filter(action__startswith=form.cleaned_data["tindakan"].strip())
        if form.cleaned_data["unit"]:
            events = events.filter(unit=form.cleaned_data["unit"])
    paginator = Paginator(events, 50)
    # A cheap count: the log only grows, and an exact count over millions of rows is slow.
    paginator.count = _bounded_count(events)  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("halaman"))
    return render(
        request,
        "accounts/audit.html",
        {"form": form, "page": page, "query": _query_without_page(request), "actions": KNOWN_ACTIONS},
    )


def _bounded_count(events: Any, limit: int = 10_000) -> int:
    return events.order_by()[:limit].count()


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("halaman", None)
    return query.urlencode()
