import datetime as dt, re
from pathlib import Path
from typing import Any
import pytest
from django.utils import timezone
from sumberdaya.city.publication import publish
from sumberdaya.followup.models import PlanItem

OUT = Path("/tmp/i18n/pages")

@pytest.mark.django_db
def test_dump(client: Any, unit: Any, other_unit: Any, period: Any, period_2024: Any, make_responses: Any, admin_user: Any, operator: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    when = dt.datetime(period.start.year, 3, 4, 10, tzinfo=timezone.get_current_timezone())
    make_responses(unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 6 + [[3, 3, 2, 4, 3, 3, 4, 3, 3]] * 4, when=when, comment="Ruang tunggu panas", comment_kind="keluhan")
    make_responses(other_unit, [[4, 3, 3, 4, 3, 4, 4, 3, 2]] * 3, when=when)
    item = PlanItem.objects.create(unit=unit, period=period, element="sarana", problem="Panas", action="Pasang kipas", quarter="TW II", responsible="Kasi Umum")
    publish(period, admin_user)
    c, s, p = unit.code, period.slug, item.pk
    anon = ["/", "/akun/masuk/", "/hasil/", f"/hasil/{s}/{c}/", f"/zi/s/{c}/", f"/s/{c}/"]
    op = ["/dasbor/saya/", f"/dasbor/unit/{c}/", f"/unit/{c}/entri/", f"/unit/{c}/impor/", f"/unit/{c}/respons/", f"/unit/{c}/komentar/",
          f"/rtl/{c}/?periode={s}", f"/rtl/{c}/{s}/tambah/?unsur=sarana", f"/rtl/item/{p}/", f"/laporan/unit/{c}/", f"/laporan/unit/{c}/{s}/narasi/",
          f"/zi/unit/{c}/", "/akun/kata-sandi/"]
    adm = ["/dasbor/kota/", "/kota/", "/kota/pemantauan/", "/kota/impor/", f"/kota/narasi/{s}/", "/laporan/", "/zi/kota/", "/zi/pengaturan/",
           "/akun/pengguna/", "/akun/pengguna/baru/", f"/akun/pengguna/{operator.pk}/", f"/akun/pengguna/{operator.pk}/kata-sandi/", "/akun/audit/", f"/dasbor/unit/{c}/", f"/laporan/unit/{c}/"]
    client.cookies["django_language"] = "en"
    def get(who, url):
        r = client.get(url, follow=True)
        name = who + re.sub(r"[^a-z0-9]+", "_", url)
        OUT.joinpath(name + ".html").write_text(f"<!-- {r.status_code} -->\n" + r.content.decode())
    for u in anon: get("anon", u)
    client.force_login(operator)
    client.cookies["django_language"] = "en"
    for u in op: get("op", u)
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    for u in adm: get("adm", u)
