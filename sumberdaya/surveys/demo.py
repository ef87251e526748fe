"""Demo data for `make run` / `sumberdaya demo`: Kota Banjarmasin's 156 units with realistic answers.

Deterministic (one seeded random generator), so every machine shows the same numbers. Each unit has its
own quality level, so the indices spread over band B mostly, some A, a few C; *biaya* scores high
(most services are free) and *pengaduan* lowest, as in real reports. Units survey in their own window of
the year; the current year stops at today; a few units did not report in 2024.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sumberdaya.accounts.audit import record
from sumberdaya.accounts.models import User
from sumberdaya.surveys import invitations
from sumberdaya.surveys.models import Invitation, KioskTablet, Period, Response, ServedCount, UnitPeriod
from sumberdaya.units.importing import load_packaged_units
from sumberdaya.units.models import Service, Unit

SEED = 20241112
PAST_YEARS = (2024, 2025)
NON_REPORTING_2024 = 3  # units with no responses in 2024, as in the city's real recap

ACCOUNTS = (
    # username, password, role, unit codes
    ("admin", "sumberdaya-admin", User.Role.ADMIN, ()),
    ("operator", "sumberdaya-operator", User.Role.OPERATOR, ("kelurahan-mawar", "puskesmas-cempaka")),
    ("pimpinan", "sumberdaya-pimpinan", User.Role.LEADERSHIP, ()),
)

SERVICES_BY_KIND: dict[str, tuple[str, ...]] = {
    "kelurahan": (
        "Surat keterangan domisili",
        "Surat pengantar nikah",
        "Surat keterangan tidak mampu (SKTM)",
        "Surat keterangan usaha",
        "Surat keterangan ahli waris",
    ),
    "puskesmas": ("Poli umum", "Kesehatan ibu dan anak (KIA)", "Poli gigi", "Laboratorium", "Imunisasi"),
    "kecamatan": (
        "Rekomendasi izin keramaian",
        "Legalisasi dokumen",
        "Surat keterangan ahli waris",
        "Dispensasi nikah",
    ),
    "rsud": ("Rawat jalan", "Rawat inap", "Instalasi gawat darurat", "Farmasi", "Laboratorium"),
    "perumda": ("Pemasangan sambungan baru", "Pembayaran tagihan", "Pengaduan gangguan"),
    "mpp": ("Perizinan berusaha", "Administrasi kependudukan", "Layanan perpajakan daerah", "Layanan BPJS"),
    "bagian": ("Layanan administrasi", "Fasilitasi dan koordinasi", "Layanan informasi"),
    "uptd": ("Layanan teknis", "Layanan informasi", "Layanan administrasi"),
    "skpd": ("Layanan informasi publik", "Rekomendasi dan perizinan", "Layanan administrasi", "Pengaduan"),
}
SERVICES_BY_CODE: dict[str, tuple[str, ...]] = {
    "dinas-kependudukan-dan-pencatatan-sipil": (
        "KTP elektronik",
        "Kartu keluarga",
        "Akta kelahiran",
        "Akta kematian",
        "Pindah datang penduduk",
    ),
    "dinas-penanaman-modal-dan-pelayanan-terpadu-satu-pintu": (
        "Persetujuan bangunan gedung (PBG)",
        "Izin usaha",
        "Izin reklame",
        "Konsultasi perizinan",
    ),
    "dinas-kesehatan": ("Izin praktik tenaga kesehatan", "Izin apotek dan toko obat", "Layanan informasi"),
    "dinas-perhubungan": ("Uji KIR kendaraan", "Izin trayek", "Parkir"),
    "dinas-sosial": ("Rekomendasi PBI-JK", "Bantuan sosial", "Layanan disabilitas"),
    "dinas-perpustakaan-dan-kearsipan": ("Peminjaman buku", "Keanggotaan perpustakaan", "Layanan arsip"),
}

# Population served per year (N of Krejcie–Morgan), by kind.
POPULATION_BY_KIND: dict[str, tuple[int, int]] = {
    "kelurahan": (400, 4000),
    "puskesmas": (5000, 40000),
    "kecamatan": (800, 6000),
    "rsud": (20000, 90000),
    "perumda": (10000, 80000),
    "mpp": (20000, 60000),
    "bagian": (80, 600),
    "uptd": (150, 3000),
    "skpd": (200, 25000),
}

CHANNELS = (("online", 50), ("paper", 25), ("kiosk", 15), ("interview", 10))
EDUCATION = (("SD", 8), ("SMP", 12), ("SMA", 42), ("D1-D3", 10), ("S1/D4", 24), ("S2", 3.5), ("S3", 0.5))
OCCUPATION = (("PNS", 12), ("TNI", 2), ("POLRI", 2), ("Swasta", 34), ("Wirausaha", 26), ("Lainnya", 24))
OTHER_OCCUPATIONS = ("Ibu rumah tangga", "Pelajar/mahasiswa", "Petani", "Nelayan", "Buruh harian", "Pensiunan")

# Element offsets from a unit's level (1–4 scale), U1..U9: fees are mostly free, complaints handling lags.
ELEMENT_OFFSETS = (0.02, -0.03, -0.12, 0.38, 0.02, 0.05, 0.10, -0.08, -0.30)
BLANK_RATE = (0.004, 0.004, 0.004, 0.01, 0.006, 0.004, 0.004, 0.006, 0.05)

COMMENTS = {
    "keluhan": (
        "Antrian terlalu lama, mohon ditambah petugas loket.",
        "Ruang tunggu panas, kipas angin banyak yang rusak.",
        "Petugas sering tidak ada di tempat saat jam kerja.",
        "Informasi persyaratan di papan pengumuman tidak lengkap, saya harus bolak-balik.",
        "Parkiran sempit dan becek kalau hujan.",
        "Nomor pengaduan tidak pernah diangkat.",
        "Proses surat memakan waktu tiga hari, padahal katanya satu hari selesai.",
        "Toilet kotor dan airnya tidak mengalir.",
        "Sistem antrean online sering error.",
    ),
    "pujian": (
        "Pelayanan cepat dan petugasnya ramah, terima kasih.",
        "Petugas sangat membantu menjelaskan persyaratan.",
        "Tidak dipungut biaya apa pun, mantap.",
        "Ruang tunggu bersih dan nyaman, ada air minum.",
        "Pelayanannya sudah jauh lebih baik dari tahun lalu.",
        "Terima kasih, urusan saya selesai di hari yang sama.",
    ),
    "saran": (
        "Mohon disediakan kotak saran yang mudah dijangkau.",
        "Sebaiknya ada layanan pendaftaran lewat WhatsApp.",
        "Jam pelayanan mohon diperpanjang sampai sore.",
        "Perlu papan alur pelayanan yang lebih jelas.",
        "Sediakan kursi roda dan jalur khusus untuk lansia dan penyandang disabilitas.",
        "Mohon informasi biaya dipasang di depan loket.",
        "Tambahkan petugas pada hari Senin karena selalu ramai.",
    ),
}


@dataclass(frozen=True)
class DemoSummary:
    units: int
    services: int
    periods: int
    responses: int
    accounts: tuple[str, ...]


def demo_exists() -> bool:
    return Response.objects.exists() or User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).exists()


class NotDemoData(Exception):
    """The database holds responses the demo loader did not write: `--reset` must not touch it."""

    def __init__(self, count: int) -> None:
        super().__init__(
            f"Basis data ini berisi {count:,} kuesioner yang bukan data demo; --reset dibatalkan dan tidak ada "
            "yang dihapus. Reset demo hanya untuk basis data yang seluruh isinya data demo (data demo yang dimuat "
            "sebelum ada penanda demo pun tidak bertanda: pakai basis data baru).".replace(",", ".")
        )
        self.count = count


def reset_demo() -> dict[str, int]:
    """Remove what the demo loads (demo responses, unit settings, services, periods, demo accounts).

    Refuses (NotDemoData) when any response is not marked `demo`: citizens' answers are never deleted
    here. Units stay. The reset is written to the audit log with what it removed.
    """
    with transaction.atomic():
        # No citizen's answer may arrive between the check and the delete (SQLite: the delete's write lock).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Response._meta.db_table)} IN EXCLUSIVE MODE")
        count = Response.objects.filter(demo=False).count()
        if count:
            raise NotDemoData(count)
        removed = {
            # Only demo responses are left here; slips, tablets and served counts are the demo's too.
            "invitations": Invitation.objects.all().delete()[0],
            "kiosk_tablets": KioskTablet.objects.all().delete()[0],
            "served_counts": ServedCount.objects.all().delete()[0],
            "responses": Response.objects.filter(demo=True).delete()[0],
            "unit_periods": UnitPeriod.objects.all().delete()[0],
            "services": Service.objects.all().delete()[0],
            "periods": Period.objects.all().delete()[0],
            "accounts": User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).delete()[0],
        }
        record(None, "demo.reset", object_type="demo", after=removed)
    return removed


def build_demo(today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Load the whole demo data set; call on an empty database (see `demo_exists`)."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    say = progress or (lambda _message: None)
    with transaction.atomic():
        load_packaged_units()
        units = list(Unit.objects.filter(active=True).order_by("order", "code"))
        services = _services(units)
        say(f"{len(units)} unit, {sum(len(s) for s in services.values())} jenis layanan")
        periods = _periods(today)
        _accounts()
    years = [*PAST_YEARS, today.year] if today.year not in PAST_YEARS else list(PAST_YEARS)
    levels = {unit.pk: _unit_level(rng) for unit in units}
    silent_2024 = {unit.pk for unit in rng.sample(units, NON_REPORTING_2024)}
    total = 0
    for year in years:
        with transaction.atomic():
            year_period = next(p for p in periods if p.slug == str(year))
            batch: list[Response] = []
            for unit in units:
                population = _population(rng, unit)
                if year == 2024 and unit.pk in silent_2024:
                    UnitPeriod.objects.update_or_create(
                        unit=unit, period=year_period, defaults={"population": population}
                    )
                    continue
                start, end = _window(rng, year, today)
                level = levels[unit.pk] + rng.gauss(0, 0.05) + 0.03 * (year - PAST_YEARS[0])
                count = _respondents(rng, unit)
                batch.extend(_responses(rng, unit, services[unit.pk], level, start, end, count))
                UnitPeriod.objects.update_or_create(
                    unit=unit,
                    period=year_period,
                    defaults={"population": population, "survey_start": start, "survey_end": end},
                )
            Response.objects.bulk_create(batch, batch_size=2000)
            total += len(batch)
            say(f"{year}: {len(batch)} kuesioner")
    with transaction.atomic():
        # Quarters get a population too: a quarter of the year's.
        yearly = {
            (up.unit_id, up.period.start.year): up.population for up in UnitPeriod.objects.select_related("period")
        }
        UnitPeriod.objects.bulk_create(
            [
                UnitPeriod(
                    unit=unit, period=period, population=max(1, (yearly.get((unit.pk, period.start.year)) or 400) // 4)
                )
                for period in periods
                if period.slug != str(period.start.year)
                for unit in units
            ],
            ignore_conflicts=True,
        )
    _counter(rng, today)
    return DemoSummary(
        units=len(units),
        services=sum(len(s) for s in services.values()),
        periods=len(periods),
        responses=total,
        accounts=tuple(a[0] for a in ACCOUNTS),
    )


COUNTER_UNITS = ("kelurahan-mawar", "puskesmas-cempaka")  # the demo operator's units


def _counter(rng: random.Random, today: dt.date) -> None:
    """The demo operator's counter this year: people served per month, a kiosk tablet, invitation slips
    of which about a third were answered (so the funnel on the dashboard has something to show)."""
    with transaction.atomic():
        for unit in Unit.objects.filter(code__in=COUNTER_UNITS):
            for month in range(1, today.month + 1):
                ServedCount.objects.create(
                    unit=unit, month=dt.date(today.year, month, 1), served=rng.randint(300, 700),
                    source=ServedCount.Source.OPERATOR,
                )
            KioskTablet.objects.create(unit=unit, label="Loket 1", key=f"demo-{unit.code}-{rng.randrange(10**9)}")
            answered = list(
                Response.objects.filter(unit=unit, submitted_at__year=today.year).order_by("submitted_at")[:40:3]
            )
            slips = [
                Invitation(
                    unit=unit,
                    code="".join(rng.choice(invitations.ALPHABET) for _j in range(invitations.CODE_LENGTH)),
                )
                for _i in range(40)
            ]
            for slip, response in zip(slips, answered, strict=False):
                slip.response, slip.used_at, slip.created_at = response, response.submitted_at, response.submitted_at
            Invitation.objects.bulk_create(slips, ignore_conflicts=True)


def _services(units: list[Unit]) -> dict[int, list[Service]]:
    result: dict[int, list[Service]] = {}
    for unit in units:
        names = SERVICES_BY_CODE.get(unit.code) or SERVICES_BY_KIND.get(unit.kind, SERVICES_BY_KIND["skpd"])
        result[unit.pk] = [
            Service.objects.get_or_create(unit=unit, name=name, defaults={"order": order})[0]
            for order, name in enumerate(names, start=1)
        ]
    return result


def _periods(today: dt.date) -> list[Period]:
    slugs = [str(year) for year in PAST_YEARS]
    if str(today.year) not in slugs:
        slugs.append(str(today.year))
    slugs += [f"{today.year}-TW{quarter}" for quarter in range(1, 5)]
    periods = []
    for slug in slugs:
        template = Period.from_slug(slug)
        period, _created = Period.objects.get_or_create(
            slug=template.slug,
            defaults={
                "name": template.name,
                "start": template.start,
                "end": template.end,
                "input_deadline": template.end + dt.timedelta(days=14),
                "report_deadline": template.end + dt.timedelta(days=30),
            },
        )
        periods.append(period)
    return periods


def _accounts() -> None:
    for username, password, role, codes in ACCOUNTS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.is_staff = user.is_superuser = role == User.Role.ADMIN
        user.set_password(password)
        user.save()
        if codes:
            user.units.set(Unit.objects.filter(code__in=codes))


def _unit_level(rng: random.Random) -> float:
    """A unit's typical answer (1–4): mostly band B, some A, a few C."""
    roll = rng.random()
    if roll < 0.12:
        return rng.uniform(3.62, 3.85)  # A
    if roll < 0.20:
        return rng.uniform(2.80, 3.00)  # C
    return rng.uniform(3.12, 3.52)  # B


