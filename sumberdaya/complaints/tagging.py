"""What a comment speaks about: an Indonesian lexicon tagger for the nine SKM elements and the comment's kind.

Plain Python (no Django), so it can be tested and benchmarked alone (tests/complaints/test_tagging_quality.py
prints precision and recall on the labelled set under tests/complaints/).

How it reads a comment:
1. normalise: lower case, letters repeated three times or more shortened ("lamaaa" → "lama"),
   reduplication joined ("berjam-jam" → "jam"), colloquial spellings mapped to standard ones
   ("bgt" → "banget", "ga"/"gak"/"nggak" → "tidak", "antri" → "antre", "lelet" → "lambat");
2. every word gets its candidate stems: common suffixes (-nya, -lah, -kah, -pun, -kan, -an, -i) and prefixes
   (me-/meN-, pe-/peN-, ber-, ter-, di-, ke-, se-, per-) stripped, with the nasal's lost first letter
   restored (menunggu → tunggu, pelayanan → layan, penyampaian → sampai);
3. an element is tagged when one of its cue stems or phrases appears, but
   - an ambiguous cue (`WEAK_CUES`: "obat", "hasil", "antrean", "lengkap") only beside another cue of the
     element or one of its companions ("obat habis", "antrean panjang", "berkas lengkap");
   - days, weeks and months only as a duration ("3 hari", "sebulan"), not a moment ("hari ini", "bulan lalu");
   - a cue in a context that gives it to another element is left out (`_excluded`): "biar cepat" beside
     money (a bribe's promise), "salah input" (the officer's mistake), "warga bingung" (not the officer's
     competence), "tarif parkir" / "penjaga parkir" (a fee, a person: not the car park);
4. the kind: a request or proposal ("mohon", "sebaiknya", "perlu ditambah") is a saran, unless the comment
   is mostly a complaint; praise words count as praise unless negated ("tidak ramah", "kurang cepat"),
   and complaint words unless negated ("tidak lama") — the larger side wins.

The lexicon is deliberately small and readable; extend it with the staff's corrections
(`sumberdaya complaints --export-corrections`) and the labelled set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ELEMENT_CODES = (
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "sarana",
    "pengaduan",
)
KINDS = ("keluhan", "pujian", "saran")

# Colloquial and short spellings → the standard word the lexicon knows.
SPELLING = {
    "bgt": "banget", "bngt": "banget", "bener": "benar", "bnr": "benar", "sgt": "sangat", "amat": "sangat",
    "ga": "tidak", "gak": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak", "enggak": "tidak",
    "engga": "tidak", "kagak": "tidak", "ndak": "tidak", "nda": "tidak", "tdk": "tidak", "tak": "tidak",
    "gaada": "tidak ada", "gada": "tidak ada", "kurg": "kurang", "krg": "kurang", "blm": "belum",
    "blum": "belum", "udah": "sudah", "udh": "sudah", "sdh": "sudah", "dah": "sudah", "yg": "yang",
    "dgn": "dengan", "dg": "dengan", "krn": "karena", "karna": "karena", "utk": "untuk", "tp": "tapi",
    "tpi": "tapi", "jg": "juga", "sy": "saya", "aq": "saya", "aku": "saya", "gue": "saya", "gw": "saya",
    "lg": "lagi", "bs": "bisa", "bsa": "bisa", "org": "orang", "jd": "jadi", "jdi": "jadi", "sm": "sama",
    "aja": "saja", "aj": "saja", "klo": "kalau", "kalo": "kalau", "kl": "kalau", "mau": "mau",
    "antri": "antre", "antrian": "antrean", "ngantri": "antre", "ngantre": "antre", "ngantrinya": "antre",
    "antriannya": "antrean", "lelet": "lambat", "lemot": "lambat", "lamban": "lambat", "lama2": "lama",
    "lamaa": "lama", "nunggu": "tunggu", "nungguin": "tunggu", "ditungguin": "tunggu", "nyampe": "sampai",
    "sampe": "sampai", "smp": "sampai", "mksh": "terima kasih", "makasih": "terima kasih",
    "trimakasih": "terima kasih", "terimakasih": "terima kasih", "tks": "terima kasih", "thx": "terima kasih",
    "thanks": "terima kasih", "mantab": "mantap", "mantul": "mantap", "josss": "mantap", "jos": "mantap",
    "top": "mantap", "keren": "mantap", "oke": "baik", "ok": "baik", "okey": "baik", "sip": "baik",
    "jutek": "ketus", "judes": "ketus", "galak": "kasar", "cuek": "acuh", "cuekin": "acuh",
    "dicuekin": "acuh", "ngobrol": "mengobrol", "ngobrolnya": "mengobrol", "hp": "hp", "hape": "hp",
    "ribet": "rumit", "ruwet": "rumit", "njlimet": "rumit", "mbulet": "berbelit", "gratis": "gratis",
    "duit": "uang", "fotocopy": "fotokopi", "fc": "fotokopi", "fotokopian": "fotokopi", "wc": "toilet",
    "kamar mandi": "toilet", "ac": "ac", "parkiran": "parkir", "ngasih": "beri", "dikasih": "beri",
"bayarnya": "bayar", "byr": "bayar", "ngga ramah": "tidak ramah", "sopan2": "sopan",
    "respon": "tanggap", "direspon": "tanggap", "direspons": "tanggap", "respons": "tanggap",
    "ditanggepin": "tanggap", "nanggepin": "tanggap", "ngurus": "urus", "ngurusnya": "urus",
    "ngelayanin": "layan", "ngelayani": "layan", "dilayanin": "layan", "bolak-balik": "bolak balik",
    "bolakbalik": "bolak balik", "wa": "whatsapp", "hotline": "hotline", "cepet": "cepat", "cpt": "cepat",
    "bgus": "bagus", "bgs": "bagus", "ramahh": "ramah", "sllu": "selalu", "slalu": "selalu", "trs": "terus",
    "trus": "terus", "pdhl": "padahal", "mlh": "malah", "malahan": "malah", "sj": "saja", "jam2": "jam",
    "bsk": "besok", "pelicin": "pelicin", "ngecas": "cas", "syarat2": "syarat", "berkas2": "berkas",
    "mahal2": "mahal", "ngeluh": "keluh", "pengen": "ingin", "pingin": "ingin", "pgn": "ingin",
}

PREFIXES = ("meng", "meny", "mem", "men", "me", "peng", "peny", "pem", "pen", "per", "pe", "ber", "be",
            "ter", "te", "di", "ke", "se")
SUFFIXES = ("nya", "lah", "kah", "pun", "kan", "in", "an", "i")  # -in: Jakarta speech (dilamain)
# The first letter a nasal prefix swallowed: menunggu → tunggu, memakai → pakai, mengurus → urus/kurus.
RESTORE = {"meny": "s", "peny": "s", "mem": "p", "pem": "p", "men": "t", "pen": "t", "meng": "k", "peng": "k"}

# Word pairs read as one word, so "ruang tunggu" is a place (sarana), not waiting (waktu).
COMPOUNDS = {
    "ruang tunggu": "ruangtunggu", "kursi tunggu": "kursitunggu", "tempat duduk": "tempatduduk",
    "nomor antrean": "nomorantrean", "mesin antrean": "mesinantrean", "sistem antrean": "sistemantrean",
    "antrean online": "antreanonline", "kotak saran": "kotaksaran", "uang rokok": "uangrokok",
    "keterangan tidak mampu": "keterangantidakmampu",  # SKTM, a document's name
}

NEGATIONS = frozenset({"tidak", "kurang", "belum", "bukan", "jangan", "tanpa", "minim", "susah", "sulit"})

# Element cues: stems (matched against any candidate stem of a word) and phrases (matched on the normalised
# text, word boundaries). Keep each list short and explainable.
ELEMENT_STEMS: dict[str, frozenset[str]] = {
    "persyaratan": frozenset({
        "syarat", "fotokopi", "lampir", "legalisir", "materai", "meterai", "lengkap", "rujuk", "kelengkap",
        "pengantar", "rangkap", "pasfoto", "bawa",
    }),
    "prosedur": frozenset({
        "prosedur", "alur", "tahap", "mekanisme", "rumit", "berbelit", "belit", "birokrasi", "sop", "oper",
        "lempar", "daring", "langkah", "petunjuk",
        "praktis", "mudah", "simpel", "sederhana", "teratur", "tertib", "urut", "nomorantrean", "sistemantrean",
        "antreanonline", "daftar", "online", "informasi", "panduan", "cara", "pisah", "gabung",
    }),
    "waktu": frozenset({
        "lama", "lambat", "cepat", "tunggu", "antre", "antrean", "jam", "menit", "molor",
        "telat", "segera", "istirahat", "tepat", "tertunda", "tunda", "kilat",
        "sigap", "jadwal", "tutup", "buka", "sebentar", "singkat",
    }),
    "biaya": frozenset({
        "biaya", "bayar", "gratis", "tarif", "pungli", "pungut", "uang", "mahal", "murah", "calo", "amplop",
        "retribusi", "rupiah", "ribu", "rp", "sogok", "suap", "pelicin", "setor", "imbal", "tip",
        "ongkos", "harga", "iuran", "kuitansi", "kwitansi", "tebus",
    }),
    "produk": frozenset({
        "hasil", "ketik", "typo", "keliru", "cetak", "blanko", "sertifikat", "obat", "resep", "salah", "ralat",
        "revisi", "produk", "lab", "laboratorium",
        "diagnosa", "diagnosis", "stok", "vaksin", "stempel", "rapor", "akurat",
    }),
    "kompetensi": frozenset({
        "paham", "mengerti", "kuasai", "menguasai", "kompeten", "kompetensi", "terampil", "trampil", "ahli",
        "profesional", "pengetahuan", "jelaskan", "penjelasan", "bingung", "pintar", "cakap", "mampu",
        "kemampu", "cekatan", "teliti", "ceroboh", "pengalaman", "latih", "pelatihan", "magang", "solusi",
    }),
    "perilaku": frozenset({
        "ramah", "sopan", "senyum", "ketus", "kasar", "marah", "bentak", "acuh", "santun", "sabar", "sombong",
        "cuek", "mengobrol", "obrol", "hp", "sapa", "salam", "diskriminasi", "serobot", "sinis", "hormat", "empati",
        "peduli", "tegur", "sikap", "perilaku", "etika",
        "tersenyum", "bercanda", "ketawa", "tertawa", "sungkan", "ikhlas",
        "tulus", "galak", "arogan", "gadget", "judes", "kurang ajar", "ngegas", "rokok", "santai", "makan",
    }),
    "sarana": frozenset({
        "kursi", "toilet", "parkir", "ac", "kipas", "panas", "gerah", "sempit", "kotor", "bersih", "air",
        "listrik", "lampu", "komputer", "printer", "jaringan", "internet", "wifi", "gedung", "bangun", "musala",
        "mushola", "ruang", "ruangan", "fasilitas", "nyaman", "tv", "televisi", "mesin", "minum", "bau",
        "pengap", "bocor", "atap", "sarana", "prasarana", "ramp", "difabel", "disabilitas", "lift", "tangga",
        "rusak", "error", "eror", "down", "offline", "gangguan", "server", "sinyal", "tempat", "teduh", "hujan",
        "genset", "dispenser", "sabun", "tisu", "sampah", "kebersih", "laktasi", "bermain",
    }),
    "pengaduan": frozenset({
        "adu", "pengaduan", "aduan", "keluh", "keluhan", "lapor", "laporan", "tanggap", "tanggapan", "hotline",
        "sp4n", "tindaklanjut", "kotaksaran", "balas", "kanal", "ditindaklanjuti",
    }),
}

ELEMENT_PHRASES: dict[str, tuple[str, ...]] = {
    "persyaratan": ("kartu keluarga", "pas foto", "surat pengantar", "pengantar rt", "syarat tambahan",
                    "bawa lagi", "kurang satu", "buku nikah", "kartu bpjs"),
    "prosedur": ("bolak balik", "sana sini", "ke sana ke mari", "pindah loket", "alur pelayanan", "disuruh ke",
                 "disuruh kembali", "disuruh datang", "nomor antrean", "ambil nomor", "tidak jelas alur",
                 "di oper", "dioper"),
    "waktu": ("berjam jam", "berhari hari", "berminggu minggu", "tepat waktu", "jam buka", "jam pelayanan",
              "jam kerja", "tidak lama", "lama banget", "lama sekali", "jam istirahat", "waktu tunggu",
              "satu hari jadi", "hari itu juga", "datang terlambat", "datang telat", "belum jadi", "sudah jadi",
              "pelayanan sore", "pelayanan malam", "buka sore", "sampai sore", "sampai malam", "hari libur"),
    "biaya": ("uang rokok", "uang terima kasih", "uang pelicin", "uang lelah", "tanpa biaya", "tidak dipungut",
              "minta uang", "dimintai uang", "uang administrasi", "biaya tambahan", "uang kopi", "uang bensin"),
    "produk": ("salah ketik", "salah nama", "salah tulis", "salah cetak", "tidak sesuai", "hasil lab", "obat habis",
    "obat kosong", "blanko habis", "blanko kosong",
               "nama saya salah", "tanggal lahir salah", "ktp jadi", "akta jadi"),
    "kompetensi": ("salah memberi informasi", "salah informasi", "salah info",
                   "tidak tahu", "tidak paham", "kurang paham", "tidak mengerti", "kurang menguasai",
                   "tidak bisa menjelaskan", "bisa menjelaskan", "menjelaskan dengan", "jawaban berbeda",
                   "beda beda jawaban", "petugas baru", "masih belajar", "kurang terampil", "tahu prosedur"),
    "perilaku": ("main hp", "main handphone", "pilih kasih", "orang dalam", "nada tinggi", "tidak sopan",
                 "tidak ramah", "kurang ramah", "buang muka", "membeda bedakan", "didahulukan", "diserobot",
                 "sambil makan", "sambil mengobrol", "asyik mengobrol", "sabar melayani", "ramah dan sopan",
                 "kenal orang", "bentak bentak", "ngegas", "tidak peduli"),
    "sarana": ("ruang tunggu", "tempat duduk", "kursi roda", "mati lampu", "air minum", "tempat parkir",
               "sistem error", "sistem down", "jaringan error", "jaringan lambat", "server down", "sistem offline",
               "aplikasi error", "mesin antrean", "ruang laktasi", "tempat bermain", "jalur kursi roda"),
    "pengaduan": ("kotak saran", "tidak ditanggapi", "tidak tanggap", "tidak ada tanggapan", "nomor pengaduan",
                  "layanan pengaduan", "tempat mengadu", "tidak dibalas", "tidak ada jawaban", "call center",
                  "lapor", "sudah lapor", "saluran pengaduan", "tidak ada tindak lanjut", "tindak lanjut",
                  "tidak direspon", "whatsapp pengaduan", "nomor whatsapp", "admin whatsapp"),
}

# Words that carry the stance, used for the kind. Praise words negated count as complaint, and back.
PRAISE = frozenset({
    "ramah", "sopan", "cepat", "bagus", "baik", "puas", "memuaskan", "mantap", "bersih", "nyaman", "mudah",
    "jelas", "sigap", "tanggap", "profesional", "cekatan", "terbantu", "bantu", "membantu", "hebat",
    "senyum", "sabar", "teratur", "tertib", "rapi", "sejuk", "gratis", "lancar", "efisien", "langsung", "dingin",
    "kuasai", "menguasai", "mampu", "solusi",
    "apresiasi", "salut", "sukses", "pertahankan", "senang", "lega", "praktis", "simpel",
    "santun", "tepat", "kilat", "murah", "luas", "lengkap", "peduli", "ikhlas", "tulus", "paham", "sip",
    "istimewa", "rekomendasi", "responsif", "keren", "amanah", "jujur",
})
COMPLAINT = frozenset({
    "lama", "lambat", "mahal", "pungli", "kotor", "rusak", "rumit", "berbelit", "kecewa", "ketus", "kasar",
    "marah", "acuh", "sombong", "sempit", "panas", "gerah", "bau", "pengap", "bocor", "mati", "error", "eror",
    "down", "gangguan", "molor", "telat", "terlambat", "bingung", "salah", "keliru", "typo", "habis", "kosong",
    "calo", "sogok", "suap", "pelicin", "amplop", "sinis", "bentak", "parah", "buruk", "jelek", "payah",
    "kesal", "kesel", "capek", "cape", "lelah", "susah", "sulit", "ribet", "antre", "tunggu", "mengecewakan",
    "tertunda", "ditolak", "tolak", "hilang", "menyebalkan", "lempar", "oper", "diskriminasi", "serobot",
    "mengobrol", "arogan", "bolak", "tutup", "lelet", "boros", "keluh", "ngegas", "penuh", "sesak", "ceroboh",
    "tega", "menelantarkan", "telantar", "gagal",
})
REQUEST_PHRASES = (
    "mohon", "tolong", "sebaiknya", "seharusnya", "semestinya", "harap", "harapan", "semoga", "saran", "usul",
    "usulan", "alangkah baiknya", "lebih baik", "perlu", "perlunya", "hendaknya", "diharapkan", "kalau bisa",
    "kalau boleh", "sebaik nya", "ditambah", "diperbanyak", "diperbaiki", "ditingkatkan", "dibuat",
    "disediakan", "diadakan", "dimajukan", "dipercepat", "diperpanjang", "tingkatkan", "agar", "supaya",
    "bisa ditambah", "coba", "jangan",
)
# Praise that is only politeness in a request ("terima kasih, mohon ...") weighs less.
THANKS = ("terima kasih", "luar biasa")
# Praise after these is the opposite ("harusnya gratis", "katanya cepat").
CONTRAST = frozenset({"harusnya", "seharusnya", "katanya", "padahal", "mestinya"})
# Irregular payment is a complaint whatever else the comment says.
STRONG_COMPLAINT = frozenset({"pungli", "pelicin", "calo", "sogok", "suap", "uangrokok", "amplop"})
COMPLAINT_PHRASES = ("minta uang", "dimintai uang", "diminta uang", "kalau mau cepat", "biar cepat", "tidak bisa",
                     "tidak ada kabar", "tanpa kabar", "tanpa alasan", "belum jadi", "tidak jadi")
# A comment that starts with one of these asks for something ("Sediakan air minum").
IMPERATIVES = frozenset({"sediakan", "tambah", "tambahkan", "buat", "buatkan", "adakan", "perbaiki", "perbanyak",
                         "tingkatkan", "perlu", "mohon", "tolong", "harap"})

_WORD = re.compile(r"[a-z0-9]+")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_REDUP = re.compile(r"\b([a-z]+)-\1(nya|an|kan|i)?\b")
_REDUP_PREFIX = re.compile(r"\b(ber|ter|di|se)?([a-z]+)-([a-z]+)\b")


@dataclass(frozen=True)
class Tags:
    elements: tuple[str, ...]  # element codes in questionnaire order
    kind: str  # keluhan, pujian or saran ("" for an empty text)


def normalise(text: str) -> list[str]:
    """Lower-cased standard words of `text`."""
    text = text.lower()
    text = _REPEAT.sub(r"\1", text)
    text = _REDUP.sub(r"\1\2", text)  # sopan-sopan → sopan, orang-orangnya → orangnya
    text = _REDUP_PREFIX.sub(lambda m: f"{m.group(2)} {m.group(3)}" if m.group(1) else m.group(0), text)
    text = text.replace("-", " ")
    words: list[str] = []
    for word in _WORD.findall(text):
        word = re.sub(r"2$", "", word) if not word.isdigit() else word  # "lama2" → "lama"
        words.extend(SPELLING.get(word, word).split())
    joined = " ".join(words)
    for pair, compound in COMPOUNDS.items():
        joined = re.sub(rf"\b{pair}(nya)?\b", compound, joined)  # "ruang tunggunya" too
    return joined.split()


_MEMO: dict[str, frozenset[str]] = {}  # a pure function's results, bounded (cleared when full)
_MEMO_MAX = 20000


def stems(word: str) -> frozenset[str]:
    """The word and the candidate stems left when common affixes are stripped (a set: several may fit)."""
    known = _MEMO.get(word)
    if known is not None:
        return known
    if len(_MEMO) >= _MEMO_MAX:
        _MEMO.clear()
    _MEMO[word] = found_stems = _stems(word)
    return found_stems


def _stems(word: str) -> frozenset[str]:
    found = {word}
    frontier = {word}
    for _round in range(3):  # e.g. per-syarat-an-nya
        grown: set[str] = set()
        for w in frontier:
            for suffix in SUFFIXES:
                if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                    grown.add(w[: -len(suffix)])
            for prefix in PREFIXES:
                if w.startswith(prefix) and len(w) - len(prefix) >= 3:
                    rest = w[len(prefix):]
                    grown.add(rest)
                    if prefix in RESTORE and rest[0] in "aiueo":
                        grown.add(RESTORE[prefix] + rest)
        grown -= found
        found |= grown
        frontier = grown
    return frozenset(found)


MIN_STEM = 4  # a stripped stem shorter than this matches nothing ("sopan" is not "sop")


def _lookup_forms(word: str) -> frozenset[str]:
    return frozenset({word} | {s for s in stems(word) if len(s) >= MIN_STEM})


def _matches(words: list[str], lexicon: frozenset[str]) -> list[int]:
    return [i for i, word in enumerate(words) if _lookup_forms(word) & lexicon]


def _phrase_hits(joined: str, phrases: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(p)}\b", joined) for p in phrases)


# "tidak terlalu lama", "kurang begitu ramah": the negation reaches over one of these.
SOFTENERS = frozenset({"terlalu", "begitu", "sangat", "cukup", "pernah", "bisa", "mau", "ada", "juga", "lagi", "pakai"})


def _negated(words: list[str], i: int, cues: frozenset[str] = NEGATIONS) -> bool:
    if i >= 1 and words[i - 1] in cues:
        return True
    return i >= 2 and words[i - 2] in cues and words[i - 1] in SOFTENERS


# Ambiguous cues: they tag their element only beside another cue of it or one of their companions
# ("obat habis" is about the product, "ambil obat 5 jam" about the time; "antrean panjang" is waiting,
# "antrean lansia dipisah" the procedure; "syarat lengkap" the requirements, "fasilitas lengkap" not).
WEAK_CUES: dict[str, dict[str, frozenset[str]]] = {
    "waktu": dict.fromkeys(("antre", "antrean"), frozenset({"panjang", "mengular", "numpuk", "menumpuk", "kuota"})),
    "produk": dict.fromkeys(
        ("obat", "hasil"),
        frozenset({"salah", "habis", "kosong", "sesuai", "hilang", "rusak", "keliru", "lengkap", "tersedia", "stok",
                   "kedaluwarsa", "kadaluarsa", "ralat", "ulang", "benar", "akurat", "beda"}),
    ),
    "persyaratan": {"lengkap": frozenset({"berkas", "dokumen", "formulir", "surat", "data"})},
}

# Days, weeks and months speak of the service's time only as a duration ("3 hari", "sebulan", "2 minggu
# tidak diproses"), not as a moment ("hari ini", "bulan lalu", "minggu depan", "dari pagi").
CALENDAR = frozenset({"hari", "minggu", "bulan", "tahun"})
MOMENT_AFTER = frozenset({"ini", "itu", "lalu", "depan", "lagi", "kemarin", "besok", "ke"})
COUNT_WORDS = frozenset({"satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "beberapa", "berapa", "setengah",
                         "banyak", "dua puluh"})


def _is_duration(words: list[str], i: int) -> bool:
    word = words[i]
    if word in CALENDAR:
        counted = i >= 1 and (words[i - 1].isdigit() or words[i - 1] in COUNT_WORDS)
    elif word.startswith("se") and word[2:] in CALENDAR:  # sehari, sebulan
        counted = True
    else:
        return False
    return counted and not (i + 1 < len(words) and words[i + 1] in MOMENT_AFTER)


# "Biar cepat" beside money is the promise of a bribe or a fee, not the service's speed.
PURPOSE = frozenset({"biar", "supaya", "agar", "mau", "bisa", "untuk"})
# "Salah input", "salah memberi informasi": the officer's mistake (competence), not a wrong product.
OFFICER_ACTS = frozenset({"input", "informasi", "info", "memberi", "beri", "arah", "jelaskan"})
# Who serves: "petugasnya bingung" is competence, "warga bingung" the procedure; "penjaga parkir" a person.
OFFICERS = frozenset({"petugas", "pegawai", "dokter", "perawat", "bidan", "staf", "staff", "operator", "satpam",
                      "admin", "karyawan", "honorer", "dia", "mereka", "beliau", "penjaga", "tukang", "juru"})
MONEY = frozenset({"tarif", "biaya", "retribusi", "uang", "bayar", "iuran", "ongkos", "harga"})
# The officer's understanding, not the citizen's ("aplikasinya sulit dimengerti", "semua orang bingung").
UNDERSTANDING = frozenset({"bingung", "mengerti", "paham"})
# A counter or a role named after the step: "petugas pendaftaran", "loket pendaftaran", "di informasi".
PLACES = frozenset({"petugas", "loket", "bagian", "ruang", "meja", "di"})


def _is_officer(word: str) -> bool:
    return word in OFFICERS or word.removesuffix("nya") in OFFICERS


def _officer_before(words: list[str], i: int, reach: int = 5) -> bool:
    return any(_is_officer(w) for w in words[max(0, i - reach) : i])


def _excluded(code: str, cue: str, words: list[str], i: int, has_money: bool) -> bool:
    before = words[max(0, i - 3) : i]
    previous = words[i - 1] if i >= 1 else ""
    if code == "waktu" and cue == "cepat":
        return has_money and any(w in PURPOSE for w in before)
    if code == "produk" and cue == "salah":
        return any(w in OFFICER_ACTS for w in words[max(0, i - 3) : i + 4])
    if code == "prosedur" and cue == "informasi":
        # "informasi persyaratan", "informasi biaya": information about another element; "salah memberi
        # informasi": the officer's mistake; "petugas di informasi": the desk.
        following = words[i + 1 : i + 3]
        return (
            any(_lookup_forms(w) & (ELEMENT_STEMS["persyaratan"] | ELEMENT_STEMS["biaya"]) for w in following)
            or any(w in {"salah", "memberi", "beri"} for w in words[max(0, i - 2) : i])
            or previous in PLACES - {"petugas"}
        )
    if code == "prosedur" and cue == "daftar":
        return previous in PLACES
    if code == "kompetensi" and cue in UNDERSTANDING:
        return not _officer_before(words, i)
    if code == "sarana":
        # "tarif parkir", "retribusi sampah": the fee's object; "penjaga parkir": a person.
        return previous in MONEY or _is_officer(previous)
    return False


def _cues(words: list[str], code: str) -> list[tuple[int, str]]:
    """(position, cue) of each word that matches one of the element's stems."""
    lexicon = ELEMENT_STEMS[code]
    found = []
    for i, word in enumerate(words):
        for cue in sorted(_lookup_forms(word) & lexicon):
            found.append((i, cue))
    return found


