"""The nine SKM elements (unsur) of PermenPAN-RB 14/2017, in questionnaire order U1..U9."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Element:
    """One element: stable code, questionnaire number, wording and the labels of answers 1..4."""

    code: str
    u: int
    name: str
    question: str
    labels: tuple[str, str, str, str]
    definition: str

    @property
    def column(self) -> str:
        """Database column holding the answer to this element."""
        return f"a{self.u}"

    @property
    def key(self) -> str:
        """Short key used in recaps (U1..U9)."""
        return f"u{self.u}"


# Numbered as the printed questionnaire (sarana U8 before pengaduan U9), not as the annex lists them.
ELEMENTS: tuple[Element, ...] = (
    Element(
        code="persyaratan",
        u=1,
        name="Persyaratan",
        question=(
            "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"
        ),
        labels=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        definition="Syarat teknis dan administratif yang harus dipenuhi untuk memperoleh pelayanan.",
    ),
    Element(
        code="prosedur",
        u=2,
        name="Sistem, mekanisme, dan prosedur",
        question="Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        labels=("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
        definition=(
            "Tata cara pelayanan yang dibakukan bagi pemberi dan penerima pelayanan, termasuk pengaduan."
        ),
    ),
    Element(
        code="waktu",
        u=3,
        name="Waktu penyelesaian",
        question="Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        labels=("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
        definition="Jangka waktu yang diperlukan untuk menyelesaikan seluruh proses pelayanan.",
    ),
    Element(
        code="biaya",
        u=4,
        name="Biaya/tarif",
        question="Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        labels=("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
        definition=(
            "Ongkos yang dikenakan kepada penerima layanan, yang besarnya ditetapkan berdasarkan kesepakatan."
        ),
    ),
    Element(
        code="produk",
        u=5,
        name="Produk spesifikasi jenis pelayanan",
        question=(
            "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
            "standar pelayanan dengan hasil yang diberikan?"
        ),
        labels=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
        definition="Hasil pelayanan yang diberikan, dibandingkan dengan ketentuan dalam standar pelayanan.",
    ),
    Element(
        code="kompetensi",
        u=6,
        name="Kompetensi pelaksana",
        question="Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        labels=("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
        definition="Pengetahuan, keahlian, keterampilan, dan pengalaman yang dimiliki petugas pelayanan.",
    ),
    Element(
        code="perilaku",
        u=7,
        name="Perilaku pelaksana",
        question=(
            "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan "
            "keramahan?"
        ),
        labels=(
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
        definition="Sikap petugas dalam memberikan pelayanan.",
    ),
    Element(
        code="sarana",
        u=8,
        name="Sarana dan prasarana",
        question="Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        labels=("Buruk", "Cukup", "Baik", "Sangat baik"),
        definition="Peralatan (sarana) dan bangunan (prasarana) yang digunakan dalam pelayanan.",
    ),
    Element(
        code="pengaduan",
        u=9,
        name="Penanganan pengaduan, saran dan masukan",
        question="Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        labels=(
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
        definition="Tata cara penanganan pengaduan, saran, dan masukan, beserta tindak lanjutnya.",
    ),
)

ELEMENT_BY_CODE: dict[str, Element] = {element.code: element for element in ELEMENTS}
ELEMENT_CODES: tuple[str, ...] = tuple(element.code for element in ELEMENTS)
ELEMENT_BY_KEY: dict[str, Element] = {element.key: element for element in ELEMENTS}  # "u1".."u9"
