"""The shape of a publication's frozen snapshot: typed, versioned, read through `read_snapshot()` only.

A snapshot is stored as JSON (`Publication.snapshot`) so published figures never drift; every page, open
data file and API answer reads it as `PublishedResults`, never by string keys. Version 2 adds each unit's
`source`, `flags`, `stated_ikm` and `stated_mutu`; version 1 snapshots (no "version" key) are read with
`flags = ["flagged"]` for a row that was marked, and no stated figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sumberdaya.skm.elements import ELEMENT_BY_KEY, ELEMENTS, Element

SNAPSHOT_VERSION = 2
LEGACY_FLAG = "flagged"  # a version-1 row marked as flagged, reason not recorded in the snapshot


@dataclass(frozen=True)
class PublishedAggregate:
    ikm: float | None
    mutu: str | None
    units: int
    name: str = ""


@dataclass(frozen=True)
class PublishedElement:
    key: str  # "U1"
    name: str
    score: float | None
    mutu: str | None

    @property
    def element(self) -> Element:
        return ELEMENT_BY_KEY[self.key.lower()]


@dataclass(frozen=True)
class PublishedUnit:
    code: str
    name: str
    kind: str
    group: str
    source: str | None
    flags: list[str]
    stated_ikm: float | None
    stated_mutu: str | None
    window: str
    channels: str
    respondents: int
    ikm: float | None
    mutu: str | None
    ci: list[float] | None
    priorities: list[str]  # "U4", lowest first
    rtl_status: str
    elements: list[PublishedElement] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def imported(self) -> bool:
        return self.source == "imported"

    @property
    def has_result(self) -> bool:
        return self.ikm is not None

    def element_values(self) -> dict[str, float | None]:
        """{"u1": 88.1, …}"""
        return {e.key.lower(): e.score for e in self.elements}

    def as_json(self) -> dict[str, Any]:
        """The unit as open data and the API give it: every field, u1..u9 flat as well."""
        data = asdict(self)
        data.update(self.element_values())
        data["imported"] = self.imported
        data["flagged"] = self.flagged
        return data


@dataclass(frozen=True)
class PublishedResults:
    version: int
    period: dict[str, str]  # slug, name, start, end
    weight: str
    weight_label: str
    method: str
    method_label: str
    city: PublishedAggregate
    groups: list[PublishedAggregate]
    band_counts: dict[str, int]
    units: list[PublishedUnit]
    # How many responses the integrity rules flagged and what became of them (`surveys.integrity.Counts`:
    # flagged, pending, kept, excluded); empty in snapshots published before it was recorded.
    integrity: dict[str, int] = field(default_factory=dict)

    @property
    def with_result(self) -> list[PublishedUnit]:
        return [u for u in self.units if u.has_result]

    def unit(self, code: str) -> PublishedUnit | None:
        return next((u for u in self.units if u.code == code), None)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["units"] = [u.as_json() for u in self.units]
        return data


def _aggregate(data: dict[str, Any]) -> PublishedAggregate:
    return PublishedAggregate(data.get("ikm"), data.get("mutu"), int(data.get("units") or 0), data.get("name", ""))


def _unit(data: dict[str, Any], version: int) -> PublishedUnit:
    legacy = [LEGACY_FLAG] if data.get("flagged") else []
    flags = list(data.get("flags") or []) if version >= 2 else legacy
    elements = [
        PublishedElement(e["key"], e["name"], e.get("score"), e.get("mutu")) for e in data.get("elements") or []
    ] or [PublishedElement(el.key.upper(), el.name, data.get(el.key), None) for el in ELEMENTS]
    return PublishedUnit(
        code=data["code"],
        name=data["name"],
        kind=data.get("kind", ""),
        group=data.get("group", ""),
        source=data.get("source") if data.get("source") in ("system", "imported") else None,
        flags=flags,
        stated_ikm=data.get("stated_ikm"),
        stated_mutu=data.get("stated_mutu"),
        window=data.get("window", ""),
        channels=data.get("channels", ""),
        respondents=int(data.get("respondents") or 0),
        ikm=data.get("ikm"),
        mutu=data.get("mutu"),
        ci=data.get("ci"),
        priorities=list(data.get("priorities") or []),
        rtl_status=data.get("rtl_status", ""),
        elements=elements,
    )


def read_snapshot(data: dict[str, Any]) -> PublishedResults:
    """The one reader of a stored snapshot, whatever its version."""
    version = int(data.get("version", 1))
    if version > SNAPSHOT_VERSION:
        raise ValueError(f"Versi data terbit {version} tidak dikenal (paling baru {SNAPSHOT_VERSION}).")
    return PublishedResults(
        version=version,
        period=dict(data["period"]),
        weight=data["weight"],
        weight_label=data.get("weight_label", data["weight"]),
        method=data["method"],
        method_label=data.get("method_label", data["method"]),
        city=_aggregate(data["city"]),
        groups=[_aggregate(g) for g in data.get("groups", [])],
        band_counts=dict(data.get("band_counts", {})),
        units=[_unit(u, version) for u in data.get("units", [])],
        integrity={k: int(v) for k, v in (data.get("integrity") or {}).items()},
    )