def _window(rng: random.Random, year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """Each unit surveys in its own window, e.g. "1 Juni – 12 November" or "Januari – September"."""
    start = dt.date(year, rng.choice((1, 1, 2, 3, 4, 5, 6)), rng.randint(1, 28))
    end = dt.date(year, rng.choice((9, 10, 11, 11, 12)), rng.randint(1, 28))
    if year == today.year:
        end = min(end, today)
        start = min(start, end)
    return start, end


def _respondents(rng: random.Random, unit: Unit) -> int:
    """40–400 a year: busy units (health, one-stop services) collect more."""
    busy = unit.kind in ("puskesmas", "rsud", "mpp", "perumda") or unit.code in SERVICES_BY_CODE
    return 40 + int((360 if busy else 220) * rng.random() ** (1.2 if busy else 1.8))


def _population(rng: random.Random, unit: Unit) -> int:
    low, high = POPULATION_BY_KIND.get(unit.kind, (200, 5000))
    return int(rng.uniform(low, high))


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _w in table], weights=[w for _v, w in table])[0]


def _responses(
    rng: random.Random,
    unit: Unit,
    services: list[Service],
    level: float,
    start: dt.date,
    end: dt.date,
    count: int,
) -> list[Response]:
    tz = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    days = (end - start).days
    channels = [value for value, _w in CHANNELS]
    # Some units lean on one channel (a kiosk at the counter, or paper forms).
    channel_weights = [w * rng.uniform(0.3, 2.0) for _v, w in CHANNELS]
    service_weights = [1.0 / (i + 1) for i in range(len(services))]
    responses = []
    for _ in range(count):
        day = start + dt.timedelta(days=rng.randint(0, days))
        if day.weekday() >= 5 and rng.random() < 0.85:
            day -= dt.timedelta(days=day.weekday() - 4)  # offices close at the weekend
            day = max(day, start)
        moment = dt.datetime.combine(day, dt.time(rng.randint(8, 15), rng.randint(0, 59)), tzinfo=tz)
        if moment > now:
            moment = now - dt.timedelta(minutes=rng.randint(1, 600))
        mood = rng.gauss(0, 0.35)  # one respondent is happier than another across all elements
        answers: dict[str, int | None] = {}
        for index, (offset, blank) in enumerate(zip(ELEMENT_OFFSETS, BLANK_RATE, strict=True), start=1):
            if rng.random() < blank:
                answers[f"a{index}"] = None
                continue
            value = round(level + offset + mood + rng.gauss(0, 0.45))
            answers[f"a{index}"] = 4 if value > 4 else 1 if value < 1 else value
        response = Response(
            unit=unit,
            service=rng.choices(services, weights=service_weights)[0] if services and rng.random() < 0.92 else None,
            submitted_at=moment,
            created_at=moment,
            channel=rng.choices(channels, weights=channel_weights)[0],
            sex="P" if rng.random() < 0.56 else "L",
            age=max(17, min(80, int(rng.triangular(17, 75, 35)))),
            education=_pick(rng, EDUCATION),
            occupation=_pick(rng, OCCUPATION),
            demo=True,
            **answers,
        )
        if response.occupation == Response.Occupation.LAINNYA:
            response.occupation_other = rng.choice(OTHER_OCCUPATIONS)
        if rng.random() < 0.15:
            scored = [v for v in answers.values() if v is not None]
            average = sum(scored) / len(scored) if scored else 3
            kind = (
                "keluhan"
                if average < 2.9
                else "pujian"
                if average > 3.4
                else rng.choice(("saran", "keluhan", "pujian"))
            )
            response.comment_kind = kind
            response.comment = rng.choice(COMMENTS[kind])
        responses.append(response)
    return responses
