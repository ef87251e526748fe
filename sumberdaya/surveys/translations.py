"""The survey's texts that live outside gettext calls, listed so makemessages extracts them.

The question wording and answer labels are kept in the pure scoring core (sumberdaya.skm.elements, no
Django); the survey translates them with gettext(element.question). A test checks these lists match.
"""

from django.utils.translation import gettext_noop

ELEMENT_TEXTS = [
    gettext_noop("Persyaratan"),
    gettext_noop("Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
    gettext_noop("Tidak sesuai"),
    gettext_noop("Kurang sesuai"),
    gettext_noop("Sesuai"),
    gettext_noop("Sangat sesuai"),
    gettext_noop("Sistem, mekanisme, dan prosedur"),
    gettext_noop("Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
    gettext_noop("Tidak mudah"),
    gettext_noop("Kurang mudah"),
    gettext_noop("Mudah"),
    gettext_noop("Sangat mudah"),
    gettext_noop("Waktu penyelesaian"),
    gettext_noop("Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
    gettext_noop("Tidak cepat"),
    gettext_noop("Kurang cepat"),
    gettext_noop("Cepat"),
    gettext_noop("Sangat cepat"),
    gettext_noop("Biaya/tarif"),
    gettext_noop("Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
    gettext_noop("Sangat mahal"),
    gettext_noop("Cukup mahal"),
    gettext_noop("Murah"),
    gettext_noop("Gratis"),
    gettext_noop("Produk spesifikasi jenis pelayanan"),
    gettext_noop(
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?"  # noqa: E501
    ),
    gettext_noop("Kompetensi pelaksana"),
    gettext_noop("Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
    gettext_noop("Tidak kompeten"),
    gettext_noop("Kurang kompeten"),
    gettext_noop("Kompeten"),
    gettext_noop("Sangat kompeten"),
    gettext_noop("Perilaku pelaksana"),
    gettext_noop(
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"
    ),
    gettext_noop("Tidak sopan dan ramah"),
    gettext_noop("Kurang sopan dan ramah"),
    gettext_noop("Sopan dan ramah"),
    gettext_noop("Sangat sopan dan ramah"),
    gettext_noop("Sarana dan prasarana"),
    gettext_noop("Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
    gettext_noop("Buruk"),
    gettext_noop("Cukup"),
    gettext_noop("Baik"),
    gettext_noop("Sangat baik"),
    gettext_noop("Penanganan pengaduan, saran dan masukan"),
    gettext_noop("Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
    gettext_noop("Tidak ada"),
    gettext_noop("Ada tetapi tidak berfungsi"),
    gettext_noop("Berfungsi kurang maksimal"),
    gettext_noop("Dikelola dengan baik"),
]

# The performance labels (kinerja) of the bands, shown with the published index on the thank-you page.
BAND_TEXTS = [
    gettext_noop("Sangat Baik"),
    gettext_noop("Baik"),
    gettext_noop("Kurang Baik"),
    gettext_noop("Tidak Baik"),
]
