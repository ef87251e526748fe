"""Zona Integritas perception surveys (SPKP and SPAK): statements, answer scales and the index.

Pure Python (no Django), like the rest of `sumberdaya.skm`. Item k of an instrument is stored in the
response column ``a{k}``.

The index (SKM.md §6): the mean of the item means, on the instrument's own scale (1–4 or 1–6, chosen by
the city per period), shown with its scale and converted to 0–100. No categories or letters: no official
table is known, so none is invented.

Conversion to 0–100 — decision: ``mean / scale × 100``. It is the same rule units already use for the SKM
(NRR × 25 on the 1–4 scale) and the one ZI reports commonly print for IPK/IPAK on a 1–4 scale (e.g. 3,60 →
90,00), so a perception index reads on the same footing as the IKM beside it. The alternative
``(mean − 1) / (scale − 1) × 100`` starts at 0 for "all lowest answers"; we found no Indonesian ZI practice
using it. Both the mean on its scale and the formula are always shown next to the converted number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

MINIMUM_RESPONDENTS = 30  # SKM.md §6: at least 30 respondents per unit
SCALES = (4, 6)
DEFAULT_SCALE = 4
CONVERSION_FORMULA = "indeks (0–100) = rata-rata ÷ skala × 100"


@dataclass(frozen=True)
class Item:
    code: str
    number: int
    statement: str

    @property
    def column(self) -> str:
        return f"a{self.number}"


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    title: str
    items: tuple[Item, ...]
    scales: tuple[int, ...] = SCALES
    control_question: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(item.column for item in self.items)


SPKP = Instrument(
    code="spkp",
    name="SPKP",
    title="Survei Persepsi Kualitas Pelayanan",
    items=(
        Item("informasi", 1, "Informasi tentang pelayanan di unit ini mudah diperoleh dan jelas."),
        Item("persyaratan", 2, "Persyaratan pelayanan sesuai dengan yang diumumkan dan mudah dipenuhi."),
        Item("prosedur", 3, "Prosedur pelayanan mudah dan dijalankan sesuai standar."),
        Item("waktu", 4, "Pelayanan selesai sesuai waktu yang dijanjikan."),
        Item("biaya", 5, "Biaya pelayanan sesuai ketentuan yang diumumkan (atau gratis bila memang gratis)."),
        Item("produk", 6, "Hasil pelayanan sesuai dengan standar pelayanan yang dijanjikan."),
        Item("sarana", 7, "Sarana dan prasarana pelayanan nyaman dan memadai."),
        Item("respons", 8, "Petugas tanggap dan pengaduan pengguna layanan ditangani dengan baik."),
    ),
)

SPAK = Instrument(
    code="spak",
    name="SPAK",
    title="Survei Persepsi Anti Korupsi",
    items=(
        Item(
            "diskriminasi",
            1,
            "Petugas melayani semua orang sama, tanpa membeda-bedakan (tidak diskriminatif).",
        ),
        Item(
            "prosedur", 2, "Tidak ada pelayanan di luar prosedur (tidak ada jalan pintas atau orang dalam)."
        ),
        Item(
            "imbalan", 3, "Petugas tidak meminta atau menerima imbalan, uang, atau hadiah di luar ketentuan."
        ),
        Item("pungli", 4, "Tidak ada pungutan liar (pungli) dalam pelayanan."),
        Item("calo", 5, "Tidak ada percaloan atau perantara dalam pelayanan."),
    ),
    control_question=(
        "Apakah ada petugas atau orang lain yang mengarahkan Anda untuk memberi jawaban yang baik?"
    ),
)

INSTRUMENTS: dict[str, Instrument] = {SPKP.code: SPKP, SPAK.code: SPAK}

# Agreement with a statement, lowest to highest; every statement is worded so agreeing is the good answer.
SCALE_LABELS: dict[int, tuple[str, ...]] = {
    4: ("Tidak setuju", "Kurang setuju", "Setuju", "Sangat setuju"),
    6: (
        "Sangat tidak setuju",
        "Tidak setuju",
        "Kurang setuju",
        "Cukup setuju",
        "Setuju",
        "Sangat setuju",
    ),
}


def check_scale(scale: int) -> int:
    if isinstance(scale, bool) or scale not in SCALES:
        raise ValueError(f"Skala {scale!r} tidak dikenal: pilih 4 atau 6.")
    return scale


@dataclass(frozen=True)
class ItemScore:
    item: Item
    total: int
    count: int
    scale: int

    @property
    def mean(self) -> Fraction | None:
        return Fraction(self.total, self.count) if self.count else None

    @property
    def index(self) -> Fraction | None:
        """The item's mean converted to 0–100."""
        return to_0_100(self.mean, self.scale)


