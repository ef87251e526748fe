"""Sign-in with lockout, and the city admin's forms for accounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sumberdaya.accounts import lockout
from sumberdaya.accounts.client import client_ip
from sumberdaya.accounts.models import User
from sumberdaya.accounts.phone import normalise_phone
from sumberdaya.units.models import Unit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini sudah dinonaktifkan. Hubungi admin kota."),
        "locked": _(
            "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, akun ini dikunci selama 15 menit. "
            "Coba lagi nanti atau hubungi admin kota."
        ),
        "throttled": _(
            "Terlalu banyak percobaan masuk yang gagal dari jaringan ini. Periksa nama pengguna dan kata sandi; "
            "akun yang salah kata sandinya 5 kali dikunci selama 15 menit."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        client = client_ip(self.request) if self.request is not None else ""
        if username and lockout.is_locked(username):
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                lockout.record_failure(username, client)
                if lockout.is_throttled(client):
                    raise ValidationError(self.error_messages["throttled"], code="throttled")
            raise
        lockout.clear(username)
        return cleaned


class FilteredCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes under a search box (core/static/sumberdaya/filter.js); without JavaScript, the plain list."""

    template_name = "accounts/widgets/filtered_checkboxes.html"


def _unit_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Unit.objects.filter(active=True),
        required=False,
        label=_("Unit"),
        widget=FilteredCheckboxes(),
        help_text=_("Operator hanya melihat dan mengubah data unit yang dipilih di sini."),
    )


class _UnitsMixin(forms.ModelForm):
    # Typed with spaces and dashes (0812-3456-7890), stored as 6281234567890: longer than the column.
    phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"), max_length=30, required=False,
        help_text=_("Untuk pengingat lewat WhatsApp, mis. 0812-3456-7890."),
    )

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        # A city admin also manages units, periods and services in the settings pages (Django admin).
        is_admin = self.instance.role == User.Role.ADMIN
        self.instance.is_staff = is_admin
        self.instance.is_superuser = is_admin

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") == User.Role.OPERATOR and not cleaned.get("units"):
            self.add_error("units", _("Operator harus memegang paling sedikit satu unit."))
        return cleaned


USER_LABELS = {
    "username": _("Nama pengguna"),
    "first_name": _("Nama depan"),
    "last_name": _("Nama belakang"),
    "email": _("Surel"),
    "role": _("Peran"),
    "is_active": _("Aktif"),
}


class UserCreateForm(_UnitsMixin):
    password = forms.CharField(
        label=_("Kata sandi awal"),
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Paling sedikit 10 karakter; sampaikan kepada pemilik akun secara langsung."),
    )
    units = _unit_field()

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "role", "units"]
        labels = USER_LABELS

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = User(username=self.cleaned_data.get("username", ""))
        password_validation.validate_password(password, user)
        return password

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
            self.save_m2m()
        return user


class UserEditForm(_UnitsMixin):
    units = _unit_field()

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "role", "units", "is_active"]
        labels = USER_LABELS
        help_texts = {"is_active": _("Akun nonaktif tidak dapat masuk; datanya tetap tersimpan.")}


class SetPasswordByAdminForm(forms.Form):
    password = forms.CharField(label=_("Kata sandi baru"), widget=forms.PasswordInput)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class AuditFilterForm(forms.Form):
    # Exact or prefix filters only: they stay fast on a log of millions of events (no '%text%' scans).
    pengguna = forms.CharField(label=_("Nama pengguna"), required=False, max_length=150)
    tindakan = forms.CharField(
        label=_("Tindakan (awalan, mis. response.)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(), required=False, label=_("Unit"), empty_label=_("Semua unit")
    )
