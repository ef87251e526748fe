"""Every page, for every role, at a phone's 360 px and a laptop's 1366 px: a screenshot of each, no
horizontal overflow of the body, axe-core (axe-playwright-python) without serious or critical violations,
nothing refused by the Content-Security-Policy (no inline style or script: style-src and script-src are
'self' only), and at 1366 px a top bar on one line and no table that hides columns behind sideways scrolling.

PAGES is the one list to extend: add `(role, url)` when you add a page (`{unit}`, `{other}`, `{period}`
and `{report}` are filled in). Screenshots go to var/screenshots/pages/<role>/ (not committed). One browser
(the session's), one live server and one data set per role keep the whole run well under two minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from tests.conftest import SCREENSHOTS

PUBLIC, OPERATOR, ADMIN, LEADER = "public", "operator", "admin", "leader"

PAGES: list[tuple[str, str]] = [
    # citizen and public
    (PUBLIC, "/"),
    (PUBLIC, "/?q=mawar"),
    (PUBLIC, "/s/{unit}/"),
    (PUBLIC, "/s/{unit}/terima-kasih/"),
    (PUBLIC, "/zi/s/{unit}/"),
    (PUBLIC, "/hasil/"),
    (PUBLIC, "/hasil/{period}/"),
    (PUBLIC, "/hasil/{period}/{unit}/"),
    (PUBLIC, "/aduan/"),
    (PUBLIC, "/aduan/{unit}/"),
    (PUBLIC, "/aduan/lacak/"),
    (PUBLIC, "/akun/masuk/"),
    (PUBLIC, "/halaman-yang-tidak-ada/"),
    # unit operator
    (OPERATOR, "/dasbor/unit/{unit}/?periode={period}"),
    (OPERATOR, "/unit/{unit}/entri/"),
    (OPERATOR, "/unit/{unit}/impor/"),
    (OPERATOR, "/unit/{unit}/respons/?periode={period}"),
    (OPERATOR, "/unit/{unit}/komentar/?periode={period}"),
    (OPERATOR, "/unit/{unit}/tablet/"),
    (OPERATOR, "/unit/{unit}/undangan/"),
    (OPERATOR, "/unit/{unit}/dilayani/"),
    (OPERATOR, "/rtl/{unit}/?periode={period}"),
    (OPERATOR, "/laporan/unit/{unit}/?periode={period}"),
    (OPERATOR, "/zi/unit/{unit}/"),
    (OPERATOR, "/unit/{unit}/integritas/?periode={period}"),
    (OPERATOR, "/akun/kata-sandi/"),
    # city admin
    (ADMIN, "/dasbor/kota/?periode={period}"),
    (ADMIN, "/dasbor/kota/tabel/?periode={period}"),
    (ADMIN, "/kota/?periode={period}"),
    (ADMIN, "/kota/pemantauan/?periode={period}"),
    (ADMIN, "/kota/impor/"),
    (ADMIN, "/kota/riwayat/"),
    (ADMIN, "/kota/aduan/"),
    (ADMIN, "/kota/integritas/?periode={period}"),
    (ADMIN, "/kota/integritas/{other}/?periode={period}"),
    (ADMIN, "/kota/impor-akun/"),
    (ADMIN, "/kota/narasi/{period}/"),
    (ADMIN, "/laporan/?periode={period}"),
    (ADMIN, "/laporan/unit/{other}/?periode={period}"),
    (ADMIN, "/dasbor/unit/{other}/?periode={period}"),
    (ADMIN, "/akun/pengguna/"),
    (ADMIN, "/akun/pengguna/baru/"),
    (ADMIN, "/akun/audit/"),
    (ADMIN, "/zi/kota/"),
    (ADMIN, "/zi/pengaturan/"),
    # leadership (read-only)
    (LEADER, "/dasbor/kota/?periode={period}"),
    (LEADER, "/dasbor/kota/tabel/?periode={period}"),
    (LEADER, "/kota/?periode={period}"),
    (LEADER, "/kota/pemantauan/?periode={period}"),
    (LEADER, "/laporan/?periode={period}"),
    (LEADER, "/zi/kota/"),
]
WIDTHS = (360, 1366)
BLOCKING = {"serious", "critical"}
WIDE = 1366  # a laptop: every column of every table visible, the menu on one line
ONE_LINE_BAR = 64
CLIPPED_TABLES = """Array.from(document.querySelectorAll('.table-wrap'))
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => (w.querySelector('table')?.getAttribute('aria-label') || w.previousElementSibling?.textContent || '?')
    .trim().slice(0, 40))"""
# Every refusal by the policy, as the page's `securitypolicyviolation` events (listened to before the page parses).
COLLECT_CSP_VIOLATIONS = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.effectiveDirective} ${e.blockedURI} (${e.sourceFile || 'page'}:${e.lineNumber})`));"""
USERS = {OPERATOR: "operator-mawar", ADMIN: "admin-kota", LEADER: "pimpinan"}
AXE = Axe()