@dataclass(frozen=True)
class PerceptionScore:
    """One unit's (or any group's) perception index for one instrument and scale."""

    instrument: Instrument
    scale: int
    respondents: int
    items: tuple[ItemScore, ...]

    @property
    def mean(self) -> Fraction | None:
        """Mean of the item means on the 1..scale scale; None unless every item has answers."""
        means = [score.mean for score in self.items]
        if self.respondents == 0 or any(m is None for m in means):
            return None
        return sum((m for m in means if m is not None), Fraction(0)) / len(means)

    @property
    def index(self) -> Fraction | None:
        """The mean converted to 0–100 (see the module docstring for why mean ÷ scale × 100)."""
        return to_0_100(self.mean, self.scale)

    @property
    def below_minimum(self) -> bool:
        return self.respondents < MINIMUM_RESPONDENTS

    def item(self, code: str) -> ItemScore:
        for score in self.items:
            if score.item.code == code:
                return score
        raise KeyError(code)


def to_0_100(mean: Fraction | None, scale: int) -> Fraction | None:
    return None if mean is None else mean / check_scale(scale) * 100


def perception_index(
    instrument: Instrument,
    totals: Mapping[str, int],
    counts: Mapping[str, int],
    respondents: int,
    scale: int,
) -> PerceptionScore:
    """Build the score from per-item answer sums and counts keyed by item code (missing = 0)."""
    check_scale(scale)
    codes = {item.code for item in instrument.items}
    unknown = (set(totals) | set(counts)) - codes
    if unknown:
        raise ValueError(f"Kode pernyataan {instrument.name} tidak dikenal: {', '.join(sorted(unknown))}.")
    if respondents < 0:
        raise ValueError("Jumlah responden tidak boleh negatif.")
    items = []
    for item in instrument.items:
        total, count = totals.get(item.code, 0), counts.get(item.code, 0)
        # Every answer is 1..scale, so any other total means the data was mapped wrongly.
        if not 0 <= count <= respondents or not count <= total <= scale * count:
            raise ValueError(
                f"{instrument.name} pernyataan {item.number}: jumlah nilai {total} tidak sesuai "
                f"dengan {count} jawaban pada skala 1–{scale}."
            )
        items.append(ItemScore(item, total, count, scale))
    return PerceptionScore(instrument, scale, respondents, tuple(items))


def score_perception_answers(
    instrument: Instrument, rows: Iterable[Sequence[int | None]], scale: int
) -> PerceptionScore:
    """Score raw questionnaires: each row holds the instrument's answers in item order (None = blank)."""
    check_scale(scale)
    totals = dict.fromkeys((item.code for item in instrument.items), 0)
    counts = dict(totals)
    respondents = 0
    for row in rows:
        if len(row) != len(instrument.items):
            raise ValueError(
                f"Satu kuesioner {instrument.name} berisi {len(instrument.items)} jawaban, bukan {len(row)}."
            )
        for item, answer in zip(instrument.items, row, strict=True):
            if answer is None:
                continue
            if isinstance(answer, bool) or answer not in range(1, scale + 1):
                raise ValueError(f"Jawaban pernyataan {item.number} harus 1–{scale}, bukan {answer!r}.")
            totals[item.code] += answer
            counts[item.code] += 1
        respondents += 1
    return perception_index(instrument, totals, counts, respondents, scale)


def percent(part: int, whole: int) -> Fraction | None:
    """part / whole in percent (e.g. the share of "yes" to the control question); None when whole is 0."""
    return Fraction(part * 100, whole) if whole else None
