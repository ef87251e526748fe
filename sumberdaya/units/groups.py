"""Report groups: which kinds of unit are tabled together in the city recap.

The default follows Kota Banjarmasin's SKM report; a city sets `SKM_UNIT_GROUPS` (a list of
`(group name, [kinds])`) to use its own.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SKPD dan Kecamatan", ("skpd", "kecamatan")),
    ("Bagian Setda", ("bagian",)),
    ("Rumah Sakit", ("rsud",)),
    ("Perumda", ("perumda",)),
    ("Mal Pelayanan Publik", ("mpp",)),
    ("Kelurahan", ("kelurahan",)),
    ("Puskesmas", ("puskesmas",)),
    ("UPTD", ("uptd",)),
)
OTHER_GROUP = "Lainnya"


def unit_groups() -> tuple[tuple[str, tuple[str, ...]], ...]:
    configured = settings.SKM_UNIT_GROUPS
    if not configured:
        return DEFAULT_GROUPS
    return tuple((str(name), tuple(kinds)) for name, kinds in configured)


def group_names() -> list[str]:
    """Group names in report order (the catch-all group last, used only if some kind is unmapped)."""
    return [name for name, _kinds in unit_groups()]


def group_for_kind(kind: str) -> str:
    for name, kinds in unit_groups():
        if kind in kinds:
            return name
    return OTHER_GROUP
