"""Display texts that live outside gettext calls, listed so makemessages puts them in sumberdaya/locale.

They come from `sumberdaya.skm` (pure Python, no Django) and `sumberdaya.units.groups`; templates show
them with `{% translate value %}`. The SKM element names, answer labels and bands are already in the
survey app's catalog. tests/core/test_english.py checks these lists still match their sources.
This module is never imported by the app.
"""

from django.utils.translation import gettext_noop

AGGREGATION_METHODS = (
    gettext_noop("Rata-rata IKM unit"),
    gettext_noop("Gabungan seluruh responden"),
    gettext_noop("Tertimbang jumlah populasi"),
)

WEIGHT_LABELS = (gettext_noop("1/9 (eksak)"),)

UNIT_GROUPS = (
    gettext_noop("SKPD dan Kecamatan"),
    gettext_noop("Rumah Sakit"),
    gettext_noop("Mal Pelayanan Publik"),
    gettext_noop("Lainnya"),
)

PERCEPTION = (
    gettext_noop("indeks (0–100) = rata-rata ÷ skala × 100"),
    gettext_noop("Survei Persepsi Kualitas Pelayanan"),
    gettext_noop("Survei Persepsi Anti Korupsi"),
    gettext_noop("Informasi tentang pelayanan di unit ini mudah diperoleh dan jelas."),
    gettext_noop("Persyaratan pelayanan sesuai dengan yang diumumkan dan mudah dipenuhi."),
    gettext_noop("Prosedur pelayanan mudah dan dijalankan sesuai standar."),
    gettext_noop("Pelayanan selesai sesuai waktu yang dijanjikan."),
    gettext_noop("Biaya pelayanan sesuai ketentuan yang diumumkan (atau gratis bila memang gratis)."),
    gettext_noop("Hasil pelayanan sesuai dengan standar pelayanan yang dijanjikan."),
    gettext_noop("Sarana dan prasarana pelayanan nyaman dan memadai."),
    gettext_noop("Petugas tanggap dan pengaduan pengguna layanan ditangani dengan baik."),
    gettext_noop("Petugas melayani semua orang sama, tanpa membeda-bedakan (tidak diskriminatif)."),
    gettext_noop("Tidak ada pelayanan di luar prosedur (tidak ada jalan pintas atau orang dalam)."),
    gettext_noop("Petugas tidak meminta atau menerima imbalan, uang, atau hadiah di luar ketentuan."),
    gettext_noop("Tidak ada pungutan liar (pungli) dalam pelayanan."),
    gettext_noop("Tidak ada percaloan atau perantara dalam pelayanan."),
    gettext_noop("Apakah ada petugas atau orang lain yang mengarahkan Anda untuk memberi jawaban yang baik?"),
    gettext_noop("Sangat tidak setuju"),
    gettext_noop("Tidak setuju"),
    gettext_noop("Kurang setuju"),
    gettext_noop("Cukup setuju"),
    gettext_noop("Setuju"),
    gettext_noop("Sangat setuju"),
)
