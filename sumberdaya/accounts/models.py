"""Accounts and roles: city admin (everything), unit operator (own units), leadership (read-only)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sumberdaya.units.models import Unit


class User(AbstractUser):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin kota")
        OPERATOR = "operator", _("Operator unit")
        LEADERSHIP = "leadership", _("Pimpinan (lihat saja)")

    role = models.CharField(_("peran"), max_length=12, choices=Role.choices, default=Role.OPERATOR)
    units = models.ManyToManyField(Unit, blank=True, related_name="operators", verbose_name=_("unit"))
    # International form without "+", e.g. 6281234567890 (accounts/phone.py), for WhatsApp reminders.
    phone = models.CharField(_("nomor HP/WhatsApp"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def is_city_admin(self) -> bool:
        return self.is_active and (self.role == self.Role.ADMIN or self.is_superuser)

    @property
    def is_leadership(self) -> bool:
        return self.is_active and self.role == self.Role.LEADERSHIP and not self.is_superuser

    @property
    def sees_all_units(self) -> bool:
        return self.is_city_admin or self.is_leadership

    def visible_units(self) -> models.QuerySet[Unit]:
        """Units whose data this user may read."""
        if not self.is_active:
            return Unit.objects.none()
        if self.sees_all_units:
            return Unit.objects.all()
        return self.units.all()

    def can_view_unit(self, unit: Unit) -> bool:
        if not self.is_active:
            return False
        return self.sees_all_units or self.units.filter(pk=unit.pk).exists()

    def can_change_unit(self, unit: Unit) -> bool:
        """Enter data, review responses, plan follow-up, submit reports for the unit."""
        if not self.is_active or self.is_leadership:
            return False
        return self.is_city_admin or self.units.filter(pk=unit.pk).exists()


class AuditEvent(models.Model):
    """One change made by a signed-in user: who, what, when, and the values before and after."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="audit_events")
    username = models.CharField(_("pengguna"), max_length=150)
    action = models.CharField(_("tindakan"), max_length=60)
    object_type = models.CharField(_("jenis objek"), max_length=60)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["action", "id"], name="auditevent_action_idx")]
        verbose_name = _("log audit")
        verbose_name_plural = _("log audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"


class LoginAttempt(models.Model):
    """A failed sign-in, kept briefly so repeated guessing locks the username (and the client) out."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    username = models.CharField(_("nama pengguna"), max_length=150, db_index=True)
    client = models.CharField(_("alamat klien"), max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("percobaan masuk gagal")
        verbose_name_plural = _("percobaan masuk gagal")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.client}"
