"""Service units (UPP) and the services (jenis layanan) each one offers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sumberdaya.units.groups import group_for_kind


class Unit(models.Model):
    class Kind(models.TextChoices):
        SKPD = "skpd", _("Dinas / badan (SKPD)")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        UPTD = "uptd", _("UPTD")
        BAGIAN = "bagian", _("Bagian Setda")
        RSUD = "rsud", _("Rumah sakit")
        PERUMDA = "perumda", _("Perumda")
        MPP = "mpp", _("Mal Pelayanan Publik")

    code = models.SlugField(_("kode"), max_length=120, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis unit"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("unit induk"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="children",
    )
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveIntegerField(_("nomor urut"), default=0)
    head_title = models.CharField(
        _("jabatan pimpinan unit"),
        max_length=200,
        blank=True,
        help_text=_("Kosongkan untuk jabatan menurut jenis unit (mis. Lurah Mawar, Kepala Puskesmas Cempaka)."),
    )
    head_name = models.CharField(_("nama pimpinan unit"), max_length=200, blank=True)
    head_nip = models.CharField(_("NIP pimpinan unit"), max_length=30, blank=True)
    publishes_index = models.BooleanField(
        _("tampilkan IKM kepada responden"), default=True,
        help_text=_("Halaman terima kasih survei menampilkan IKM terbit unit ini."),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("unit pelayanan")
        verbose_name_plural = _("unit pelayanan")

    def __str__(self) -> str:
        return self.name

    @property
    def head_of_unit(self) -> str:
        """The title that signs the unit's report: the one entered, else the usual one for its kind."""
        return self.head_title.strip() or head_title_for(self.kind, self.name)

    @property
    def group(self) -> str:
        """The report group (e.g. "Kelurahan") this unit's kind belongs to."""
        return group_for_kind(self.kind)


# Who leads each kind of unit (SKM.md section 5): a kelurahan is led by a Lurah, a kecamatan by a Camat,
# the RSUD and a perumda by a Direktur; every other kind by the Kepala of the unit itself.
_HEAD_BY_KIND = {
    "kelurahan": ("Lurah", "Kelurahan "),
    "kecamatan": ("Camat", "Kecamatan "),
    "rsud": ("Direktur", ""),
    "perumda": ("Direktur", ""),
}


def head_title_for(kind: str, name: str) -> str:
    """ "Lurah Mawar" for Kelurahan Mawar, "Kepala Puskesmas Cempaka", "Direktur RSUD Sultan Suriansyah"."""
    title, prefix = _HEAD_BY_KIND.get(kind, ("Kepala", ""))
    return f"{title} {name.removeprefix(prefix) if prefix else name}"


class Service(models.Model):
    """A jenis layanan: the service a respondent received at the unit."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="services", verbose_name=_("unit"))
    name = models.CharField(_("jenis layanan"), max_length=200)
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveIntegerField(_("nomor urut"), default=0)

    class Meta:
        ordering = ["unit", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="service_unique_name_per_unit")]
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")

    def __str__(self) -> str:
        return self.name