@pytest.fixture
def city_data(
    unit: Any, other_unit: Any, period: Any, operator: Any, admin_user: Any, leader: Any, make_responses: Any
) -> dict[str, str]:
    """Two units with answers in the current year and last year, a submitted report, a publication; the
    first unit's population is known, so its dashboard shows the sample-target bar."""
    from sumberdaya.city.publication import publish
    from sumberdaya.reports.submission import report_for, submit
    from sumberdaya.surveys.models import Period, UnitPeriod

    last_year = timezone.localdate().year - 1
    earlier = Period.objects.create(
        slug=str(last_year), name=f"Tahun {last_year}", start=dt.date(last_year, 1, 1), end=dt.date(last_year, 12, 31)
    )
    UnitPeriod.objects.create(unit=unit, period=period, population=10)
    make_responses(unit, [[4, 4, 3, 4, 4, 4, 4, 2, 3]] * 6, comment="Kursi ruang tunggu rusak")
    make_responses(other_unit, [[3, 3, 3, 4, 3, 3, 3, 2, 3]] * 5)
    when = timezone.make_aware(dt.datetime(last_year, 6, 1, 10))
    make_responses(unit, [[3, 3, 3, 3, 3, 3, 3, 2, 3]] * 4, when=when)
    make_responses(other_unit, [[4, 3, 3, 4, 3, 3, 3, 3, 3]] * 4, when=when)
    submit(report_for(other_unit, period), admin_user, early_confirmed=True)
    publish(period, admin_user)
    publish(earlier, admin_user)
    return {"unit": unit.code, "other": other_unit.code, "period": period.slug}


def _visit(browser: Any, live_server: Any, role: str, values: dict[str, str]) -> list[str]:
    problems: list[str] = []
    urls = [url.format(**values) for who, url in PAGES if who == role]
    refused: list[str] = []  # Chromium's console line for each refusal, a second witness (cleared per page)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
        context.add_init_script(COLLECT_CSP_VIOLATIONS)
        page = context.new_page()
        page.on("console", lambda m: refused.append(m.text[:160]) if "Content Security Policy" in m.text else None)
        if role != PUBLIC:
            page.goto(f"{live_server.url}/akun/masuk/")
            page.fill("input[name=username]", USERS[role])
            page.fill("input[name=password]", "kata-sandi-uji-123")
            page.click("button[type=submit]")
            page.wait_for_load_state()
        for url in urls:
            refused.clear()
            answer = page.goto(f"{live_server.url}{url}")
            status = answer.status if answer else 0
            expected = 404 if "tidak-ada" in url else 200
            if status != expected:
                problems.append(f"{role} {url} @{width}: HTTP {status}")
                continue
            name = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"
            path = SCREENSHOTS / "pages" / role / f"{name}-{width}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=True)
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                problems.append(f"{role} {url} @{width}: body {scroll} px wide in a {inner} px window")
            if width >= WIDE:
                bar = page.evaluate("document.querySelector('.topbar-inner')?.offsetHeight ?? 0")
                if bar > ONE_LINE_BAR:
                    problems.append(f"{role} {url} @{width}: the top bar wraps ({bar} px high)")
                clipped = page.evaluate(CLIPPED_TABLES)
                if clipped:
                    problems.append(f"{role} {url} @{width}: tables scroll sideways (columns hidden): {clipped}")
            violations = page.evaluate("window.__csp")
            if violations or refused:
                problems.append(f"{role} {url} @{width}: refused by the CSP: {violations + refused}")
            for violation in AXE.run(page).response["violations"]:
                if violation["impact"] in BLOCKING:
                    targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
                    problems.append(f"{role} {url} @{width}: axe {violation['id']} ({violation['impact']}): {targets}")
        context.close()
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [PUBLIC, OPERATOR, ADMIN, LEADER])
def test_every_page_fits_the_screen_passes_axe_and_breaks_no_csp_rule(
    role: str, live_server: Any, browser: Any, city_data: dict[str, str]
) -> None:
    problems = _visit(browser, live_server, role, city_data)
    assert not problems, "\n".join(problems)


def test_every_role_has_pages_in_the_list() -> None:
    assert {role for role, _url in PAGES} == {PUBLIC, OPERATOR, ADMIN, LEADER}
    assert len(PAGES) == len(set(PAGES))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_leadership_brief_prints_on_one_a4_page(
    live_server: Any, browser: Any, leader: Any, make_responses: Any
) -> None:
    """Twenty units with long names, all late, improving on last year: the brief is still one A4 page."""
    from sumberdaya.surveys.models import Period
    from sumberdaya.units.models import Unit

    year = timezone.localdate().year - 1
    period = Period.objects.create(
        slug=str(year), name=f"Tahun {year}", start=dt.date(year, 1, 1), end=dt.date(year, 12, 31),
        input_deadline=dt.date(year + 1, 1, 14), report_deadline=dt.date(year + 1, 1, 30),
    )
    Period.objects.create(slug=str(year - 1), name=f"Tahun {year - 1}", start=dt.date(year - 1, 1, 1),
                          end=dt.date(year - 1, 12, 31))
    for i in range(20):
        unit = Unit.objects.create(code=f"uptd-{i}", kind="uptd", order=i,
                                   name=f"UPTD Pelayanan Teknis Dinas Pekerjaan Umum dan Penataan Ruang Wilayah {i}")
        make_responses(unit, [[4 if j <= i % 9 else 3 for j in range(9)]] * 3,
                       when=timezone.make_aware(dt.datetime(year, 5, 1, 10)))
        make_responses(unit, [[3] * 9] * 3, when=timezone.make_aware(dt.datetime(year - 1, 5, 1, 10)))
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("input[name=username]", USERS[LEADER])
    page.fill("input[name=password]", "kata-sandi-uji-123")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/dasbor/kota/?periode={period.slug}")
    assert page.get_by_text("Kenaikan terbesar").is_visible()
    path = SCREENSHOTS / "pages" / "leader" / "brief-a4.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True)
    context.close()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages == 1, f"the brief printed on {pages} pages ({path})"
    assert b"%PDF" in pdf[:8]