def _element_found(code: str, words: list[str], joined: str, has_money: bool) -> bool:
    if _phrase_hits(joined, ELEMENT_PHRASES[code]):
        return True
    if code == "waktu" and any(_is_duration(words, i) for i in range(len(words))):
        return True
    weak = WEAK_CUES.get(code, {})
    hits = [(i, cue) for i, cue in _cues(words, code) if not _excluded(code, cue, words, i, has_money)]
    if any(cue not in weak for _i, cue in hits):
        return True
    present = {form for word in words for form in _lookup_forms(word)}
    return any(weak[cue] & present for _i, cue in hits)


def elements_of(words: list[str]) -> tuple[str, ...]:
    joined = " ".join(words)
    has_money = bool(_matches(words, ELEMENT_STEMS["biaya"])) or _phrase_hits(joined, ELEMENT_PHRASES["biaya"])
    return tuple(code for code in ELEMENT_CODES if _element_found(code, words, joined, has_money))


def kind_of(words: list[str]) -> str:
    if not words:
        return ""
    joined = " ".join(words)
    praise = complaint = 0.0
    if set(words) & STRONG_COMPLAINT or _phrase_hits(joined, COMPLAINT_PHRASES[:3]):
        return "keluhan"
    complaint += sum(joined.count(p) for p in COMPLAINT_PHRASES[3:])
    for i, word in enumerate(words):
        forms = stems(word)
        negated = _negated(words, i) or any(w in CONTRAST for w in words[max(0, i - 2) : i])
        if forms & PRAISE:
            if negated:
                complaint += 1
            else:
                praise += 1
        elif forms & COMPLAINT:
            if negated:
                praise += 0.5
            else:
                complaint += 1
    praise += sum(1 for p in THANKS if p in joined)
    # "tidak perlu menunggu" asks for nothing.
    request = _phrase_hits(joined.replace("tidak perlu", ""), REQUEST_PHRASES) or words[0] in IMPERATIVES
    if request and complaint <= 2:
        return "saran"
    if complaint > praise:
        return "keluhan"
    if praise > 0:
        return "pujian"
    return "saran" if request else "keluhan"


def tag(text: str) -> Tags:
    """The elements and kind of one comment."""
    words = normalise(text)
    return Tags(elements_of(words), kind_of(words))
