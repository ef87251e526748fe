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
